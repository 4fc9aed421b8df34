import path from 'node:path';
import type { Db } from '../db/open-database.ts';
import { readTrackFeatures, type TrackFeatures } from '../db/track-features.ts';
import { readMusicnnMeans } from '../db/musicnn-means.ts';
import { currentMusicnnVersion } from '../musicnn/model-metadata.ts';
import { listReview, offeredSuggestion } from '../review/review-list.ts';
import { broaderGenres, canonicalGenres, type Taxonomy } from '../taxonomy/taxonomy.ts';
import type { Playlist, PlaylistRecipe, PlaylistTrack } from '../shapes.ts';
import { SonorityError } from '../errors.ts';
import { buildSimilaritySpace, pathBetween, shuffledStepDistances, similarTracks, stepDistances, type SimilaritySpace } from './similarity-space.ts';

/** The library's similarity space with what a playlist shows of each track. */
export interface LibrarySpace {
  space: SimilaritySpace;
  tracks: Map<number, TrackFeatures & { genres: string[] }>;
}

/** Shuffled orders averaged for a path's smoothness baseline. */
const SHUFFLE_RUNS = 20;

/**
 * The similarity space of every analysed track: descriptors, the base
 * model's embedding and the current MusiCNN model's track means (embedding
 * and heads), weighted by `weights` (defaults documented in
 * similarity-space.ts). A track's genres are its tag's, or the experts'
 * combined top genre (`listReview`) when it has no tag and is not out of
 * distribution; a genre filter also matches their broader genres (Latin finds
 * Salsa).
 */
export function buildLibrarySpace(db: Db, base: { id: string; featureSet: string }, taxonomy: Taxonomy, weights?: PlaylistRecipe['weights']): LibrarySpace {
  const suggested = new Map(listReview(db, base.id, taxonomy).flatMap((entry) => {
    const suggestion = offeredSuggestion(entry);
    return suggestion ? [[entry.trackId, suggestion.genre] as const] : [];
  }));
  const tracks = readTrackFeatures(db, base).map((track) => {
    const tagged = canonicalGenres(taxonomy, track.tagGenres);
    const genre = suggested.get(track.trackId);
    return { ...track, genres: tagged.length > 0 || !genre ? tagged : [genre] };
  });
  const musicnn = readMusicnnMeans(db, currentMusicnnVersion());
  const space = buildSimilaritySpace(tracks.map((t) => ({ ...t, musicnn: musicnn.get(t.trackId) ?? null, genres: [...t.genres, ...t.genres.flatMap((g) => broaderGenres(taxonomy, g))] })), weights);
  return { space, tracks: new Map(tracks.map((t) => [t.trackId, t])) };
}

/** Playlist entries as people see them; tracks no longer in the library are left out. */
export function playlistTracks(library: LibrarySpace, entries: readonly { trackId: number; distance: number }[]): PlaylistTrack[] {
  return entries.flatMap(({ trackId, distance }) => {
    const t = library.tracks.get(trackId);
    return t ? [{ trackId, title: t.title, artist: t.artist, fileName: path.basename(t.path), genres: t.genres, tempo: t.tempo, durationSec: t.durationSec, distance }] : [];
  });
}

/** A path's mean and max step distance, with the same for shuffled orders of its tracks (ends kept); null for a playlist that is not a path. */
export function pathSmoothness(library: LibrarySpace, recipe: PlaylistRecipe, trackIds: readonly number[]): Playlist['smoothness'] {
  if (recipe.to === undefined || trackIds.length < 2) return null;
  const own = stepDistances(library.space, trackIds);
  const shuffled = shuffledStepDistances(library.space, trackIds, { runs: SHUFFLE_RUNS, seed: 1, keepEnds: true });
  return { mean: own.mean, max: own.max, shuffledMean: shuffled.mean, shuffledMax: shuffled.max };
}

/**
 * Makes a playlist from a recipe: with `to`, a path from the one seed to it
 * in `length` tracks (with its smoothness against shuffled orders of the same
 * tracks); otherwise the `length` tracks most similar to the seeds. The
 * recipe comes back with the weights the space used. Throws `unknown-track`
 * for a track not in the space and `bad-recipe` without seeds or for a path
 * with several seeds.
 */
export function makePlaylist(library: LibrarySpace, recipe: PlaylistRecipe): Playlist {
  if (recipe.seeds.length === 0) throw new SonorityError('bad-recipe', 'pick at least one seed track');
  if (recipe.to !== undefined && recipe.seeds.length !== 1) throw new SonorityError('bad-recipe', `a path goes from one track to another: give one seed, not ${recipe.seeds.length}`);
  const options = { length: recipe.length, artistGap: recipe.artistGap, filters: recipe.filters };
  const entries = recipe.to === undefined ? similarTracks(library.space, recipe.seeds, options) : pathBetween(library.space, recipe.seeds[0]!, recipe.to, options);
  const used = { ...recipe, weights: { ...library.space.weights } };
  return { id: null, name: null, recipe: used, tracks: playlistTracks(library, entries), smoothness: pathSmoothness(library, used, entries.map((e) => e.trackId)) };
}

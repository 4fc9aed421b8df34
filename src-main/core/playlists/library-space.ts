import path from 'node:path';
import type { Db } from '../db/open-database.ts';
import { readTrackFeatures, type TrackFeatures } from '../db/track-features.ts';
import { readMusicnnMeans } from '../db/musicnn-means.ts';
import { currentMusicnnVersion } from '../musicnn/model-metadata.ts';
import { listReview, offeredSuggestion } from '../review/review-list.ts';
import { broaderGenres, canonicalGenres, type Taxonomy } from '../taxonomy/taxonomy.ts';
import type { Playlist, PlaylistRecipe, PlaylistTrack } from '../shapes.ts';
import { buildSimilaritySpace, shuffledStepDistances, stepDistances, type SimilaritySpace } from './similarity-space.ts';
import { playlistEntries } from './playlist-entries.ts';
import { genreKey } from './track-facts.ts';

/** The library's similarity space with what a playlist shows of each track. */
export interface LibrarySpace {
  space: SimilaritySpace;
  /** Each track with its tag genres (canonical) and the suggestion shown beside them (`PlaylistTrack.suggestedGenre`). */
  tracks: Map<number, TrackFeatures & Pick<PlaylistTrack, 'genres' | 'suggestedGenre'>>;
}

/** Shuffled orders averaged for a path's smoothness baseline. */
const SHUFFLE_RUNS = 20;

/** The suggestion worth showing beside `tagged`: none when a tag is it or one of its subgenres. */
function shownSuggestion(taxonomy: Taxonomy, tagged: readonly string[], suggestion: string | undefined): string | null {
  if (!suggestion) return null;
  const said = new Set(tagged.flatMap((genre) => [genre, ...broaderGenres(taxonomy, genre)]).map(genreKey));
  return said.has(genreKey(suggestion)) ? null : suggestion;
}

/**
 * The similarity space of every analysed track: descriptors, the base
 * model's embedding and the current MusiCNN model's track means (embedding
 * and heads), weighted by `weights` (defaults documented in
 * similarity-space.ts). The genre filter reads a track's tag genres, or the
 * experts' combined top genre (`listReview`) when it has no tag and is not out
 * of distribution; it also matches their broader genres (Latin finds Salsa).
 * Each track keeps its tags and that suggestion apart, for display.
 */
export function buildLibrarySpace(db: Db, base: { id: string; featureSet: string }, taxonomy: Taxonomy, weights?: PlaylistRecipe['weights']): LibrarySpace {
  const suggested = new Map(listReview(db, base.id, taxonomy).flatMap((entry) => {
    const suggestion = offeredSuggestion(entry);
    return suggestion ? [[entry.trackId, suggestion.genre] as const] : [];
  }));
  const tracks = readTrackFeatures(db, base).map((track) => {
    const tagged = canonicalGenres(taxonomy, track.tagGenres);
    return { ...track, genres: tagged, suggestedGenre: shownSuggestion(taxonomy, tagged, suggested.get(track.trackId)) };
  });
  const musicnn = readMusicnnMeans(db, currentMusicnnVersion());
  const filterGenres = (t: (typeof tracks)[number]) => (t.genres.length > 0 || !t.suggestedGenre ? t.genres : [t.suggestedGenre]);
  const space = buildSimilaritySpace(tracks.map((t) => ({ ...t, musicnn: musicnn.get(t.trackId) ?? null, genres: [...filterGenres(t), ...filterGenres(t).flatMap((g) => broaderGenres(taxonomy, g))] })), weights);
  return { space, tracks: new Map(tracks.map((t) => [t.trackId, t])) };
}

/** Playlist entries as people see them; tracks no longer in the library are left out. */
export function playlistTracks(library: LibrarySpace, entries: readonly { trackId: number; distance: number }[]): PlaylistTrack[] {
  return entries.flatMap(({ trackId, distance }) => {
    const t = library.tracks.get(trackId);
    return t ? [{ trackId, title: t.title, artist: t.artist, fileName: path.basename(t.path), genres: t.genres, suggestedGenre: t.suggestedGenre, tempo: t.tempo, durationSec: t.durationSec, distance }] : [];
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
 * Makes a playlist from a recipe (`playlistEntries`): with `to`, a path from
 * the one seed to it in `length` tracks (with its smoothness against shuffled
 * orders of the same tracks); otherwise the seeds, then the tracks most
 * similar to them, `length` in all; with `excludeSeeds`, without the seeds.
 * The recipe comes back with the weights the space used. Throws
 * `unknown-track` for a track not in the space and `bad-recipe` without
 * seeds, for a path with several seeds, or a length shorter than the seeds.
 */
export function makePlaylist(library: LibrarySpace, recipe: PlaylistRecipe): Playlist {
  const entries = playlistEntries(library.space, recipe);
  const used = { ...recipe, weights: { ...library.space.weights } };
  return { id: null, name: null, recipe: used, tracks: playlistTracks(library, entries), smoothness: pathSmoothness(library, used, entries.map((e) => e.trackId)) };
}

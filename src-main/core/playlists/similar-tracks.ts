import type { SimilaritySpace } from './similarity-space.ts';
import { DEFAULT_ARTIST_GAP, PlayedTracks, filterMask, type PlaylistFilters } from './playlist-rules.ts';
import { centroidOf, rowOfTrack, smallestRows, squaredDistancesTo } from './space-distances.ts';

/** One track of a generated playlist. */
export interface PlaylistEntry {
  trackId: number;
  /** Distance to the seeds (similar tracks) or to the previous track (path). */
  distance: number;
}

/** What a playlist query asks for. */
export interface PlaylistOptions {
  length: number;
  /** No artist comes again within `artistGap` tracks (default 3; 0 = off). */
  artistGap?: number;
  filters?: PlaylistFilters;
}

/** Candidates fetched at first per wanted track; more are fetched only when these run out. */
const CANDIDATES_PER_TRACK = 4;
const EXTRA_CANDIDATES = 64;

/**
 * The `length` tracks most similar to the seeds, nearest first. The distance
 * to several seeds is the root mean square of the distances to each seed: a
 * mean, not a minimum, so tracks close to all the seeds come before tracks
 * that copy one of them (with one seed it is the plain distance). It ranks
 * exactly as the distance to the seeds' centroid, so one pass over the
 * library answers it whatever the number of seeds.
 *
 * Never the seeds or another copy of them (same content key, or the same
 * artist and title), never a recording twice, tracks passing `filters` only,
 * and no artist again within `artistGap` tracks, the seeds
 * counting as played just before the first track (a track kept back by the
 * gap comes as soon as it is allowed). Fewer than `length` when the library
 * runs out. Throws `unknown-track` for a seed the space lacks.
 */
export function similarTracks(space: SimilaritySpace, seeds: readonly number[], options: PlaylistOptions): PlaylistEntry[] {
  const seedRows = [...new Set(seeds.map((id) => rowOfTrack(space, id)))];
  const length = Math.max(0, Math.floor(options.length));
  if (seedRows.length === 0 || length === 0) return [];
  const played = new PlayedTracks(space, options.artistGap ?? DEFAULT_ARTIST_GAP);
  seedRows.forEach((row) => played.play(row));
  const centroid = centroidOf(space, seedRows);
  const squared = squaredDistancesTo(space, centroid);
  const spread = seedRows.reduce((sum, row) => sum + squared[row]!, 0) / seedRows.length;
  const eligible = filterMask(space, options.filters);
  const entries: PlaylistEntry[] = [];
  let wanted = Math.min(eligible.length, CANDIDATES_PER_TRACK * length + EXTRA_CANDIDATES);
  let candidates = smallestRows(squared, eligible, wanted);
  while (entries.length < length) {
    const next = candidates.find((row) => played.admits(row));
    if (next === undefined) {
      // Every candidate was played, copies one, or waits for the artist gap: fetch more, unless these were all there are.
      if (candidates.length < wanted || wanted === eligible.length) break;
      wanted = Math.min(eligible.length, wanted * 4);
      candidates = smallestRows(squared, eligible, wanted);
      continue;
    }
    played.play(next);
    entries.push({ trackId: space.trackIds[next]!, distance: Math.sqrt(Math.max(0, squared[next]! + spread)) });
  }
  return entries;
}

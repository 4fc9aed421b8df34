import { SonorityError } from '../errors.ts';
import type { SimilaritySpace } from './similarity-space.ts';
import { rowOfTrack, squaredRowDistance } from './space-distances.ts';
import { similarTracks, type PlaylistEntry, type PlaylistOptions } from './similar-tracks.ts';
import { pathBetween } from './path-between.ts';

/** A whole playlist's query: its seeds, the destination of a path, and whether the seeds open it. */
export interface PlaylistQuery extends PlaylistOptions {
  /** Track ids, in the user's order; a repeated one counts once. */
  seeds: readonly number[];
  /** A path's destination (then exactly one seed). */
  to?: number;
  /** Leave the seeds out: the playlist is only what they lead to. */
  excludeSeeds?: boolean;
}

/** Each seed's root mean square distance to the seeds (0 for a lone seed), as `similarTracks` measures its tracks. */
function seedEntries(space: SimilaritySpace, seeds: readonly number[]): PlaylistEntry[] {
  const rows = seeds.map((id) => rowOfTrack(space, id));
  return rows.map((row, i) => ({ trackId: seeds[i]!, distance: Math.sqrt(rows.reduce((sum, other) => sum + squaredRowDistance(space, row, other), 0) / rows.length) }));
}

/**
 * The tracks of a playlist, `length` in all. Without `to`: the seeds first,
 * in their order, then the tracks most similar to them (`similarTracks`:
 * never a seed again, the artist gap counting the seeds as played); the seeds
 * come whatever the filters, which choose only the tracks they lead to. With
 * `to`: the path from the one seed to it (`pathBetween`), which starts with
 * the seed. With `excludeSeeds`, the seeds are left out and `length` tracks
 * still come: a path is then searched one track longer and its first track
 * (the seed) dropped, so its first entry's distance is to the seed.
 * Throws `bad-recipe` without seeds, for a path with several seeds, or when
 * `length` is shorter than the seeds it starts with; `unknown-track` and the
 * path's errors as `similarTracks` and `pathBetween` do.
 */
export function playlistEntries(space: SimilaritySpace, query: PlaylistQuery): PlaylistEntry[] {
  const seeds = [...new Set(query.seeds)];
  const length = Math.floor(query.length);
  if (seeds.length === 0) throw new SonorityError('bad-recipe', 'pick at least one seed track');
  const options: PlaylistOptions = { length, artistGap: query.artistGap, filters: query.filters };
  if (query.to !== undefined) {
    if (seeds.length !== 1) throw new SonorityError('bad-recipe', `a path goes from one track to another: give one seed, not ${seeds.length}`);
    return query.excludeSeeds ? pathBetween(space, seeds[0]!, query.to, { ...options, length: length + 1 }).slice(1) : pathBetween(space, seeds[0]!, query.to, options);
  }
  if (query.excludeSeeds) return similarTracks(space, seeds, options);
  if (length < seeds.length) throw new SonorityError('bad-recipe', `a playlist of ${length} track${length === 1 ? '' : 's'} cannot start with its ${seeds.length} seeds: make it longer, or leave the seeds out`);
  return [...seedEntries(space, seeds), ...similarTracks(space, seeds, { ...options, length: length - seeds.length })];
}

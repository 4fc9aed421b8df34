import type { SimilaritySpace } from './similarity-space.ts';
import { smallestRows, squaredDistancesTo } from './space-distances.ts';

/** How often a track's nearest neighbours share its label, against chance. */
export interface NeighbourPrecision {
  /** Mean over rows of the share of its `k` nearest other-artist rows with its label. */
  precision: number;
  /** The same share expected of `k` random other-artist rows (exact: their label frequencies). */
  random: number;
}

/**
 * Label precision@k of each row's `k` nearest neighbours in the space,
 * leaving out the row's own artist (an unknown artist is its own only), so
 * that recognising an artist's sound does not count as finding its genre.
 * The means are over `queries` (default: every row); every row is a neighbour.
 */
export function neighbourPrecision(space: SimilaritySpace, labels: readonly string[], k: number, queries?: readonly number[]): NeighbourPrecision {
  const n = space.trackIds.length;
  const rows = queries ?? Array.from({ length: n }, (_, row) => row);
  let precision = 0, random = 0;
  for (const row of rows) {
    const artist = space.artistIds[row]!;
    const others = Uint8Array.from({ length: n }, (_, other) => (other !== row && (artist < 0 || space.artistIds[other] !== artist) ? 1 : 0));
    const nearest = smallestRows(squaredDistancesTo(space, space.vectors.subarray(row * space.dimensions, (row + 1) * space.dimensions)), others, k);
    precision += nearest.filter((other) => labels[other] === labels[row]).length / Math.max(1, nearest.length) / rows.length;
    const pool = Array.from(others.keys()).filter((other) => others[other] === 1);
    random += pool.filter((other) => labels[other] === labels[row]).length / Math.max(1, pool.length) / rows.length;
  }
  return { precision, random };
}

import { SonorityError } from '../errors.ts';
import type { SimilaritySpace } from './similarity-space.ts';
import { NearestRows } from './nearest-rows.ts';

/** The row of `trackId`; throws `unknown-track` when the space lacks it. */
export function rowOfTrack(space: SimilaritySpace, trackId: number): number {
  const row = space.rowOf.get(trackId);
  if (row === undefined) throw new SonorityError('unknown-track', `track ${trackId} is not in the library's similarity space (not analysed yet, or removed)`);
  return row;
}

/** Squared Euclidean distance between two rows of the space. */
export function squaredRowDistance(space: SimilaritySpace, a: number, b: number): number {
  const { vectors, dimensions: d } = space;
  let sum = 0;
  for (let j = 0, pa = a * d, pb = b * d; j < d; j++) {
    const diff = vectors[pa + j]! - vectors[pb + j]!;
    sum += diff * diff;
  }
  return sum;
}

/** The `k` eligible rows with the smallest scores, smallest first (ties by row): one pass, O(n log k). */
export function smallestRows(scores: Float32Array, eligible: Uint8Array, k: number): Int32Array {
  const nearest = new NearestRows(k);
  for (let row = 0; row < scores.length; row++) if (eligible[row] === 1) nearest.offer(row, scores[row]!);
  return nearest.sorted();
}

/** Squared distance of every row of the space to `point` (a vector of the space's width). */
export function squaredDistancesTo(space: SimilaritySpace, point: ArrayLike<number>): Float32Array {
  const { vectors, dimensions: d } = space;
  const n = space.trackIds.length;
  const out = new Float32Array(n);
  const p = Float32Array.from(point);
  for (let row = 0, base = 0; row < n; row++, base += d) {
    let sum = 0;
    for (let j = 0; j < d; j++) {
      const diff = vectors[base + j]! - p[j]!;
      sum += diff * diff;
    }
    out[row] = sum;
  }
  return out;
}

/** The mean of the rows' vectors. */
export function centroidOf(space: SimilaritySpace, rows: readonly number[]): Float64Array {
  const centroid = new Float64Array(space.dimensions);
  for (const row of rows) {
    for (let j = 0; j < space.dimensions; j++) centroid[j]! += space.vectors[row * space.dimensions + j]! / rows.length;
  }
  return centroid;
}

import type { SimilaritySpace } from './similarity-space.ts';
import { rowOfTrack, squaredRowDistance } from './space-distances.ts';
import { createRandom, permutation } from '../model/prng.ts';

/** Mean and largest distance between consecutive tracks of a playlist. */
export interface StepDistances {
  mean: number;
  max: number;
}

function stepsOfRows(space: SimilaritySpace, rows: ArrayLike<number>): StepDistances {
  let sum = 0, max = 0;
  for (let i = 1; i < rows.length; i++) {
    const step = Math.sqrt(squaredRowDistance(space, rows[i - 1]!, rows[i]!));
    sum += step;
    max = Math.max(max, step);
  }
  return { mean: rows.length > 1 ? sum / (rows.length - 1) : 0, max };
}

/** Mean and max distance between consecutive tracks (0 and 0 with fewer than two tracks). Throws `unknown-track` for a track the space lacks. */
export function stepDistances(space: SimilaritySpace, trackIds: readonly number[]): StepDistances {
  return stepsOfRows(space, trackIds.map((id) => rowOfTrack(space, id)));
}

/**
 * The baseline for smoothness: the same figures for `runs` seeded random
 * orders of the same tracks (with `keepEnds`, the first and last stay in
 * place, as a path's endpoints), averaged over the runs.
 */
export function shuffledStepDistances(space: SimilaritySpace, trackIds: readonly number[], options: { runs: number; seed: number; keepEnds: boolean }): StepDistances {
  const rows = trackIds.map((id) => rowOfTrack(space, id));
  const random = createRandom(options.seed);
  const ends = options.keepEnds && rows.length >= 2 ? 1 : 0;
  const middle = rows.slice(ends, rows.length - ends);
  const total = { mean: 0, max: 0 };
  const runs = Math.max(1, Math.floor(options.runs));
  for (let run = 0; run < runs; run++) {
    const shuffled = Array.from(permutation(middle.length, random), (k) => middle[k]!);
    const order = [...rows.slice(0, ends), ...shuffled, ...rows.slice(rows.length - ends)];
    const steps = stepsOfRows(space, order);
    total.mean += steps.mean / runs;
    total.max += steps.max / runs;
  }
  return total;
}

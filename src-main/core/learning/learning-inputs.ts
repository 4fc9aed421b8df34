import { DESCRIPTOR_NAMES } from '../features/descriptors.ts';
import { fitStandardiser, standardise } from '../model/standardiser.ts';

/** The classifier's input rows, one per track, row-major. */
export interface LearningInputs {
  values: Float32Array;
  /** Inputs per track: 57 descriptors, plus the embedding's width when it is used. */
  width: number;
  usedEmbedding: boolean;
}

/** Z-scores each column of equally long rows (a constant column becomes zeros). */
function zScores(rows: readonly ArrayLike<number>[]): Float32Array[] {
  const width = rows[0]!.length;
  const mean = new Float64Array(width);
  const square = new Float64Array(width);
  for (const row of rows) for (let j = 0; j < width; j++) mean[j]! += row[j]! / rows.length;
  for (const row of rows) for (let j = 0; j < width; j++) square[j]! += (row[j]! - mean[j]!) ** 2 / rows.length;
  const std = square.map((s) => Math.sqrt(s) || 1);
  return rows.map((row) => Float32Array.from({ length: width }, (_, j) => (row[j]! - mean[j]!) / std[j]!));
}

/**
 * Standardises the tracks' inputs over all of them (unsupervised: no label
 * is read): descriptors as the genre model does (log-compressed variances,
 * then z-scores), the embedding z-scored per dimension. The embedding is used
 * only when every track has one, all of the same width. Throws a RangeError
 * for a track without 57 descriptors.
 */
export function learningInputs(tracks: readonly { descriptors: ArrayLike<number>; embedding: ArrayLike<number> | null }[]): LearningInputs {
  tracks.forEach((track, i) => {
    if (track.descriptors.length !== DESCRIPTOR_NAMES.length) throw new RangeError(`track ${i} has ${track.descriptors.length} descriptors, not ${DESCRIPTOR_NAMES.length}`);
  });
  const descriptors = tracks.map((track) => track.descriptors);
  const parts = [standardise(fitStandardiser(descriptors), descriptors)];
  const embeddings = tracks.map((track) => track.embedding);
  const usedEmbedding = embeddings.every((e) => e !== null && e.length > 0 && e.length === embeddings[0]!.length);
  if (usedEmbedding) parts.push(zScores(embeddings as ArrayLike<number>[]));
  const width = parts.reduce((sum, part) => sum + part[0]!.length, 0);
  const values = new Float32Array(tracks.length * width);
  tracks.forEach((_, i) => {
    let offset = i * width;
    for (const part of parts) {
      values.set(part[i]!, offset);
      offset += part[i]!.length;
    }
  });
  return { values, width, usedEmbedding };
}

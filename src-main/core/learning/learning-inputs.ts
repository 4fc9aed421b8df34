import { DESCRIPTOR_NAMES } from '../features/descriptors.ts';
import { fitStandardiser, standardise, zScoreColumns } from '../model/standardiser.ts';

/** The classifier's input rows, one per track, row-major. */
export interface LearningInputs {
  values: Float32Array;
  /** Inputs per track: 57 descriptors, plus the embedding's width when it is used. */
  width: number;
  usedEmbedding: boolean;
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
  const descriptors = standardise(fitStandardiser(tracks.map((track) => track.descriptors)), tracks.map((track) => track.descriptors));
  const embeddings = tracks.map((track) => track.embedding);
  const usedEmbedding = embeddings.every((e) => e !== null && e.length > 0 && e.length === embeddings[0]!.length);
  const embeddingWidth = usedEmbedding ? embeddings[0]!.length : 0;
  const width = DESCRIPTOR_NAMES.length + embeddingWidth;
  const values = new Float32Array(tracks.length * width);
  tracks.forEach((track, i) => {
    values.set(descriptors[i]!, i * width);
    if (usedEmbedding) values.set(track.embedding!, i * width + DESCRIPTOR_NAMES.length);
  });
  const everyRow = new Uint8Array(tracks.length).fill(1);
  zScoreColumns(values, width, DESCRIPTOR_NAMES.length, Array<Uint8Array>(embeddingWidth).fill(everyRow));
  return { values, width, usedEmbedding };
}

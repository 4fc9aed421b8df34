/**
 * A candidate out-of-distribution check in MusiCNN's embedding space, measured
 * by `musicnn-ood.ts` and not shipped (it separates non-music worse than the
 * descriptor check; README, *Out of distribution*): how far a track's
 * 200-value patch embeddings lie from those of real music (the reference
 * clips), as a Mahalanobis distance under a Gaussian fitted to the reference
 * patches (covariance shrunk towards its mean variance, as `core/model/ood.ts` does),
 * divided by √200. A track's score is the median over its patches.
 */
import { median } from '../src-main/core/features/stats.ts';
import { fitGaussian, oodDistance, upperQuantile } from '../src-main/core/model/ood.ts';
import { MUSICNN_EMBEDDING_SIZE } from '../src-main/core/musicnn/model-metadata.ts';

/** The fitted reference. */
export interface EmbeddingOodReference {
  mean: number[];
  /** Inverse of the shrunk covariance, row-major 200×200. */
  precision: number[];
  shrinkage: number;
  /** Track scores above this are out of distribution. */
  threshold: number;
  thresholdQuantile: number;
}

/** Each patch's distance (÷ √200) from the reference, for `patches × 200` embeddings. */
export function patchDistances(reference: Pick<EmbeddingOodReference, 'mean' | 'precision'>, embeddings: Float32Array): Float64Array {
  const d = MUSICNN_EMBEDDING_SIZE;
  return Float64Array.from({ length: embeddings.length / d }, (_, p) => oodDistance(reference, embeddings.subarray(p * d, (p + 1) * d)));
}

/**
 * A track's embedding OOD score: the median over its patches of their
 * distance from the reference; null without a patch (MusiCNN abstains).
 */
export function embeddingOodScore(reference: Pick<EmbeddingOodReference, 'mean' | 'precision'>, embeddings: Float32Array): number | null {
  return embeddings.length >= MUSICNN_EMBEDDING_SIZE ? median(Array.from(patchDistances(reference, embeddings))) : null;
}

/**
 * Fits the reference on the patch embeddings of some clips of real music
 * (each `patches × 200`, flat). The threshold is the `thresholdQuantile` of
 * held-out patch distances: each clip's patches measured against a Gaussian
 * fitted without that clip, since a clip's own patches lie close to a fit
 * that includes them. Also returns those held-out distances.
 */
export function fitEmbeddingOod(clips: readonly Float32Array[], shrinkage: number, thresholdQuantile = 0.99): EmbeddingOodReference & { heldOut: number[] } {
  const d = MUSICNN_EMBEDDING_SIZE;
  const rowsOf = (clip: Float32Array) => Array.from({ length: clip.length / d }, (_, p) => clip.subarray(p * d, (p + 1) * d));
  const heldOut = clips.flatMap((clip, i) => Array.from(patchDistances(fitGaussian(clips.filter((_, j) => j !== i).flatMap(rowsOf), shrinkage), clip)));
  const threshold = upperQuantile(heldOut, thresholdQuantile);
  return { ...fitGaussian(clips.flatMap(rowsOf), shrinkage), shrinkage, threshold, thresholdQuantile, heldOut };
}

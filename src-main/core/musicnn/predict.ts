import { runDenseHead } from './dense-head.ts';
import type { MusicnnModels } from './load-models.ts';
import { MUSICNN_EMBEDDING_SIZE, type MusicnnHeadName } from './model-metadata.ts';
import type { MusicnnMel } from './mel-input.ts';
import { patchStarts } from './patches.ts';

/** The model's outputs for each patch of an input, row-major by patch. */
export interface PatchPredictions {
  /** First frame of each patch. */
  starts: number[];
  /** `patches × 50` tag probabilities (`model/Sigmoid`), tags in the metadata's order. */
  tags: Float32Array;
  /** `patches × 200` embedding (`model/dense/Relu`). */
  embedding: Float32Array;
  /** Per head, the probability of its positive class (`POSITIVE_CLASS`) for each patch. */
  heads: Record<MusicnnHeadName, Float32Array>;
}

/** Empty outputs for `patches` patches. */
function emptyPredictions(models: MusicnnModels, starts: number[]): PatchPredictions {
  return {
    starts,
    tags: new Float32Array(starts.length * models.metadata.tags.length),
    embedding: new Float32Array(starts.length * MUSICNN_EMBEDDING_SIZE),
    heads: Object.fromEntries(models.heads.map((head) => [head.metadata.name, new Float32Array(starts.length)])) as Record<MusicnnHeadName, Float32Array>,
  };
}

/**
 * Runs the tagger (on whichever runtime `models.tagger` is, through
 * `MusicnnTagger.predict`) on every patch of a mel input (`patchStarts`, or
 * `starts` when given), at most `batchSize` patches per model call (the
 * tagger's own by default), and the four heads on each patch's embedding.
 */
export async function predictPatches(models: MusicnnModels, mel: MusicnnMel, options: { batchSize?: number; starts?: number[] } = {}): Promise<PatchPredictions> {
  const starts = options.starts ?? patchStarts(mel.frames);
  const batchSize = Math.max(1, options.batchSize ?? models.tagger.batchSize);
  const result = emptyPredictions(models, starts);
  const { tags, embedding } = await models.tagger.predict(mel.bands, starts, batchSize);
  result.tags.set(tags);
  result.embedding.set(embedding);
  for (const head of models.heads) {
    const softmax = runDenseHead(head, embedding, starts.length);
    for (let p = 0; p < starts.length; p++) result.heads[head.metadata.name][p] = softmax[2 * p + head.metadata.positiveIndex]!;
  }
  return result;
}

import { runDenseHead } from './dense-head.ts';
import type { MusicnnModels } from './load-models.ts';
import { MUSICNN_EMBEDDING_SIZE, type MusicnnHeadName } from './model-metadata.ts';
import type { MusicnnMel } from './mel-input.ts';
import { packPatches, patchStarts } from './patches.ts';

/**
 * Patches per model call unless asked otherwise. On wasm (one thread) the cost
 * per patch is the same at batch 1, 8 and 32 within noise (`npm run
 * bench:musicnn`), and so it is on onnxruntime-node with one thread at 1, 8
 * and 19; 8 makes fewer calls and keeps each input small (0.6 MB).
 */
export const DEFAULT_MUSICNN_BATCH = 8;

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
 * Runs the tagger (on whichever runtime `models.tagger` is) on every patch of
 * a mel input (`patchStarts`, or `starts` when given), `batchSize` patches
 * per call, and the four heads on each patch's embedding.
 */
export async function predictPatches(models: MusicnnModels, mel: MusicnnMel, options: { batchSize?: number; starts?: number[] } = {}): Promise<PatchPredictions> {
  const starts = options.starts ?? patchStarts(mel.frames);
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_MUSICNN_BATCH);
  const tagCount = models.metadata.tags.length;
  const result = emptyPredictions(models, starts);
  for (let first = 0; first < starts.length; first += batchSize) {
    const batch = starts.slice(first, first + batchSize);
    const { tags, embedding } = await models.tagger.run(packPatches(mel.bands, batch), batch.length);
    result.tags.set(tags, first * tagCount);
    result.embedding.set(embedding, first * MUSICNN_EMBEDDING_SIZE);
    for (const head of models.heads) {
      const softmax = runDenseHead(head, embedding, batch.length);
      for (let p = 0; p < batch.length; p++) result.heads[head.metadata.name][first + p] = softmax[2 * p + head.metadata.positiveIndex]!;
    }
  }
  return result;
}

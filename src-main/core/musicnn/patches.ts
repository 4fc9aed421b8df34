import { MUSICNN_BANDS, MUSICNN_PATCH_FRAMES, MUSICNN_PATCH_HOP } from './input-definition.ts';

/**
 * The first frame of every patch of a `frames`-frame input, as
 * `TensorflowPredictMusiCNN` cuts them with `lastPatchMode` discard: patches
 * of 187 frames every 93 frames, and a last partial patch is dropped (1,859
 * frames → 18 patches, the last starting at frame 1,581). None under 187
 * frames (about 3 s).
 */
export function patchStarts(frames: number, hop: number = MUSICNN_PATCH_HOP): number[] {
  const starts: number[] = [];
  for (let start = 0; start + MUSICNN_PATCH_FRAMES <= frames; start += hop) starts.push(start);
  return starts;
}

/**
 * Packs the patches starting at `starts` of a row-major `frames × 96` mel
 * input into one `[starts.length, 187, 96]` batch, row-major.
 */
export function packPatches(bands: Float32Array, starts: readonly number[]): Float32Array {
  const size = MUSICNN_PATCH_FRAMES * MUSICNN_BANDS;
  const batch = new Float32Array(starts.length * size);
  starts.forEach((start, i) => batch.set(bands.subarray(start * MUSICNN_BANDS, start * MUSICNN_BANDS + size), i * size));
  return batch;
}

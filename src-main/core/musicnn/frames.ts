import { MUSICNN_FRAME_SIZE, MUSICNN_HOP_SIZE } from './input-definition.ts';

/**
 * The number of frames Essentia's FrameCutter cuts from `samples` samples in
 * its zero-centred mode (`startFromZero` false): frame `i` is centred on
 * sample `256·i`, and cutting stops after the first frame whose centre is at
 * or past the end, so the count is `ceil(samples / 256) + 1` (0 for no
 * samples). Checked on the eight parity references (e.g. 480,213 samples →
 * 1,877 frames).
 */
export function musicnnFrameCount(samples: number): number {
  return samples === 0 ? 0 : Math.ceil(samples / MUSICNN_HOP_SIZE) + 1;
}

/**
 * Copies frame `index` of `samples` into `out` (length 512): samples
 * `256·index − 256` to `256·index + 255`, zero where that range runs before
 * the start or past the end (Essentia pads both ends with zeros).
 */
export function cutFrame(samples: ArrayLike<number>, index: number, out: Float64Array): void {
  const start = index * MUSICNN_HOP_SIZE - MUSICNN_FRAME_SIZE / 2;
  for (let i = 0; i < MUSICNN_FRAME_SIZE; i++) {
    const at = start + i;
    out[i] = at >= 0 && at < samples.length ? samples[at]! : 0;
  }
}

import { HOP, N_FFT, frameCount, reflectPad } from './stft.ts';

/** RMS of each centred frame (reflect padding), librosa's `feature.rms`. */
export function rmsFrames(y: ArrayLike<number>, frameLength = N_FFT, hop = HOP): Float64Array {
  const padded = reflectPad(y, frameLength / 2);
  const frames = frameCount(y.length, hop);
  const out = new Float64Array(frames);
  for (let t = 0; t < frames; t++) {
    let sum = 0;
    for (let i = t * hop; i < t * hop + frameLength; i++) sum += padded[i]! * padded[i]!;
    out[t] = Math.sqrt(sum / frameLength);
  }
  return out;
}

/**
 * Zero-crossing rate of each centred frame, librosa's `feature.zero_crossing_rate`:
 * edge padding, a sign change between neighbours counts (zero counts as positive,
 * |x| ≤ 1e-10 counts as zero), divided by the frame length.
 */
export function zeroCrossingRateFrames(y: ArrayLike<number>, frameLength = N_FFT, hop = HOP): Float64Array {
  const pad = frameLength / 2;
  const n = y.length;
  const negative = new Uint8Array(n + 2 * pad);
  for (let i = 0; i < negative.length; i++) {
    const value = y[Math.min(n - 1, Math.max(0, i - pad))]!;
    negative[i] = Math.abs(value) <= 1e-10 ? 0 : value < 0 ? 1 : 0;
  }
  const frames = frameCount(n, hop);
  const out = new Float64Array(frames);
  for (let t = 0; t < frames; t++) {
    let crossings = 0;
    for (let i = t * hop + 1; i < t * hop + frameLength; i++) crossings += negative[i] !== negative[i - 1] ? 1 : 0;
    out[t] = crossings / frameLength;
  }
  return out;
}

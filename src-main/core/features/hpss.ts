import { createRealFft } from './fft.ts';
import { medianFilterLine, medianScratch } from './median-filter.ts';
import { TINY_F32 } from './stats.ts';
import { hannWindow, type Spectrogram } from './stft.ts';

const KERNEL = 31;
const POWER = 2;

/**
 * Harmonic soft mask of librosa's `decompose.hpss` (kernel 31, power 2,
 * margin 1): median-filter |S| along time (H) and along frequency (P), then
 * mask = H² / (H² + P²), ½ where both are zero. The percussive mask is 1 − mask.
 * The mask is written over H (one window-sized array less at the peak).
 */
export function harmonicMask(mag: Float64Array, frames: number, bins: number): Float64Array {
  const alongTime = new Float64Array(mag.length);
  const alongFrequency = new Float64Array(mag.length);
  const scratch = medianScratch(Math.max(frames, bins), KERNEL);
  for (let k = 0; k < bins; k++) medianFilterLine(mag, alongTime, k, bins, frames, KERNEL, scratch);
  for (let t = 0; t < frames; t++) medianFilterLine(mag, alongFrequency, t * bins, 1, bins, KERNEL, scratch);
  const harmonic = alongTime;
  for (let i = 0; i < mag.length; i++) {
    const h = alongTime[i]!;
    const p = alongFrequency[i]!;
    const z = Math.max(h, p);
    if (z < TINY_F32) {
      harmonic[i] = 0.5;
      continue;
    }
    const hp = (h / z) ** POWER;
    const pp = (p / z) ** POWER;
    harmonic[i] = hp / (hp + pp);
  }
  return harmonic;
}

/**
 * librosa's `effects.hpss` on a window `y`: the harmonic signal is the inverse
 * STFT of S·mask. Since the masks sum to one and the inverse STFT is linear,
 * the percussive signal is the inverse STFT of S (which gives `y` back, up to
 * rounding, wherever it covers the window) minus the harmonic one, and zero in
 * the tail it does not cover (the samples after the last frame's centre). `mag` is |S|.
 */
export function separateHarmonicPercussive(y: ArrayLike<number>, spec: Spectrogram, mag: Float64Array, hop: number): { harmonic: Float64Array; percussive: Float64Array } {
  const length = y.length;
  const harmonic = istftMasked(spec, harmonicMask(mag, spec.frames, spec.bins), hop, length);
  const percussive = new Float64Array(length);
  const covered = Math.min(length, hop * (spec.frames - 1));
  for (let i = 0; i < covered; i++) percussive[i] = y[i]! - harmonic[i]!;
  return { harmonic, percussive };
}

/**
 * Inverse STFT of `spec` with every bin scaled by `mask`, as librosa's
 * `istft`: overlap-add of Hann-windowed frames divided by the summed squared
 * window, `nFft/2` trimmed from both ends, then cut or zero-padded to `length`.
 */
export function istftMasked(spec: Spectrogram, mask: Float64Array, hop: number, length: number): Float64Array {
  const { frames, bins } = spec;
  const nFft = 2 * (bins - 1);
  const window = hannWindow(nFft);
  const fft = createRealFft(nFft);
  const total = nFft + hop * (frames - 1);
  const y = new Float64Array(total);
  const windowSum = new Float64Array(total);
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  const frame = new Float64Array(nFft);
  for (let t = 0; t < frames; t++) {
    for (let k = 0; k < bins; k++) {
      const i = t * bins + k;
      re[k] = spec.re[i]! * mask[i]!;
      im[k] = spec.im[i]! * mask[i]!;
    }
    fft.inverse(re, im, frame);
    const start = t * hop;
    for (let n = 0; n < nFft; n++) {
      y[start + n]! += window[n]! * frame[n]!;
      windowSum[start + n]! += window[n]! * window[n]!;
    }
  }
  for (let n = 0; n < total; n++) if (windowSum[n]! > TINY_F32) y[n]! /= windowSum[n]!;
  const out = new Float64Array(length);
  out.set(y.subarray(nFft / 2, Math.min(total - nFft / 2, nFft / 2 + length)));
  return out;
}

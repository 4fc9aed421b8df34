import { fftFrequencies } from './stft.ts';
import { sparseRows, applyFilterBank, type FilterBank } from './mel.ts';
import { TINY_F32, median } from './stats.ts';

/** One spectral peak found by `piptrack`: its interpolated frequency and magnitude. */
interface Peak {
  pitch: number;
  magnitude: number;
}

/**
 * librosa's `piptrack` on a power spectrogram (fmin 150 Hz, fmax 4 kHz,
 * threshold 0.1 of each frame's maximum): local maxima along frequency,
 * refined by parabolic interpolation.
 */
function spectralPeaks(power: Float64Array, frames: number, bins: number, sampleRate: number, nFft: number): Peak[] {
  const freqs = fftFrequencies(sampleRate, nFft);
  const peaks: Peak[] = [];
  const gated = new Float64Array(bins);
  for (let t = 0; t < frames; t++) {
    const s = power.subarray(t * bins, (t + 1) * bins);
    let max = 0;
    for (let k = 0; k < bins; k++) if (s[k]! > max) max = s[k]!;
    const ref = 0.1 * max;
    for (let k = 0; k < bins; k++) gated[k] = s[k]! > ref ? s[k]! : 0;
    for (let k = 1; k < bins - 1; k++) {
      if (freqs[k]! < 150 || freqs[k]! >= 4000) continue;
      if (!(gated[k]! > gated[k - 1]! && gated[k]! >= gated[k + 1]!)) continue;
      const avg = 0.5 * (s[k + 1]! - s[k - 1]!);
      const curvature = 2 * s[k]! - s[k + 1]! - s[k - 1]!;
      const shift = avg / (curvature + (Math.abs(curvature) < TINY_F32 ? 1 : 0));
      peaks.push({ pitch: ((k + shift) * sampleRate) / nFft, magnitude: s[k]! + 0.5 * avg * shift });
    }
  }
  return peaks;
}

/**
 * Tuning deviation in fractions of a semitone (−0.5 … 0.49), librosa's
 * `estimate_tuning`: the peaks at least as strong as the median peak vote in a
 * 0.01-semitone histogram of their distance from equal temperament; the most
 * common bin's left edge wins.
 */
export function estimateTuning(power: Float64Array, frames: number, bins: number, sampleRate: number, nFft: number): number {
  const peaks = spectralPeaks(power, frames, bins, sampleRate, nFft).filter((p) => p.pitch > 0);
  if (peaks.length === 0) return 0;
  const threshold = median(peaks.map((p) => p.magnitude));
  const counts = new Array<number>(100).fill(0);
  const edge = (i: number) => (i === 100 ? 0.5 : -0.5 + i * 0.01);
  for (const { pitch, magnitude } of peaks) {
    if (magnitude < threshold) continue;
    let residual = (12 * Math.log2(pitch / 27.5)) % 1;
    if (residual < 0) residual += 1;
    if (residual >= 0.5) residual -= 1;
    let bin = Math.min(99, Math.floor((residual + 0.5) * 100));
    if (residual < edge(bin)) bin--;
    else if (bin < 99 && residual >= edge(bin + 1)) bin++;
    counts[bin]!++;
  }
  return edge(counts.indexOf(Math.max(...counts)));
}

/**
 * librosa's chroma filter bank (12 bins from C, centre octave 5, width 2
 * octaves, L2-normalised columns), shifted by `tuning` semitones; float32.
 */
export function chromaFilterBank(sampleRate: number, nFft: number, tuning: number): FilterBank {
  const n = 12;
  const a440 = 440 * 2 ** (tuning / n);
  const frqbins = new Float64Array(nFft);
  for (let k = 1; k < nFft; k++) frqbins[k] = n * Math.log2((k * sampleRate) / nFft / (a440 / 16));
  frqbins[0] = frqbins[1]! - 1.5 * n;
  const binwidth = Float64Array.from({ length: nFft }, (_, k) => (k < nFft - 1 ? Math.max(frqbins[k + 1]! - frqbins[k]!, 1) : 1));
  const bins = nFft / 2 + 1;
  const weights = new Float32Array(n * bins);
  const column = new Float64Array(n);
  for (let k = 0; k < bins; k++) {
    let norm = 0;
    for (let c = 0; c < n; c++) {
      const raw = frqbins[k]! - c + n / 2 + 10 * n;
      const d = raw - n * Math.floor(raw / n) - n / 2;
      column[c] = Math.exp(-0.5 * ((2 * d) / binwidth[k]!) ** 2);
      norm += column[c]! ** 2;
    }
    norm = Math.sqrt(norm);
    const octaveWeight = Math.exp(-0.5 * ((frqbins[k]! / n - 5) / 2) ** 2);
    for (let c = 0; c < n; c++) weights[((c + n - 3) % n) * bins + k] = (column[c]! / (norm > 0 ? norm : 1)) * octaveWeight;
  }
  return sparseRows(weights, n, bins);
}

/** Chroma of each frame (12 values, frame-major) from a power spectrogram, each frame scaled so its maximum is 1. */
export function chromaStft(power: Float64Array, frames: number, bins: number, sampleRate: number, nFft: number): Float64Array {
  const tuning = estimateTuning(power, frames, bins, sampleRate, nFft);
  const chroma = applyFilterBank(power, frames, chromaFilterBank(sampleRate, nFft, tuning));
  for (let t = 0; t < frames; t++) {
    let max = 0;
    for (let c = 0; c < 12; c++) max = Math.max(max, Math.abs(chroma[t * 12 + c]!));
    if (max >= TINY_F32) for (let c = 0; c < 12; c++) chroma[t * 12 + c]! /= max;
  }
  return chroma;
}

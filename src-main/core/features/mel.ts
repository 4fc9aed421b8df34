import { N_FFT, fftFrequencies } from './stft.ts';

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOG_STEP = Math.log(6.4) / 27;

/** Hz to mel on the Slaney scale (linear below 1 kHz, logarithmic above). */
export function hzToMel(hz: number): number {
  return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP : hz / F_SP;
}

/** Mel (Slaney scale) to Hz. */
export function melToHz(mel: number): number {
  return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
}

/**
 * The mel filter bank of librosa's `filters.mel` (Slaney scale, area
 * normalisation), `nMels` × (nFft/2 + 1), row-major, float32 like librosa's.
 */
export function melFilterBank(sampleRate: number, nFft = N_FFT, nMels = 128, fMin = 0, fMax = sampleRate / 2): Float32Array {
  const freqs = fftFrequencies(sampleRate, nFft);
  const bins = freqs.length;
  const lowMel = hzToMel(fMin);
  const highMel = hzToMel(fMax);
  const edges = Float64Array.from({ length: nMels + 2 }, (_, i) => melToHz(lowMel + ((highMel - lowMel) * i) / (nMels + 1)));
  const weights = new Float32Array(nMels * bins);
  for (let m = 0; m < nMels; m++) {
    const lowerWidth = edges[m + 1]! - edges[m]!;
    const upperWidth = edges[m + 2]! - edges[m + 1]!;
    const areaNorm = 2 / (edges[m + 2]! - edges[m]!);
    for (let k = 0; k < bins; k++) {
      const lower = (freqs[k]! - edges[m]!) / lowerWidth;
      const upper = (edges[m + 2]! - freqs[k]!) / upperWidth;
      weights[m * bins + k] = Math.max(0, Math.min(lower, upper)) * areaNorm;
    }
  }
  return weights;
}

/** A filter bank stored with each row's non-zero range, so applying it skips the zeros. */
export interface FilterBank {
  rows: number;
  bins: number;
  weights: Float32Array;
  start: Uint32Array;
  end: Uint32Array;
}

/** Wraps a dense row-major bank (`rows` × `bins`) with the non-zero range of each row. */
export function sparseRows(weights: Float32Array, rows: number, bins: number): FilterBank {
  const start = new Uint32Array(rows);
  const end = new Uint32Array(rows);
  for (let r = 0; r < rows; r++) {
    let first = bins;
    let last = 0;
    for (let k = 0; k < bins; k++) {
      if (weights[r * bins + k] !== 0) {
        first = Math.min(first, k);
        last = k + 1;
      }
    }
    start[r] = Math.min(first, last);
    end[r] = last;
  }
  return { rows, bins, weights, start, end };
}

/** Applies a filter bank to a frame-major power spectrogram; returns frame-major `frames` × `bank.rows`. */
export function applyFilterBank(power: Float64Array, frames: number, bank: FilterBank): Float64Array {
  const { rows, bins, weights, start, end } = bank;
  const out = new Float64Array(frames * rows);
  for (let t = 0; t < frames; t++) {
    const base = t * bins;
    for (let r = 0; r < rows; r++) {
      const row = r * bins;
      let sum = 0;
      for (let k = start[r]!; k < end[r]!; k++) sum += weights[row + k]! * power[base + k]!;
      out[t * rows + r] = sum;
    }
  }
  return out;
}

/** librosa's `power_to_db` with ref 1, amin 1e-10 and an 80 dB floor below the loudest value of the whole matrix. */
export function powerToDb(power: Float64Array, amin = 1e-10, topDb = 80): Float64Array {
  const db = power.map((p) => 10 * Math.log10(Math.max(amin, p)));
  let max = -Infinity;
  for (const value of db) if (value > max) max = value;
  return db.map((value) => Math.max(value, max - topDb));
}

/** Orthonormal DCT-II of each frame's `n` values (scipy's `dct(type=2, norm='ortho')`), keeping the first `keep` coefficients. */
export function dctOrtho(frames: Float64Array, frameCount: number, n: number, keep: number): Float64Array {
  const basis = new Float64Array(keep * n);
  for (let k = 0; k < keep; k++) {
    const scale = k === 0 ? Math.sqrt(1 / n) : Math.sqrt(2 / n);
    for (let i = 0; i < n; i++) basis[k * n + i] = scale * Math.cos((Math.PI * k * (2 * i + 1)) / (2 * n));
  }
  const out = new Float64Array(frameCount * keep);
  for (let t = 0; t < frameCount; t++) {
    for (let k = 0; k < keep; k++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += basis[k * n + i]! * frames[t * n + i]!;
      out[t * keep + k] = sum;
    }
  }
  return out;
}

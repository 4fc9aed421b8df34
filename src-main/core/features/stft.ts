import { createRealFft } from './fft.ts';

/** STFT parameters of every GTZAN descriptor (librosa defaults). */
export const N_FFT = 2048;
export const HOP = 512;

/** A complex spectrogram, frame-major: bin `k` of frame `t` is at `t * bins + k`. */
export interface Spectrogram {
  frames: number;
  bins: number;
  re: Float64Array;
  im: Float64Array;
}

/** The periodic Hann window of length `n` (scipy's `get_window('hann', n, fftbins=True)`). */
export function hannWindow(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
}

/** Pads `y` by `pad` samples on both sides, mirroring about the edge sample without repeating it (numpy 'reflect'). */
export function reflectPad(y: ArrayLike<number>, pad: number): Float64Array {
  const n = y.length;
  const out = new Float64Array(n + 2 * pad);
  out.set(y, pad);
  const source = (i: number): number => {
    let j = i - pad;
    while (j < 0 || j >= n) j = j < 0 ? -j : 2 * (n - 1) - j;
    return y[j]!;
  };
  for (let i = 0; i < pad; i++) {
    out[i] = source(i);
    out[n + pad + i] = source(n + pad + i);
  }
  return out;
}

/** Number of centred frames librosa yields for `length` samples. */
export function frameCount(length: number, hop = HOP): number {
  return 1 + Math.floor(length / hop);
}

/**
 * Short-time Fourier transform as librosa computes it: frames of `nFft`
 * samples every `hop`, centred (the signal reflect-padded by nFft/2), each
 * multiplied by a periodic Hann window; bins 0..nFft/2.
 */
export function stft(y: ArrayLike<number>, nFft = N_FFT, hop = HOP): Spectrogram {
  const padded = reflectPad(y, nFft / 2);
  const frames = 1 + Math.floor((padded.length - nFft) / hop);
  const bins = nFft / 2 + 1;
  const window = hannWindow(nFft);
  const fft = createRealFft(nFft);
  const re = new Float64Array(frames * bins);
  const im = new Float64Array(frames * bins);
  const frame = new Float64Array(nFft);
  for (let t = 0; t < frames; t++) {
    const offset = t * hop;
    for (let i = 0; i < nFft; i++) frame[i] = padded[offset + i]! * window[i]!;
    fft.forward(frame, re.subarray(t * bins, (t + 1) * bins), im.subarray(t * bins, (t + 1) * bins));
  }
  return { frames, bins, re, im };
}

/** |S|^power per bin, frame-major like the spectrogram. */
export function magnitudes(spec: Spectrogram, power: 1 | 2): Float64Array {
  const out = new Float64Array(spec.re.length);
  for (let i = 0; i < out.length; i++) {
    const p = spec.re[i]! * spec.re[i]! + spec.im[i]! * spec.im[i]!;
    out[i] = power === 2 ? p : Math.sqrt(p);
  }
  return out;
}

/** Centre frequency in Hz of each STFT bin. */
export function fftFrequencies(sampleRate: number, nFft = N_FFT): Float64Array {
  return Float64Array.from({ length: nFft / 2 + 1 }, (_, k) => (k * sampleRate) / nFft);
}

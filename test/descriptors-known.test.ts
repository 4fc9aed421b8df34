import { describe, expect, it } from 'vitest';
import { computeDescriptors } from '../src-main/core/features/descriptors.ts';
import { WindowAnalysis } from '../src-main/core/features/window-analysis.ts';
import { rmsFrames, zeroCrossingRateFrames } from '../src-main/core/features/time-domain.ts';

const SR = 22050;
const N = 2048;
const seconds = (s: number) => Math.round(s * SR);
/** Frames far enough from both ends that padding plays no part. */
const interior = (values: ArrayLike<number>) => Array.from(values).slice(4, -4);

describe('known values: silence', () => {
  const d = computeDescriptors(new Float32Array(seconds(3)));
  it('has no energy, no crossings, no spectrum and no tempo', () => {
    for (const name of ['rms', 'zero_crossing_rate', 'spectral_centroid', 'spectral_bandwidth', 'rolloff', 'chroma_stft', 'harmony', 'perceptr'] as const) {
      expect(d[`${name}_mean`]).toBe(0);
      expect(d[`${name}_var`]).toBe(0);
    }
    expect(d.tempo).toBe(0);
  });
  it('has MFCC 1 = −100 dB · √128 (the amin floor through an orthonormal DCT) and no other cepstral energy', () => {
    expect(d.mfcc1_mean).toBeCloseTo(-100 * Math.sqrt(128), 9);
    expect(d.mfcc1_var).toBeCloseTo(0, 12);
    for (let k = 2; k <= 20; k++) expect(Math.abs(d[`mfcc${k}_mean` as 'mfcc2_mean'])).toBeLessThan(1e-9);
  });
});

describe('known values: a sine centred on FFT bin 100', () => {
  const k = 100;
  const f = (k * SR) / N;
  const amplitude = 0.5;
  const y = Float64Array.from({ length: seconds(3) }, (_, n) => amplitude * Math.sin((2 * Math.PI * f * n) / SR + 0.3));
  const w = new WindowAnalysis(y);

  it('has its centroid on the bin, bandwidth Δf/√2 and rolloff one bin above', () => {
    // A periodic Hann window spreads a bin-centred sine over bins k−1, k, k+1 as ¼, ½, ¼.
    for (const c of interior(w.shape.centroid)) expect(c).toBeCloseTo(f, 6);
    for (const b of interior(w.shape.bandwidth)) expect(b).toBeCloseTo(SR / N / Math.SQRT2, 4);
    for (const r of interior(w.shape.rolloff)) expect(r).toBe(((k + 1) * SR) / N);
  });

  it('has RMS amplitude/√2 and 199 or 200 zero crossings per 2048 samples', () => {
    for (const r of interior(rmsFrames(y))) expect(r).toBeCloseTo(amplitude / Math.SQRT2, 3);
    for (const z of interior(zeroCrossingRateFrames(y))) expect([199 / N, 200 / N]).toContain(z);
  });
});

describe('known values: a 440 Hz tone', () => {
  it('puts all chroma frames on A', () => {
    const y = Float32Array.from({ length: seconds(3) }, (_, n) => 0.3 * Math.sin((2 * Math.PI * 440 * n) / SR));
    const chroma = new WindowAnalysis(y).chroma();
    for (let t = 2; t < chroma.frames - 2; t++) {
      const frame = Array.from(chroma.values.subarray(t * 12, t * 12 + 12));
      expect(frame.indexOf(1)).toBe(9);
    }
  });
});

describe('known values: a click train', () => {
  it('every 22 hops has tempo 60·22050 / (512·22) BPM', () => {
    const period = 22 * 512;
    const y = new Float32Array(seconds(30));
    for (let n = 0; n < y.length; n += period) for (let i = 0; i < 32; i++) y[n + i] = 0.8 * (1 - i / 32);
    expect(computeDescriptors(y).tempo).toBe((60 * SR) / (512 * 22));
  });
});

describe('known values: white noise', () => {
  it('has a flat spectrum: centroid near a quarter of the rate, rolloff near 85 % of Nyquist, ZCR near ½', () => {
    let seed = 42;
    const uniform = () => (seed = (seed * 1664525 + 1013904223) % 2 ** 32) / 2 ** 32;
    const y = Float32Array.from({ length: seconds(5) }, () => uniform() - 0.5);
    const d = computeDescriptors(y);
    expect(d.rms_mean).toBeCloseTo(Math.sqrt(1 / 12), 2);
    expect(d.zero_crossing_rate_mean).toBeCloseTo(0.5, 1);
    expect(d.spectral_centroid_mean / (SR / 4)).toBeCloseTo(1, 1);
    expect(d.rolloff_mean / (0.85 * SR / 2)).toBeCloseTo(1, 1);
  });
});

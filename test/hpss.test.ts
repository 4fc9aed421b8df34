import { describe, expect, it } from 'vitest';
import { harmonicMask, istftMasked, separateHarmonicPercussive } from '../src-main/core/features/hpss.ts';
import { medianFilterLine, medianScratch } from '../src-main/core/features/median-filter.ts';
import { HOP, magnitudes, stft } from '../src-main/core/features/stft.ts';

/** A reproducible pseudo-random sequence in [0, 1). */
function random(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** scipy's `median_filter(mode='reflect')` of one line, written the obvious way. */
function naiveMedian(line: number[], size: number): number[] {
  const half = (size - 1) / 2;
  const at = (j: number): number => {
    while (j < 0 || j >= line.length) j = j < 0 ? -j - 1 : 2 * line.length - j - 1;
    return line[j]!;
  };
  return line.map((_, i) => Array.from({ length: size }, (_, d) => at(i - half + d)).sort((a, b) => a - b)[half]!);
}

describe('medianFilterLine', () => {
  it.each([
    [1, 31],
    [3, 31],
    [20, 31],
    [200, 31],
    [57, 5],
    [9, 1],
  ])('equals a naive reflect-boundary median on %i values, width %i (ties, strides and repeated lines)', (length, size) => {
    const next = random(length * 97 + size);
    const stride = 3;
    const scratch = medianScratch(length, size);
    for (const quantum of [0, 0.25]) {
      // Values rounded to quarters give many ties; a scratch reused across lines must not leak state.
      const input = Float64Array.from({ length: length * stride }, () => (quantum ? Math.round(next() / quantum) * quantum : next()));
      for (let column = 0; column < stride; column++) {
        const output = new Float64Array(input.length);
        medianFilterLine(input, output, column, stride, length, size, scratch);
        const line = Array.from({ length }, (_, i) => input[column + i * stride]!);
        expect(Array.from({ length }, (_, i) => output[column + i * stride]!)).toEqual(naiveMedian(line, size));
      }
    }
  });
});

describe('separateHarmonicPercussive', () => {
  it('gives the inverse STFT of S·(1 − mask) as the percussive signal, zero after the last frame centre', () => {
    const next = random(7);
    const y = Float32Array.from({ length: 20_000 }, (_, i) => Math.sin(i * 0.05) * 0.5 + (i % 900 < 20 ? next() - 0.5 : 0));
    const spec = stft(y);
    const mag = magnitudes(spec, 1);
    const { harmonic, percussive } = separateHarmonicPercussive(y, spec, mag, HOP);
    const mask = harmonicMask(mag, spec.frames, spec.bins);
    const expected = istftMasked(spec, mask.map((m) => 1 - m), HOP, y.length);
    expect(harmonic).toEqual(istftMasked(spec, mask, HOP, y.length));
    for (let i = 0; i < y.length; i++) expect(Math.abs(percussive[i]! - expected[i]!)).toBeLessThan(1e-12);
    const covered = HOP * Math.floor(y.length / HOP);
    expect(percussive.subarray(covered).every((v) => v === 0)).toBe(true);
    expect(expected.subarray(covered).every((v) => v === 0)).toBe(true);
  });
});

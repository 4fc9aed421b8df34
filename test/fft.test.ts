import { describe, expect, it } from 'vitest';
import { createRealFft } from '../src-main/core/features/fft.ts';

function naiveDft(x: number[]): Array<[number, number]> {
  const n = x.length;
  return Array.from({ length: n / 2 + 1 }, (_, k) => {
    let re = 0;
    let im = 0;
    x.forEach((v, t) => {
      re += v * Math.cos((-2 * Math.PI * k * t) / n);
      im += v * Math.sin((-2 * Math.PI * k * t) / n);
    });
    return [re, im] as [number, number];
  });
}

describe('createRealFft', () => {
  it.each([4, 8, 64, 2048])('matches a direct DFT at size %i', (n) => {
    let seed = 12345;
    const x = Array.from({ length: n }, () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1);
    const fft = createRealFft(n);
    const re = new Float64Array(n / 2 + 1);
    const im = new Float64Array(n / 2 + 1);
    fft.forward(x, re, im);
    naiveDft(x).forEach(([r, i], k) => {
      expect(re[k]).toBeCloseTo(r, 9);
      expect(im[k]).toBeCloseTo(i, 9);
    });
  });

  it('puts a cosine at its bin with magnitude n/2, and a constant at DC', () => {
    const n = 2048;
    const fft = createRealFft(n);
    const re = new Float64Array(n / 2 + 1);
    const im = new Float64Array(n / 2 + 1);
    fft.forward(Array.from({ length: n }, (_, t) => Math.cos((2 * Math.PI * 100 * t) / n)), re, im);
    expect(Math.hypot(re[100]!, im[100]!)).toBeCloseTo(n / 2, 9);
    expect(Math.hypot(re[99]!, im[99]!)).toBeLessThan(1e-9);
    fft.forward(new Array(n).fill(0.5), re, im);
    expect(re[0]).toBeCloseTo(n / 2, 9);
    expect(Math.abs(re[1]!)).toBeLessThan(1e-9);
  });

  it('refuses sizes that are not powers of two', () => expect(() => createRealFft(1000)).toThrow(/power of two/));
});

describe('RealFft.inverse', () => {
  it.each([8, 2048])('inverts forward at size %i', (n) => {
    const fft = createRealFft(n);
    const x = Float64Array.from({ length: n }, (_, t) => Math.sin(t * 0.37) + 0.3 * Math.cos(t * 1.91) + (t % 7) / 10);
    const re = new Float64Array(n / 2 + 1);
    const im = new Float64Array(n / 2 + 1);
    fft.forward(x, re, im);
    const back = new Float64Array(n);
    fft.inverse(re, im, back);
    back.forEach((v, t) => expect(v).toBeCloseTo(x[t]!, 12));
  });
});

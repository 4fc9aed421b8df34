import { describe, expect, it } from 'vitest';
import { createRealFft } from '../src-main/core/features/fft.ts';

describe('createRealFft at every size (radix-4 passes, with and without a radix-2 pass)', () => {
  it.each([4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096, 8192])('matches a direct DFT and inverts at size %i', (n) => {
    const x = Float64Array.from({ length: n }, (_, t) => Math.sin(t * 0.37) + 0.3 * Math.cos(t * 1.91) + (t % 7) / 10);
    const fft = createRealFft(n);
    const re = new Float64Array(n / 2 + 1);
    const im = new Float64Array(n / 2 + 1);
    fft.forward(x, re, im);
    for (const k of [0, 1, 2, 3, n / 4, n / 2 - 1, n / 2].filter((k) => k <= n / 2)) {
      let dr = 0;
      let di = 0;
      for (let t = 0; t < n; t++) {
        dr += x[t]! * Math.cos((2 * Math.PI * k * t) / n);
        di -= x[t]! * Math.sin((2 * Math.PI * k * t) / n);
      }
      expect(Math.abs(re[k]! - dr)).toBeLessThan(1e-10 * n);
      expect(Math.abs(im[k]! - di)).toBeLessThan(1e-10 * n);
    }
    const back = new Float64Array(n);
    fft.inverse(re, im, back);
    back.forEach((v, t) => expect(v).toBeCloseTo(x[t]!, 12));
  });
});

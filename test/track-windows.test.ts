import { describe, expect, it } from 'vitest';
import { planFrames, planWindows } from '../src-main/core/features/track-windows.ts';

const SR = 22050;

describe('planWindows', () => {
  it('takes a track of up to 31 s whole, like each GTZAN clip (29.9–30.7 s)', () => {
    for (const length of [2000, 661_504, 664_180, 31 * SR]) expect(planWindows(length)).toEqual([{ start: 0, length }]);
  });

  it('spreads three 30 s windows over a long track, first at the start, last at the end', () => {
    const total = 240 * SR;
    expect(planWindows(total)).toEqual([
      { start: 0, length: 30 * SR },
      { start: 105 * SR, length: 30 * SR },
      { start: 210 * SR, length: 30 * SR },
    ]);
  });

  it('uses two windows when two are enough to cover the track', () => {
    expect(planWindows(50 * SR)).toEqual([{ start: 0, length: 30 * SR }, { start: 20 * SR, length: 30 * SR }]);
  });
});

describe('planFrames', () => {
  it('lays 3-second frames as the GTZAN 3-second table does', () => {
    expect(planFrames(661_794)).toEqual(Array.from({ length: 10 }, (_, d) => ({ start: 66_150 * d, length: 66_149 })));
    expect(planFrames(66_148)).toEqual([]);
    expect(planFrames(2 * 66_150 + 66_149)).toHaveLength(3);
  });
});

import { describe, expect, it } from 'vitest';
import { WINDOW_SEC, windowSpans } from '../src-renderer/src/lib/window-spans.ts';
import { planWindows, WINDOW_SAMPLES } from '../src-main/core/features/track-windows.ts';
import { DECODE_SAMPLE_RATE } from '../src-main/core/decode/decoder.ts';

describe('where the genre timeline draws each analysed window', () => {
  it('uses the scan\'s window length', () => {
    expect(WINDOW_SEC).toBe(WINDOW_SAMPLES / DECODE_SAMPLE_RATE);
  });

  it('lays the scan\'s windows side by side inside their own time, covering what they cover, for short and long tracks', () => {
    for (const durationSec of [8, 30.6, 45, 70, 95, 300, 3600]) {
      const windows = planWindows(Math.round(durationSec * DECODE_SAMPLE_RATE)).map((w) => ({ from: w.start / DECODE_SAMPLE_RATE, to: (w.start + w.length) / DECODE_SAMPLE_RATE }));
      const spans = windowSpans(windows.map((w) => w.from), durationSec);
      spans.forEach((span, i) => {
        const at = `${durationSec} s, window ${i}`;
        expect(span.fromSec, at).toBeGreaterThanOrEqual(windows[i]!.from); // inside its own window…
        expect(span.toSec, at).toBeLessThanOrEqual(Math.min(windows[i]!.to, durationSec) + 1e-9);
        expect(span.toSec, at).toBeGreaterThan(span.fromSec);
        if (i === 0) return;
        const overlap = windows[i]!.from < windows[i - 1]!.to;
        expect(span.fromSec, at).toBe(overlap ? spans[i - 1]!.toSec : windows[i]!.from); // …meeting the one before where they overlap, a gap kept where they do not
      });
      expect(spans[0]!.fromSec).toBe(0);
      expect(spans.at(-1)!.toSec).toBeCloseTo(durationSec, 6);
    }
    expect(windowSpans([0, 20, 40], 70)).toEqual([{ fromSec: 0, toSec: 25 }, { fromSec: 25, toSec: 45 }, { fromSec: 45, toSec: 70 }]);
    expect(windowSpans([0, 135, 270], 300)).toEqual([{ fromSec: 0, toSec: 30 }, { fromSec: 135, toSec: 165 }, { fromSec: 270, toSec: 300 }]);
  });
});

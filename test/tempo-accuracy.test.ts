import { beforeAll, describe, expect, it } from 'vitest';
import { acc1Hit, acc2Hit, evaluateTempoClips, summarise, tempoAccuracy, type ClipResult } from '../bench/tempo-accuracy.ts';
import { decodeAudio } from '../src-main/core/decode/decoder.ts';
import { estimateTempi } from '../src-main/core/features/tempo-improved.ts';
import { estimateTempo, onsetEnvelope } from '../src-main/core/features/tempo.ts';
import { WindowAnalysis } from '../src-main/core/features/window-analysis.ts';

describe('Acc1 / Acc2', () => {
  it('equal a hand computation on a small list', () => {
    const pairs = [
      { estimate: 120, reference: 120 }, // exact: Acc1
      { estimate: 124.5, reference: 120 }, // +3.75 %: Acc1
      { estimate: 115.5, reference: 120 }, // −3.75 %: Acc1
      { estimate: 125, reference: 120 }, // +4.17 %: neither
      { estimate: 60, reference: 120 }, // ×1/2: Acc2
      { estimate: 249, reference: 120 }, // 240 +3.75 %: Acc2 (the tolerance scales with the level)
      { estimate: 251, reference: 120 }, // 240 +4.58 %: neither
      { estimate: 41, reference: 120 }, // 40 +2.5 %: Acc2
      { estimate: 355, reference: 120 }, // 360 −1.39 %: Acc2
      { estimate: 180, reference: 120 }, // ×3/2: neither
      { estimate: 90, reference: 120 }, // ×3/4: neither
      { estimate: 0, reference: 120 }, // silence: neither
    ];
    // Acc1: rows 1-3 → 3/12. Acc2: those 3 plus 60, 249, 41, 355 → 7/12.
    expect(tempoAccuracy(pairs)).toEqual({ n: 12, acc1Hits: 3, acc2Hits: 7, acc1: 3 / 12, acc2: 7 / 12 });
    expect(pairs.map((p) => acc1Hit(p.estimate, p.reference))).toEqual([true, true, true, false, false, false, false, false, false, false, false, false]);
    expect(pairs.map((p) => acc2Hit(p.estimate, p.reference))).toEqual([true, true, true, false, true, true, false, true, true, false, false, false]);
    expect(tempoAccuracy(pairs, 0.05).acc1Hits).toBe(4);
  });
});

/** `seconds` of 22050 Hz clicks (decaying 1 kHz bursts) at `bpm`. */
function clickTrack(bpm: number, seconds: number): Float32Array {
  const sr = 22050;
  const y = new Float32Array(seconds * sr);
  for (let beat = 0; ; beat++) {
    const start = Math.round((beat * 60 * sr) / bpm);
    if (start >= y.length) break;
    for (let i = 0; i < 600 && start + i < y.length; i++) y[start + i] = 0.5 * Math.exp(-i / 100) * Math.sin((2 * Math.PI * 1000 * i) / sr);
  }
  return y;
}

describe('estimateTempi', () => {
  it('locates a click track between the librosa lags, keeping the librosa value exact', () => {
    // 126.5 BPM is 20.43 lags: librosa can only say 129.20 (lag 20) or 123.05 (lag 21).
    const analysis = new WindowAnalysis(clickTrack(126.5, 30));
    const envelope = onsetEnvelope(analysis.melDb, analysis.spectrogram.frames, 128);
    const both = estimateTempi(envelope, 22050, 512);
    expect(both.librosa).toBe(estimateTempo(envelope, 22050, 512));
    expect([129.19921875, 123.046875]).toContain(both.librosa);
    expect(Math.abs(both.improved / 126.5 - 1)).toBeLessThan(0.002);
    expect(analysis.tempi()).toEqual(both);
  });

  it('is 0 for silence', () => {
    expect(estimateTempi(new Float64Array(400), 22050, 512)).toEqual({ librosa: 0, improved: 0 });
  });
});

describe('on the 70 annotated GTZAN clips', () => {
  let results: ClipResult[];
  beforeAll(async () => {
    results = await evaluateTempoClips();
  });

  it('evaluates 8 mixed-genre 30 s clips and 62 classical 15 s clips', () => {
    expect(results).toHaveLength(70);
    expect(results.filter((r) => r.group === 'mixed')).toHaveLength(8);
    expect(results.every((r) => r.reference > 0 && r.librosa > 0 && r.improved > 0)).toBe(true);
  });

  it("reports estimateTempo's exact value as the librosa-compatible estimate", async () => {
    for (const r of results.filter((c) => c.group === 'mixed')) {
      const analysis = new WindowAnalysis(await decodeAudio(r.file));
      expect(r.librosa, r.clip).toBe(estimateTempo(onsetEnvelope(analysis.melDb, analysis.spectrogram.frames, 128), 22050, 512));
    }
  });

  it('moves each estimate by at most half a lag from the librosa one (same metrical level)', () => {
    for (const r of results) {
      const lag = (60 * 22050) / (512 * r.librosa);
      const refinedLag = (60 * 22050) / (512 * r.improved);
      expect(Math.abs(refinedLag - lag), r.clip).toBeLessThanOrEqual(0.5 + 1e-9);
    }
  });

  it('the improved estimator has at least the Acc1 and Acc2 of the librosa-compatible one, and is within 2 % more often', () => {
    const summary = summarise(results);
    expect(summary.improved.all.acc1Hits).toBeGreaterThanOrEqual(summary.librosa.all.acc1Hits);
    expect(summary.improved.all.acc2Hits).toBeGreaterThanOrEqual(summary.librosa.all.acc2Hits);
    expect(summary.improved.all.within2pcHits).toBeGreaterThan(summary.librosa.all.within2pcHits);
  });
});

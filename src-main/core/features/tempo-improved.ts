import { bestTempoLag, meanTempogram, tempogramWindowLength, tempoScore } from './tempo.ts';

/** Both tempo estimates of one onset envelope, in BPM (0 for silence). */
export interface TempoEstimates {
  /** librosa 0.7 `beat_track`'s tempo, exactly as `estimateTempo` returns it (on librosa's integer-lag grid). */
  librosa: number;
  /**
   * The same tempogram peak located between lags by parabolic interpolation:
   * librosa's lag grid of 60·sr/(hop·lag) is coarse (… 123.05, 117.45,
   * 112.35 … BPM around 120, steps of ~4.5 %); the refined value moves at most
   * half a step, keeping librosa's choice of metrical level. On the 70
   * annotated GTZAN clips it keeps librosa's Acc1/Acc2 and brings more
   * estimates within 2 % of the annotation (README, bench/tempo-accuracy.ts).
   */
  improved: number;
}

/**
 * Sub-lag position of the peak of librosa's tempo objective around its best
 * integer lag: the vertex of the parabola through the objective at lag − 1,
 * lag and lag + 1 (the objective evaluated exactly as librosa does, tempogram
 * plus prior), moved at most half a lag. The integer lag where the neighbours
 * are missing or not finite, or where the three points are not concave.
 */
export function refineTempoLag(tempogram: Float64Array, lag: number, sampleRate: number, hop: number): number {
  if (lag < 2 || lag + 1 >= tempogram.length) return lag;
  const before = tempoScore(tempogram, lag - 1, sampleRate, hop);
  const at = tempoScore(tempogram, lag, sampleRate, hop);
  const after = tempoScore(tempogram, lag + 1, sampleRate, hop);
  const curvature = before - 2 * at + after;
  if (!Number.isFinite(curvature) || !(curvature < 0)) return lag;
  const offset = (0.5 * (before - after)) / curvature;
  return lag + Math.max(-0.5, Math.min(0.5, offset));
}

/**
 * Both tempo estimates from one tempogram (the tempogram is the whole cost;
 * the refinement adds three objective evaluations). `librosa` is bit-identical
 * to `estimateTempo(envelope, sampleRate, hop)`.
 */
export function estimateTempi(envelope: Float64Array, sampleRate: number, hop: number): TempoEstimates {
  if (envelope.every((v) => v === 0)) return { librosa: 0, improved: 0 };
  const tempogram = meanTempogram(envelope, tempogramWindowLength(sampleRate, hop));
  const lag = bestTempoLag(tempogram, sampleRate, hop);
  const toBpm = (l: number) => (60 * sampleRate) / (hop * l);
  return { librosa: toBpm(lag), improved: toBpm(refineTempoLag(tempogram, lag, sampleRate, hop)) };
}

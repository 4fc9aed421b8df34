/** Loudness summary of a decoded signal: root-mean-square and absolute peak, both linear (full scale = 1). */
export interface Level {
  rms: number;
  peak: number;
}

/** Measures RMS and peak of `samples` (0 for an empty signal). */
export function measureLevel(samples: Float32Array): Level {
  let sumSquares = 0;
  let peak = 0;
  for (let i = 0; i < samples.length; i++) {
    const value = samples[i]!;
    sumSquares += value * value;
    const magnitude = Math.abs(value);
    if (magnitude > peak) peak = magnitude;
  }
  return { rms: samples.length > 0 ? Math.sqrt(sumSquares / samples.length) : 0, peak };
}

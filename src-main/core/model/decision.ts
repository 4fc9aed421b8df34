/** Default decision thresholds stored with a trained model. */
export const DEFAULT_DECISION = {
  /** Calibrated top probability from which a prediction may be suggested. */
  confidentProbability: 0.6,
  /** Top-two gap under which a track is marked ambiguous. */
  ambiguousMargin: 0.1,
};

/** How a confidence threshold behaves on labelled rows: the share above it, and their accuracy. */
export function thresholdCoverage(probabilities: readonly number[][], truth: readonly number[], threshold: number): { coverage: number; accuracy: number | null } {
  const above = probabilities.map((row, i) => ({ top: Math.max(...row), correct: row.indexOf(Math.max(...row)) === truth[i] })).filter((r) => r.top >= threshold);
  return { coverage: above.length / probabilities.length, accuracy: above.length ? above.filter((r) => r.correct).length / above.length : null };
}

import { fitTemperature, softmax } from '../model/calibration.ts';

/**
 * How sure library learning lets itself be: out-of-fold temperature
 * scaling, then the track's probabilities shrunk towards no opinion (all
 * genres equal) by how few trusted examples its most probable genre had: a
 * genre learned from n tracks keeps n / (n + SHRINK_EXAMPLES) of the opinion.
 */
export const SHRINK_EXAMPLES = 10;

/** What turns a learner's logits into the probabilities people see. */
export interface LearningCalibration {
  /** Divides the logits; fitted on the out-of-fold logits of the trusted tracks. */
  temperature: number;
  /** Trusted examples per genre. */
  examples: number[];
}

/**
 * Fits the temperature on out-of-fold logits (one row per trained track)
 * and their classes, and records each class's example count.
 */
export function fitLearningCalibration(outOfFoldLogits: readonly Float32Array[], labels: readonly number[], classes: number): LearningCalibration {
  const examples = new Array<number>(classes).fill(0);
  for (const label of labels) examples[label]!++;
  return { temperature: fitTemperature(outOfFoldLogits, labels), examples };
}

/**
 * Calibrated probabilities of one track: q = softmax(logits / T), then
 * q′ = r·q + (1 − r)/C with r = n / (n + 10), n the examples of q's most
 * probable genre; the order of the genres is kept. With two genres of 5
 * examples no probability exceeds 2/3.
 */
export function calibratedProbabilities(logits: ArrayLike<number>, calibration: LearningCalibration): Float32Array {
  const q = softmax(logits, calibration.temperature);
  const n = calibration.examples[q.indexOf(Math.max(...q))]!;
  const r = n / (n + SHRINK_EXAMPLES);
  return Float32Array.from(q, (p) => r * p + (1 - r) / q.length);
}

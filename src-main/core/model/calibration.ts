/** Per-class scores of one example (probabilities or logits), indexed by class. */
export type ClassScores = ArrayLike<number>;

/** Scores of many examples: one row per example, one column per class. */
export type ScoreMatrix = readonly ClassScores[];

/** Probabilities are clamped to this before taking logs, so a confident miss costs ln 1e12 ≈ 27.6 rather than infinity. */
const MIN_PROBABILITY = 1e-12;

/** Range of log T searched by `fitTemperature`: T from 0.05 to 20. */
const LOG_T_MIN = Math.log(0.05);
const LOG_T_MAX = Math.log(20);
const COARSE_GRID_POINTS = 41;
const LOG_T_TOLERANCE = 1e-6;
const INVERSE_GOLDEN_RATIO = (Math.sqrt(5) - 1) / 2;

/**
 * Throws a RangeError unless there is at least one example, exactly one label
 * per row, and every label is an integer class index of its row.
 */
export function checkLabelledScores(scores: ScoreMatrix, trueIdx: readonly number[]): void {
  if (scores.length === 0) throw new RangeError('no examples');
  if (scores.length !== trueIdx.length) throw new RangeError(`${scores.length} score rows but ${trueIdx.length} labels`);
  trueIdx.forEach((label, i) => {
    if (!Number.isInteger(label) || label < 0 || label >= scores[i]!.length) {
      throw new RangeError(`label ${label} of example ${i} is not a class index`);
    }
  });
}

/** Index of the largest value in a non-empty row; ties go to the lowest index. */
export function argmax(row: ClassScores): number {
  if (row.length === 0) throw new RangeError('argmax of an empty row');
  let best = 0;
  for (let j = 1; j < row.length; j++) if (row[j]! > row[best]!) best = j;
  return best;
}

/** Softmax of `logits / temperature` (temperature > 0), shifted by the largest value so no exponent overflows. */
export function softmax(logits: ClassScores, temperature = 1): number[] {
  if (!(temperature > 0)) throw new RangeError(`temperature must be positive, got ${temperature}`);
  const scaled = Array.from(logits, (z) => z / temperature);
  const max = Math.max(...scaled);
  const exps = scaled.map((z) => Math.exp(z - max));
  const total = exps.reduce((sum, e) => sum + e, 0);
  return exps.map((e) => e / total);
}

/**
 * Expected calibration error of the top-1 prediction (argmax, ties to the
 * lowest index): the examples are split into `bins` equal-width bins by
 * confidence c (the top-1 probability), and ECE = Σ_bins (n_bin / n) ·
 * |accuracy_bin − mean confidence_bin|. Bin k (0-based) holds the c with
 * k < c · bins ≤ k + 1, i.e. (0, 1/bins], (1/bins, 2/bins], …, (1 − 1/bins, 1];
 * c = 0 goes in the first bin and c > 1 (not a probability) in the last.
 */
export function expectedCalibrationError(probs: ScoreMatrix, trueIdx: readonly number[], bins = 15): number {
  checkLabelledScores(probs, trueIdx);
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  const correctCount = new Array<number>(bins).fill(0);
  const confidenceSum = new Array<number>(bins).fill(0);
  probs.forEach((row, i) => {
    const predicted = argmax(row);
    const confidence = row[predicted]!;
    const bin = Math.min(bins - 1, Math.max(0, Math.ceil(confidence * bins) - 1));
    confidenceSum[bin]! += confidence;
    if (predicted === trueIdx[i]) correctCount[bin]!++;
  });
  // (n_bin / n) · |correct_bin / n_bin − confidenceSum_bin / n_bin| = |correct_bin − confidenceSum_bin| / n
  const gap = correctCount.reduce((sum, correct, bin) => sum + Math.abs(correct - confidenceSum[bin]!), 0);
  return gap / probs.length;
}

/** Mean negative log-likelihood (natural log) of the true classes, each probability clamped below at 1e-12. */
export function negativeLogLikelihood(probs: ScoreMatrix, trueIdx: readonly number[]): number {
  checkLabelledScores(probs, trueIdx);
  const total = probs.reduce((sum, row, i) => sum - Math.log(Math.max(row[trueIdx[i]!]!, MIN_PROBABILITY)), 0);
  return total / probs.length;
}

/**
 * The temperature T > 0 minimising the mean NLL of softmax(logits / T), for
 * calibrating a classifier on held-out logits. The NLL is convex in 1/T, so it
 * is unimodal in log T: a coarse grid over log T in [ln 0.05, ln 20] brackets
 * the best grid point, and golden-section search refines it to 1e-6 in log T.
 * Deterministic; a result at 0.05 or 20 means the optimum lies at or beyond the
 * searched range.
 */
export function fitTemperature(logits: ScoreMatrix, trueIdx: readonly number[]): number {
  checkLabelledScores(logits, trueIdx);
  const nllAtLogT = (logT: number) => meanNllAtTemperature(logits, trueIdx, Math.exp(logT));
  const step = (LOG_T_MAX - LOG_T_MIN) / (COARSE_GRID_POINTS - 1);
  const grid = Array.from({ length: COARSE_GRID_POINTS }, (_, i) => LOG_T_MIN + i * step);
  const losses = grid.map(nllAtLogT);
  const best = losses.indexOf(Math.min(...losses));
  const lo = grid[Math.max(0, best - 1)]!;
  const hi = grid[Math.min(COARSE_GRID_POINTS - 1, best + 1)]!;
  return Math.exp(goldenSectionMinimum(nllAtLogT, lo, hi));
}

/** Mean NLL of softmax(logits / T) as log-sum-exp minus the true logit, exact (unclamped) and overflow-free. */
function meanNllAtTemperature(logits: ScoreMatrix, trueIdx: readonly number[], temperature: number): number {
  let total = 0;
  logits.forEach((row, i) => {
    let max = -Infinity;
    for (let j = 0; j < row.length; j++) max = Math.max(max, row[j]! / temperature);
    let expSum = 0;
    for (let j = 0; j < row.length; j++) expSum += Math.exp(row[j]! / temperature - max);
    total += max + Math.log(expSum) - row[trueIdx[i]!]! / temperature;
  });
  return total / logits.length;
}

/** A minimiser of the unimodal `f` on [lo, hi], by golden-section search down to `LOG_T_TOLERANCE`. */
function goldenSectionMinimum(f: (x: number) => number, lo: number, hi: number): number {
  let a = lo;
  let b = hi;
  let c = b - INVERSE_GOLDEN_RATIO * (b - a);
  let d = a + INVERSE_GOLDEN_RATIO * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > LOG_T_TOLERANCE) {
    if (fc <= fd) {
      [b, d, fd] = [d, c, fc];
      c = b - INVERSE_GOLDEN_RATIO * (b - a);
      fc = f(c);
    } else {
      [a, c, fc] = [c, d, fd];
      d = a + INVERSE_GOLDEN_RATIO * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}

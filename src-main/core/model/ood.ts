/**
 * Out-of-distribution check: how far a window's standardised descriptors lie
 * from the training windows, as a Mahalanobis distance under a Gaussian fitted
 * to the training rows (covariance shrunk towards its diagonal mean, so 57
 * dimensions from a few hundred rows stay well-conditioned).
 */
export interface OodModel {
  mean: number[];
  /** Inverse of the shrunk covariance, row-major d×d. */
  precision: number[];
  /** Shrinkage weight towards the scaled identity. */
  shrinkage: number;
  /** Distances above this are out of distribution: a high quantile of held-out training rows' distances. */
  threshold: number;
  thresholdQuantile: number;
}

function covariance(rows: readonly ArrayLike<number>[], mean: number[]): Float64Array {
  const d = mean.length;
  const cov = new Float64Array(d * d);
  for (const row of rows) {
    for (let i = 0; i < d; i++) {
      const di = row[i]! - mean[i]!;
      for (let j = 0; j <= i; j++) cov[i * d + j]! += (di * (row[j]! - mean[j]!)) / rows.length;
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) cov[j * d + i] = cov[i * d + j]!;
  return cov;
}

/** Inverse of a symmetric positive-definite d×d matrix by Cholesky factorisation. */
export function invertSpd(matrix: Float64Array, d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * d + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * d + k]! * l[j * d + k]!;
      if (i === j && sum <= 0) throw new RangeError('matrix is not positive definite');
      l[i * d + j] = i === j ? Math.sqrt(sum) : sum / l[j * d + j]!;
    }
  }
  const inverse = new Float64Array(d * d);
  for (let c = 0; c < d; c++) {
    const y = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let sum = i === c ? 1 : 0;
      for (let k = 0; k < i; k++) sum -= l[i * d + k]! * y[k]!;
      y[i] = sum / l[i * d + i]!;
    }
    for (let i = d - 1; i >= 0; i--) {
      let sum = y[i]!;
      for (let k = i + 1; k < d; k++) sum -= l[k * d + i]! * inverse[k * d + c]!;
      inverse[i * d + c] = sum / l[i * d + i]!;
    }
  }
  return inverse;
}

/** Mahalanobis distance of one standardised row, divided by √d so typical training rows score about 1. */
export function oodDistance(model: Pick<OodModel, 'mean' | 'precision'>, row: ArrayLike<number>): number {
  const d = model.mean.length;
  const centred = Float64Array.from({ length: d }, (_, i) => row[i]! - model.mean[i]!);
  let squared = 0;
  for (let i = 0; i < d; i++) {
    let dot = 0;
    for (let j = 0; j < d; j++) dot += model.precision[i * d + j]! * centred[j]!;
    squared += centred[i]! * dot;
  }
  return Math.sqrt(Math.max(squared, 0) / d);
}

/** A Gaussian fitted to some rows: their mean and the inverse of their covariance shrunk by `shrinkage` towards its mean variance. */
export function fitGaussian(rows: readonly ArrayLike<number>[], shrinkage: number): Pick<OodModel, 'mean' | 'precision'> {
  const d = rows[0]!.length;
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((sum, row) => sum + row[j]!, 0) / rows.length);
  const cov = covariance(rows, mean);
  let trace = 0;
  for (let i = 0; i < d; i++) trace += cov[i * d + i]!;
  const shrunk = cov.map((value, k) => (1 - shrinkage) * value + (k % (d + 1) === 0 ? (shrinkage * trace) / d : 0));
  return { mean, precision: Array.from(invertSpd(shrunk, d)) };
}

/**
 * Fits the out-of-distribution model on the standardised training rows. The
 * threshold is a quantile of held-out distances (each of `folds` interleaved
 * folds measured against a Gaussian fitted without it), since a row's
 * distance from a fit that includes it is biased low.
 */
export function fitOod(rows: readonly ArrayLike<number>[], shrinkage = 0.1, thresholdQuantile = 0.99, folds = 5): OodModel {
  const heldOut: number[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const gaussian = fitGaussian(rows.filter((_, i) => i % folds !== fold), shrinkage);
    rows.forEach((row, i) => i % folds === fold && heldOut.push(oodDistance(gaussian, row)));
  }
  return { ...fitGaussian(rows, shrinkage), shrinkage, threshold: upperQuantile(heldOut, thresholdQuantile), thresholdQuantile };
}

/** The value at quantile `q` (0 < q ≤ 1) of `values`: the ⌈q·n⌉-th smallest. */
export function upperQuantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

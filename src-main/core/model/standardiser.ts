import { DESCRIPTOR_NAMES } from '../features/descriptors.ts';

/**
 * How descriptors become model inputs: variances (heavy-tailed, always ≥ 0)
 * are log-compressed, then every column is z-scored with the training rows'
 * mean and standard deviation. Stored with the model.
 */
export interface Standardiser {
  /** Columns read as `ln(value + LOG_FLOOR)` before z-scoring. */
  logColumns: string[];
  mean: number[];
  std: number[];
}

const LOG_FLOOR = 1e-10;

function compress(row: ArrayLike<number>, logged: readonly boolean[]): Float64Array {
  return Float64Array.from({ length: DESCRIPTOR_NAMES.length }, (_, j) => (logged[j] ? Math.log(Math.max(row[j]!, 0) + LOG_FLOOR) : row[j]!));
}

/** Fits the standardiser on training rows of 57 descriptors (GTZAN column order). */
export function fitStandardiser(rows: readonly ArrayLike<number>[]): Standardiser {
  const logColumns = DESCRIPTOR_NAMES.filter((name) => name.endsWith('_var'));
  const logged = DESCRIPTOR_NAMES.map((name) => logColumns.includes(name));
  const compressed = rows.map((row) => compress(row, logged));
  const mean = DESCRIPTOR_NAMES.map((_, j) => compressed.reduce((sum, row) => sum + row[j]!, 0) / rows.length);
  const std = DESCRIPTOR_NAMES.map((_, j) => Math.sqrt(compressed.reduce((sum, row) => sum + (row[j]! - mean[j]!) ** 2, 0) / rows.length) || 1);
  return { logColumns, mean, std };
}

/** Applies a fitted standardiser: each row of 57 descriptors → 57 model inputs. */
export function standardise(standardiser: Standardiser, rows: readonly ArrayLike<number>[]): Float32Array[] {
  const logged = DESCRIPTOR_NAMES.map((name) => standardiser.logColumns.includes(name));
  return rows.map((row) => {
    const compressed = compress(row, logged);
    return Float32Array.from(compressed, (value, j) => (value - standardiser.mean[j]!) / standardiser.std[j]!);
  });
}

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

/**
 * Z-scores `present.length` columns of a row-major matrix in place, starting
 * at column `from`: column k over the rows whose `present[k]` flag is 1 (a
 * constant column becomes zeros); the rows without it get 0, the column's mean.
 */
export function zScoreColumns(values: Float32Array, width: number, from: number, present: readonly Uint8Array[]): void {
  const rows = values.length / width;
  const columns = present.length;
  const [count, mean, square] = [new Float64Array(columns), new Float64Array(columns), new Float64Array(columns)];
  // Row-major passes: the matrix is read in memory order (100,000 rows × 64 columns in the similarity space).
  for (let row = 0; row < rows; row++) for (let k = 0; k < columns; k++) count[k]! += present[k]![row]!;
  for (let row = 0; row < rows; row++) for (let k = 0; k < columns; k++) if (present[k]![row]) mean[k]! += values[row * width + from + k]! / count[k]!;
  for (let row = 0; row < rows; row++) for (let k = 0; k < columns; k++) if (present[k]![row]) square[k]! += (values[row * width + from + k]! - mean[k]!) ** 2 / count[k]!;
  const std = square.map((s) => Math.sqrt(s) || 1);
  for (let row = 0; row < rows; row++) {
    for (let k = 0; k < columns; k++) {
      const i = row * width + from + k;
      values[i] = present[k]![row] ? (values[i]! - mean[k]!) / std[k]! : 0;
    }
  }
}

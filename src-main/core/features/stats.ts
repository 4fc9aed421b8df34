/** The smallest normal float32, librosa's `tiny` threshold for float32 data. */
export const TINY_F32 = 1.1754943508222875e-38;

/** Median of a list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Arithmetic mean (0 for no values). */
export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return values.length > 0 ? sum / values.length : 0;
}

/** Population variance (numpy's `var`, ddof = 0). */
export function variance(values: ArrayLike<number>): number {
  const m = mean(values);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i]! - m) ** 2;
  return values.length > 0 ? sum / values.length : 0;
}

/** The rows of a row-major matrix `width` values wide, as views (no copy). */
export function matrixRows(values: Float32Array, width: number): Float32Array[] {
  return Array.from({ length: values.length / width }, (_, i) => values.subarray(i * width, (i + 1) * width));
}

/** The mean of equally long rows, column by column, accumulated in float32 (how a track's windows are averaged everywhere). */
export function meanRows(rows: readonly ArrayLike<number>[]): Float32Array {
  const out = new Float32Array(rows[0]!.length);
  for (const row of rows) for (let j = 0; j < out.length; j++) out[j]! += row[j]! / rows.length;
  return out;
}

import { powerToDb } from './mel.ts';

/** librosa's `amin`: powers below it count as silence. */
const AMIN = 1e-10;

/**
 * Pools mel power frames (`bands` values each) into at most `maxColumns`
 * (even) columns by their MAXIMUM over neighbouring frames: a short loud event
 * (a drum hit) stays visible where a mean would smear it. Columns start one
 * frame wide; whenever `maxColumns` would be exceeded, neighbouring columns
 * are merged in pairs (the max of maxima) and later columns take twice as
 * many frames, so any length fits in fixed memory and a long track ends with
 * between `maxColumns` / 2 and `maxColumns` columns, each `framesPerColumn`
 * frames (the last one possibly fewer).
 */
export function createMaxPool(bands: number, maxColumns: number) {
  const columns = new Float64Array(bands * maxColumns);
  let width = 0;
  let framesPerColumn = 1;
  let framesInColumn = 0;

  function mergePairs(): void {
    for (let c = 0; c < width / 2; c++) {
      for (let b = 0; b < bands; b++) columns[c * bands + b] = Math.max(columns[2 * c * bands + b]!, columns[(2 * c + 1) * bands + b]!);
    }
    width /= 2;
    framesPerColumn *= 2;
  }

  return {
    /** Adds the next frame's `bands` mel powers. */
    add(frame: ArrayLike<number>): void {
      if (framesInColumn === 0) {
        if (width === maxColumns) mergePairs();
        columns.set(frame, width * bands);
        width++;
      } else {
        const base = (width - 1) * bands;
        for (let b = 0; b < bands; b++) columns[base + b] = Math.max(columns[base + b]!, frame[b]!);
      }
      framesInColumn = (framesInColumn + 1) % framesPerColumn;
    },
    /** The pooled powers so far, column-major (`width` × `bands`). */
    result: () => ({ width, framesPerColumn, powers: columns.slice(0, width * bands) }),
  };
}

/**
 * Column-major powers (`width` × `bands`) as an image: dB relative to the
 * loudest cell, clipped `dbRange` dB below it (librosa's `power_to_db` with
 * `top_db`), quantised linearly to bytes (0 at the floor, 255 at the peak)
 * and laid out band-major, lowest band first: cell (band b, column c) is at
 * `b * width + c`. Silence (no power above 1e-10) is all zeros.
 */
export function powerImage(powers: Float64Array, width: number, bands: number, dbRange: number): Uint8Array {
  const pixels = new Uint8Array(width * bands);
  const db = powerToDb(powers, AMIN, dbRange);
  const peak = db.reduce((max, value) => Math.max(max, value), -Infinity);
  if (!(peak > 10 * Math.log10(AMIN))) return pixels;
  for (let c = 0; c < width; c++) {
    for (let b = 0; b < bands; b++) pixels[b * width + c] = Math.round((255 * (db[c * bands + b]! - (peak - dbRange))) / dbRange);
  }
  return pixels;
}

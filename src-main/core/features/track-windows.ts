import { DECODE_SAMPLE_RATE } from '../decode/decoder.ts';

/**
 * Which parts of a track are analysed. A track of up to 31 s is one window,
 * the whole track: GTZAN's clips (29.9–30.7 s) are each their own window, so
 * its descriptors equal the table's row. A longer track gets at most
 * `MAX_WINDOWS` windows of 30 s spread evenly, the first at the start and the
 * last ending at the end (README: "Which windows are analysed"). Inside a
 * window, 3-second frames follow the 3-second table's layout: frame d covers
 * samples [66150·d, 66150·d + 66149).
 */
export const WINDOW_SAMPLES = 30 * DECODE_SAMPLE_RATE;
export const SINGLE_WINDOW_MAX_SAMPLES = 31 * DECODE_SAMPLE_RATE;
export const FRAME_SAMPLES = 66_149;
export const FRAME_HOP = 66_150;
export const MAX_WINDOWS = 3;
/** The STFT needs at least n_fft/2 + 1 samples for its reflect padding. */
export const MIN_SAMPLES = 1025;

export interface SampleRange {
  start: number;
  length: number;
}

/** The windows to analyse in a track of `totalSamples` samples. */
export function planWindows(totalSamples: number, maxWindows = MAX_WINDOWS): SampleRange[] {
  if (totalSamples <= SINGLE_WINDOW_MAX_SAMPLES) return [{ start: 0, length: totalSamples }];
  const count = Math.min(maxWindows, Math.ceil(totalSamples / WINDOW_SAMPLES));
  if (count === 1) return [{ start: 0, length: WINDOW_SAMPLES }];
  return Array.from({ length: count }, (_, i) => ({ start: Math.round((i * (totalSamples - WINDOW_SAMPLES)) / (count - 1)), length: WINDOW_SAMPLES }));
}

/** The 3-second frames of a window, as offsets into the window. */
export function planFrames(windowLength: number): SampleRange[] {
  const count = windowLength >= FRAME_SAMPLES ? Math.floor((windowLength - FRAME_SAMPLES) / FRAME_HOP) + 1 : 0;
  return Array.from({ length: count }, (_, d) => ({ start: d * FRAME_HOP, length: FRAME_SAMPLES }));
}

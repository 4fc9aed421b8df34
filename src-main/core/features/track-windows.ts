/**
 * Which parts of a track are analysed. A window is GTZAN's clip length
 * (661 794 samples, 30.01 s at 22050 Hz), so the only window of a GTZAN clip
 * is the clip and its descriptors equal the table's row. Inside a window,
 * 3-second frames follow the 3-second table's layout: frame d covers samples
 * [66150·d, 66150·d + 66149). A track longer than one window gets at most
 * `MAX_WINDOWS` windows spread evenly, the first at the start and the last
 * ending at the end (README: "Which windows are analysed").
 */
export const WINDOW_SAMPLES = 661_794;
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
  if (totalSamples <= WINDOW_SAMPLES) return [{ start: 0, length: totalSamples }];
  const count = Math.min(maxWindows, Math.ceil(totalSamples / WINDOW_SAMPLES));
  if (count === 1) return [{ start: 0, length: WINDOW_SAMPLES }];
  return Array.from({ length: count }, (_, i) => ({ start: Math.round((i * (totalSamples - WINDOW_SAMPLES)) / (count - 1)), length: WINDOW_SAMPLES }));
}

/** The 3-second frames of a window, as offsets into the window. */
export function planFrames(windowLength: number): SampleRange[] {
  const count = windowLength >= FRAME_SAMPLES ? Math.floor((windowLength - FRAME_SAMPLES) / FRAME_HOP) + 1 : 0;
  return Array.from({ length: count }, (_, d) => ({ start: d * FRAME_HOP, length: FRAME_SAMPLES }));
}

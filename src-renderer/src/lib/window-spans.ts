/** An analysed window's length in seconds (the scan's windows: core/features/track-windows.ts); a lone window is the whole track. */
export const WINDOW_SEC = 30;

/**
 * Where each analysed window lies on the track, in seconds, given the
 * windows' starts (ascending) and the track's length: from its start to its
 * end, except that two overlapping windows meet halfway through their
 * overlap; a gap between windows (a long track) stays a gap.
 */
export function windowSpans(starts: readonly number[], durationSec: number): { fromSec: number; toSec: number }[] {
  const ends = starts.map((start) => (starts.length === 1 ? durationSec : Math.min(start + WINDOW_SEC, durationSec)));
  return starts.map((start, i) => ({
    fromSec: i > 0 && start < ends[i - 1]! ? (start + ends[i - 1]!) / 2 : start,
    toSec: i + 1 < starts.length && starts[i + 1]! < ends[i]! ? (starts[i + 1]! + ends[i]!) / 2 : ends[i]!,
  }));
}

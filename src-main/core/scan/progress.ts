/** Where a scan stands: counts so far, rate over the recent past, and the time still needed. */
export interface ScanProgress {
  /** Files the walk has found so far; final once `walking` is false. */
  walked: number;
  walking: boolean;
  /** Files fully handled (analysed, skipped, moved, failed or ignored). */
  done: number;
  analysed: number;
  skipped: number;
  moved: number;
  failed: number;
  ignored: number;
  elapsedSec: number;
  /** Files handled per second over the last `RATE_WINDOW_SEC` seconds. */
  filesPerSec: number;
  /** Seconds left at the current rate; null until there is a rate. */
  etaSec: number | null;
}

export type Outcome = 'analysed' | 'skipped' | 'moved' | 'failed' | 'ignored';

const RATE_WINDOW_SEC = 30;

/** Counts outcomes and estimates rate and ETA from a sliding window of completion times. */
export class ProgressTracker {
  readonly #startedAt = performance.now();
  readonly #recent: number[] = [];
  readonly counts: Record<Outcome, number> = { analysed: 0, skipped: 0, moved: 0, failed: 0, ignored: 0 };
  walked = 0;
  walking = true;

  /** Counts one file's outcome. */
  record(outcome: Outcome): void {
    this.counts[outcome]++;
    const now = performance.now();
    this.#recent.push(now);
    while (this.#recent.length > 0 && now - this.#recent[0]! > RATE_WINDOW_SEC * 1000) this.#recent.shift();
  }

  /** A snapshot for display. */
  snapshot(): ScanProgress {
    const now = performance.now();
    const elapsedSec = (now - this.#startedAt) / 1000;
    const done = Object.values(this.counts).reduce((a, b) => a + b, 0);
    const windowSec = Math.min(RATE_WINDOW_SEC, elapsedSec);
    const filesPerSec = windowSec > 0 ? this.#recent.length / windowSec : 0;
    const remaining = Math.max(0, this.walked - done);
    const etaSec = filesPerSec > 0 ? remaining / filesPerSec : null;
    return { walked: this.walked, walking: this.walking, done, ...this.counts, elapsedSec, filesPerSec, etaSec };
  }
}

/** Where a scan stands: counts so far, the analysis rate over the recent past, and the time still needed. */
export interface ScanProgress {
  /** Files (and unwalkable entries) the walk has found so far, ignored ones included; final once `walking` is false. */
  walked: number;
  walking: boolean;
  /** Files fully handled (analysed, skipped, moved, failed or ignored). */
  done: number;
  analysed: number;
  skipped: number;
  moved: number;
  failed: number;
  /** Files that are not audio: by their extension (counted by the walk) or their content. */
  ignored: number;
  elapsedSec: number;
  /** Files analysed per second over the last `RATE_WINDOW_SEC` seconds; unchanged and ignored files do not count. */
  filesPerSec: number;
  /** Seconds left at the current analysis rate; null until there is a rate. */
  etaSec: number | null;
}

export type Outcome = 'analysed' | 'skipped' | 'moved' | 'failed' | 'ignored';

const RATE_WINDOW_SEC = 30;

/**
 * Counts outcomes and estimates rate and ETA from the files that needed
 * analysis: a sliding window of their completion times gives the rate, and
 * the files not triaged yet are expected to need analysis as often as the
 * triaged ones did.
 */
export class ProgressTracker {
  readonly #startedAt = performance.now();
  readonly #recent: number[] = [];
  #firstAnalysisAt: number | null = null;
  /** Files that entered analysis, and those of them that left it (analysed or failed). */
  #entered = 0;
  #left = 0;
  readonly counts: Record<Outcome, number> = { analysed: 0, skipped: 0, moved: 0, failed: 0, ignored: 0 };
  walked = 0;
  walking = true;

  /** A file passed triage and is about to be read and analysed. */
  enterAnalysis(): void {
    this.#entered++;
    this.#firstAnalysisAt ??= performance.now();
  }

  /** Counts one file's outcome; `analysisEnded` when the file had entered analysis (its completion sets the rate). */
  record(outcome: Outcome, analysisEnded = false): void {
    this.counts[outcome]++;
    if (!analysisEnded) return;
    this.#left++;
    const now = performance.now();
    this.#recent.push(now);
    while (this.#recent.length > 0 && now - this.#recent[0]! > RATE_WINDOW_SEC * 1000) this.#recent.shift();
  }

  /** A snapshot for display. */
  snapshot(): ScanProgress {
    const now = performance.now();
    const elapsedSec = (now - this.#startedAt) / 1000;
    const done = Object.values(this.counts).reduce((a, b) => a + b, 0);
    const windowSec = this.#firstAnalysisAt === null ? 0 : Math.min(RATE_WINDOW_SEC, (now - this.#firstAnalysisAt) / 1000);
    const filesPerSec = windowSec > 0 ? this.#recent.length / windowSec : 0;
    const triaged = done - this.#left + this.#entered;
    const untriaged = Math.max(0, this.walked - triaged);
    const shareNeedingAnalysis = triaged > 0 ? this.#entered / triaged : 1;
    const remaining = this.#entered - this.#left + untriaged * shareNeedingAnalysis;
    const etaSec = remaining === 0 && !this.walking ? 0 : filesPerSec > 0 ? remaining / filesPerSec : null;
    return { walked: this.walked, walking: this.walking, done, ...this.counts, elapsedSec, filesPerSec, etaSec };
  }
}

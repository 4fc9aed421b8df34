import type { ScanProgress } from '../core/scan/progress.ts';
import type { TrainingProgress } from '../core/learning/train-in-background.ts';
import { formatDuration } from './format.ts';

/** `[████░░░░]` of `width` cells, filled to `fraction`. */
function bar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
}

/** One line of progress for a terminal: bar, counts, rate, ETA and outcome tallies. */
export function renderProgressLine(p: ScanProgress, columns: number): string {
  const total = Math.max(p.walked, p.done);
  const fraction = total > 0 ? p.done / total : 0;
  const counts = `${p.done}/${total}${p.walking ? '+' : ''}`;
  const rate = `${p.filesPerSec.toFixed(1)} files/s`;
  const eta = p.etaSec === null ? 'ETA —' : `ETA ${p.walking ? '≥' : ''}${formatDuration(p.etaSec)}`;
  const tallies = `new ${p.analysed} · unchanged ${p.skipped}${p.moved ? ` · moved ${p.moved}` : ''} · failed ${p.failed}`;
  const text = ` ${counts} ${Math.floor(fraction * 100)}%  ${rate}  ${eta}  ${tallies}`;
  const barWidth = Math.max(10, Math.min(40, columns - text.length - 3));
  return `${bar(fraction, barWidth)}${text}`.slice(0, Math.max(20, columns - 1));
}

/** One line of library-learning progress: bar, steps, elapsed time and ETA. */
export function renderTrainingLine(p: TrainingProgress, columns: number): string {
  const fraction = p.total > 0 ? p.done / p.total : 0;
  const text = ` step ${p.done}/${p.total} ${Math.floor(fraction * 100)}%  ${formatDuration(p.seconds)} so far  ${p.etaSeconds === null ? 'ETA —' : `ETA ${formatDuration(p.etaSeconds)}`}`;
  return `${bar(fraction, Math.max(10, Math.min(40, columns - text.length - 3)))}${text}`.slice(0, Math.max(20, columns - 1));
}

/** Redraws a progress line in place on a TTY, at most ten times a second. */
export class ProgressBar<Progress = ScanProgress> {
  readonly #stream: NodeJS.WriteStream;
  readonly #render: (progress: Progress, columns: number) => string;
  #lastDraw = 0;
  #latest: Progress | undefined;

  /** Draws on `stream` (normally stderr) what `render` makes of the progress (default: a scan's). */
  constructor(stream: NodeJS.WriteStream, render: (progress: Progress, columns: number) => string = renderProgressLine as unknown as (progress: Progress, columns: number) => string) {
    this.#stream = stream;
    this.#render = render;
  }

  /** Shows `progress` (throttled). */
  update(progress: Progress): void {
    this.#latest = progress;
    const now = performance.now();
    if (now - this.#lastDraw < 100) return;
    this.#lastDraw = now;
    this.#draw();
  }

  /** Prints a line above the bar without breaking it. */
  log(line: string): void {
    this.#stream.write(`\r\x1b[2K${line}\n`);
    this.#draw();
  }

  /** Draws the last state and moves to a new line. */
  finish(): void {
    this.#draw();
    if (this.#latest) this.#stream.write('\n');
  }

  #draw(): void {
    if (this.#latest) this.#stream.write(`\r\x1b[2K${this.#render(this.#latest, this.#stream.columns ?? 100)}`);
  }
}

import type { ScanProgress } from '../core/scan/progress.ts';
import { formatDuration } from './format.ts';

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
  const filled = Math.round(fraction * barWidth);
  return `[${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}]${text}`.slice(0, Math.max(20, columns - 1));
}

/** Redraws the progress line in place on a TTY, at most ten times a second. */
export class ProgressBar {
  readonly #stream: NodeJS.WriteStream;
  #lastDraw = 0;
  #latest: ScanProgress | undefined;

  /** Draws on `stream` (normally stderr). */
  constructor(stream: NodeJS.WriteStream) {
    this.#stream = stream;
  }

  /** Shows `progress` (throttled). */
  update(progress: ScanProgress): void {
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
    if (this.#latest) this.#stream.write(`\r\x1b[2K${renderProgressLine(this.#latest, this.#stream.columns ?? 100)}`);
  }
}

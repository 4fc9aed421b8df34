import { loadTaxonomy } from '../core/taxonomy/taxonomy-file.ts';
import { parseArgs } from 'node:util';
import { EXIT_CODES, SonorityError } from '../core/errors.ts';
import { scanLibrary, type ScanEvent, type ScanSummary } from '../core/scan/scan-library.ts';
import { withDatabase, writeJsonLine, type CliIo } from './io.ts';
import { ProgressBar } from './progress-bar.ts';
import { formatDuration } from './format.ts';
import { loadModelForCli } from './model-loading.ts';
import { stopOnSignals } from './stop-on-signals.ts';

export const SCAN_USAGE = 'sonority scan <folder> [--db FILE] [--json] [--workers N] [--ffmpeg PATH] [--model DIR] [--retry-failed]';

const JSON_PROGRESS_INTERVAL_MS = 250;

/** Turns scan events into NDJSON (progress throttled) or a terminal progress bar. */
function createReporter(io: CliIo, json: boolean) {
  const bar = !json && io.stderr.isTTY ? new ProgressBar(io.stderr) : undefined;
  const failures: Array<{ path: string; message: string }> = [];
  let lastJsonProgress = Number.NEGATIVE_INFINITY;
  const log = (line: string) => (bar ? bar.log(line) : io.stderr.write(`${line}\n`));
  return {
    failures,
    onEvent(event: ScanEvent): void {
      if (event.type === 'failure') failures.push(event);
      if (json) {
        if (event.type === 'found') return;
        const now = performance.now();
        if (event.type === 'progress' && now - lastJsonProgress < JSON_PROGRESS_INTERVAL_MS) return;
        if (event.type === 'progress') lastJsonProgress = now;
        writeJsonLine(io, event.type === 'progress' ? { type: 'progress', ...event.progress } : event);
      } else if (event.type === 'progress') bar?.update(event.progress);
      else if (event.type === 'musicnn') log(`MusiCNN ${event.model} · ${event.runtime}${event.note ? ` (${event.note})` : ''}`);
      else if (event.type === 'classify' && event.done === event.total && event.total > 0) io.stderr.write(`Predicted genres for ${event.total} track${event.total === 1 ? '' : 's'}.\n`);
      else if (event.type === 'started') io.stderr.write(`Scanning ${event.root} with ${event.workers} worker thread${event.workers === 1 ? '' : 's'}…\n`);
    },
    finish: () => bar?.finish(),
    log,
  };
}

function printSummary(io: CliIo, summary: ScanSummary, failures: Array<{ path: string; message: string }>): void {
  const verb = summary.status === 'cancelled' ? 'Stopped scanning' : 'Scanned';
  const parts = [`${summary.found} audio files`, `${summary.analysed} analysed`, `${summary.predicted} predicted`, ...(summary.learnedOpinions ? [`${summary.learnedOpinions} judged by your library's genres`] : []), `${summary.skipped} unchanged`, `${summary.moved} moved`, `${summary.failed} failed`, `${summary.gone} gone`];
  io.stdout.write(`${verb} ${summary.root} in ${formatDuration(summary.seconds)}: ${parts.join(' · ')}${summary.ignored ? ` (${summary.ignored} other files ignored)` : ''}\n`);
  if (summary.status === 'cancelled') io.stdout.write('Progress is saved; run the same scan again to resume.\n');
  if (failures.length === 0) return;
  io.stdout.write(`Failures in this scan (${failures.length}; \`sonority failures\` lists every failure):\n`);
  for (const failure of failures.slice(0, 10)) io.stdout.write(`  ${failure.path}\n    ${failure.message}\n`);
  if (failures.length > 10) io.stdout.write(`  … and ${failures.length - 10} more\n`);
}

/** `sonority scan <folder>`: scans a folder into the library; exit 0 all good, 1 with failures, 2 could not run, 130 stopped. */
export async function scanCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { db: { type: 'string' }, json: { type: 'boolean' }, workers: { type: 'string' }, ffmpeg: { type: 'string' }, model: { type: 'string' }, 'retry-failed': { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new SonorityError('usage', `give exactly one folder to scan\nusage: ${SCAN_USAGE}`);
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers > 0)) throw new SonorityError('usage', `--workers takes a positive whole number, not "${values.workers}"`);
  const reporter = createReporter(io, values.json ?? false);
  const model = await loadModelForCli(io, values.model);
  const controller = new AbortController();
  const release = stopOnSignals(controller, reporter.log, 'Stopping: finishing the files in progress… (Ctrl-C again quits at once; nothing is lost either way)');
  try {
    const summary = await withDatabase(values.db, io.env, (db) =>
      scanLibrary({ root: positionals[0]!, db, workers, ffmpegPath: values.ffmpeg, model, taxonomy: () => loadTaxonomy(), retryFailed: values['retry-failed'], signal: controller.signal, onEvent: reporter.onEvent }),
    );
    reporter.finish();
    if (values.json) writeJsonLine(io, { type: 'summary', ...summary });
    else printSummary(io, summary, reporter.failures);
    if (summary.status === 'cancelled') return EXIT_CODES.interrupted;
    // A file whose MusiCNN stage failed counts as analysed, but its failure was reported: exit 1 too.
    return summary.failed > 0 || reporter.failures.length > 0 ? EXIT_CODES.finishedWithFailures : EXIT_CODES.ok;
  } finally {
    release();
    model.dispose();
  }
}

import { EXIT_CODES, SonorityError } from '../core/errors.ts';
import type { Db } from '../core/db/open-database.ts';
import { writeGenreBatch, type GenreWrite, type GenreWriteOutcome } from '../core/writeback/genre-writes.ts';
import { writeJsonLine, type CliIo } from './io.ts';
import { stopWhenOutputCloses } from './stop-when-output-closes.ts';
import { stopOnSignals } from './stop-on-signals.ts';
import { loadSettings, writeOptionsFor } from '../core/settings.ts';

/** Options every writing command takes; what they leave out comes from the settings (`sonority settings`). */
export const WRITE_OPTIONS = {
  'dry-run': { type: 'boolean' },
  id3v2: { type: 'string' },
  separator: { type: 'string' },
  touch: { type: 'boolean' },
  db: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** Their usage line. */
export const WRITE_USAGE = '[--dry-run] [--id3v2 3|4] [--separator S] [--touch] [--db FILE] [--json]';

interface WriteFlags {
  'dry-run'?: boolean;
  id3v2?: string;
  separator?: string;
  touch?: boolean;
  json?: boolean;
}

const list = (genres: readonly string[]) => (genres.length ? genres.join(', ') : '(none)');

/** Where the old genres were read from, when the file also holds genres in tags the write leaves as they are (APEv2, ID3v1…). */
function genreSourceNote(outcome: Extract<GenreWriteOutcome, { ok: true }>): string {
  if (outcome.untouchedGenreTags.length === 0) return '';
  const untouched = outcome.untouchedGenreTags.map(({ tag, genres }) => `${tag} ${list(genres)}`).join('; ');
  return `  (read from ${outcome.genreSource}; left as they are: ${untouched})`;
}

function report(io: CliIo, flags: WriteFlags, outcome: GenreWriteOutcome, note: string): void {
  if (flags.json) return writeJsonLine(io, { type: 'file', ...outcome });
  if (!outcome.ok) return void io.stdout.write(`  failed     ${outcome.path}\n             ${outcome.message}\n`);
  const verb = !outcome.changed ? 'unchanged' : flags['dry-run'] ? 'would set' : 'set';
  io.stdout.write(`  ${verb.padEnd(10)} ${outcome.path}\n             ${list(outcome.oldGenres)} → ${list(outcome.newGenres)}${note}${genreSourceNote(outcome)}\n`);
}

/**
 * Runs a journaled write batch for a command and reports it: a line per file
 * (old genres → new genres; "would set" in a dry run) or NDJSON, then a
 * summary. Ctrl-C, or the reader of stdout going away (`| head`), stops
 * after the file being written. `refusedFiles` counts files the command
 * already reported as not writable (among the failures). Exit 0 all
 * written, 1 some failed, 130 stopped.
 */
export async function runWrites(io: CliIo, db: Db, command: string, items: GenreWrite[], flags: WriteFlags, notes: string[] = [], refusedFiles = 0): Promise<number> {
  if (flags.id3v2 !== undefined && flags.id3v2 !== '3' && flags.id3v2 !== '4') throw new SonorityError('usage', `--id3v2 is 3 or 4, not "${flags.id3v2}"`);
  if (flags.separator !== undefined && flags.separator.length === 0) throw new SonorityError('usage', '--separator cannot be empty');
  const settings = loadSettings();
  const dryRun = flags['dry-run'] ?? false;
  const controller = new AbortController();
  const release = stopOnSignals(controller, (line) => io.stderr.write(`${line}\n`), 'Stopping after the file being written… (nothing is lost; `sonority undo --last` restores what was written)');
  const releaseOutput = stopWhenOutputCloses(io, controller, 'sonority: the output was closed; stopping after the file being written (nothing is lost; `sonority undo --last` restores what was written)');
  try {
    let index = 0;
    const { batchId, outcomes } = await writeGenreBatch(items, {
      db, command, dryRun, signal: controller.signal,
      write: writeOptionsFor({
        id3Version: flags.id3v2 ? (Number(flags.id3v2) as 3 | 4) : settings.id3Version,
        separator: flags.separator ?? settings.separator,
        mtime: flags.touch ? 'update' : settings.mtime,
      }),
      onOutcome: (outcome) => report(io, flags, outcome, notes[index++] ?? ''),
    });
    const failedWrites = outcomes.filter((o) => !o.ok).length;
    const failed = failedWrites + refusedFiles;
    const written = outcomes.filter((o) => o.ok && o.changed).length;
    if (flags.json) writeJsonLine(io, { type: 'summary', batchId, dryRun, written, unchanged: outcomes.length - written - failedWrites, failed });
    else io.stdout.write(`${dryRun ? 'Dry run: would write' : 'Wrote'} ${written} file${written === 1 ? '' : 's'}, ${failed} failed${batchId !== null && written > 0 ? ` (batch ${batchId}; \`sonority undo --last\` restores them)` : ''}.\n`);
    if (controller.signal.aborted) return EXIT_CODES.interrupted;
    return failed > 0 ? EXIT_CODES.finishedWithFailures : EXIT_CODES.ok;
  } finally {
    release();
    releaseOutput();
  }
}

import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT_CODES, SonorityError } from '../core/errors.ts';
import { writeGenreBatch, type GenreWriteOutcome } from '../core/writeback/genre-writes.ts';
import { loadTaxonomy } from '../core/taxonomy/taxonomy-file.ts';
import { canonicalGenres } from '../core/taxonomy/taxonomy.ts';
import { withDatabase, writeJsonLine, type CliIo } from './io.ts';
import { stopOnSignals } from './stop-on-signals.ts';

export const TAG_USAGE = 'sonority tag <file>... --genre G [--genre G2] [--dry-run] [--id3v2 3|4] [--separator S] [--touch] [--db FILE] [--json]';

const list = (genres: readonly string[]) => (genres.length ? genres.join(', ') : '(none)');

function report(io: CliIo, json: boolean, dryRun: boolean, outcome: GenreWriteOutcome): void {
  if (json) return writeJsonLine(io, { type: 'file', ...outcome });
  if (!outcome.ok) return void io.stdout.write(`  failed     ${outcome.path}\n             ${outcome.message}\n`);
  const verb = !outcome.changed ? 'unchanged' : dryRun ? 'would set' : 'set';
  io.stdout.write(`  ${verb.padEnd(10)} ${outcome.path}\n             ${list(outcome.oldGenres)} → ${list(outcome.newGenres)}\n`);
}

/**
 * `sonority tag <file>... --genre G`: sets the genres of the given files
 * through the same journaled, atomic path as `apply` (`--dry-run` shows the
 * exact change). Exit 0 all written, 1 some failed, 2 could not run.
 */
export async function tagCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { genre: { type: 'string', multiple: true }, 'dry-run': { type: 'boolean' }, id3v2: { type: 'string', default: '3' }, separator: { type: 'string', default: '; ' }, touch: { type: 'boolean' }, db: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (positionals.length === 0 || !values.genre?.length) throw new SonorityError('usage', `give the files and at least one --genre\nusage: ${TAG_USAGE}`);
  if (values.id3v2 !== '3' && values.id3v2 !== '4') throw new SonorityError('usage', `--id3v2 is 3 or 4, not "${values.id3v2}"`);
  const genres = canonicalGenres(loadTaxonomy(), values.genre);
  const dryRun = values['dry-run'] ?? false;
  const controller = new AbortController();
  const release = stopOnSignals(controller, (line) => io.stderr.write(`${line}\n`), 'Stopping after the file being written… (nothing is lost; `sonority undo --last` restores what was written)');
  try {
    const { batchId, outcomes } = await withDatabase(values.db, io.env, (db) => writeGenreBatch(positionals.map((file) => ({ path: path.resolve(file), genres, checkUnchangedSinceScan: true })), {
      db, command: 'tag', dryRun, signal: controller.signal,
      write: { id3: { newTagVersion: values.id3v2 === '4' ? 4 : 3, v23Separator: values.separator! }, mtime: values.touch ? 'update' : 'keep' },
      onOutcome: (outcome) => report(io, values.json ?? false, dryRun, outcome),
    }));
    const failed = outcomes.filter((o) => !o.ok).length;
    const written = outcomes.filter((o) => o.ok && o.changed).length;
    if (values.json) writeJsonLine(io, { type: 'summary', batchId, dryRun, written, unchanged: outcomes.length - written - failed, failed });
    else io.stdout.write(`${dryRun ? 'Dry run: would write' : 'Wrote'} ${written} file${written === 1 ? '' : 's'}, ${failed} failed${batchId !== null && written > 0 ? ` (batch ${batchId}; \`sonority undo --last\` restores them)` : ''}.\n`);
    if (controller.signal.aborted) return EXIT_CODES.interrupted;
    return failed > 0 ? EXIT_CODES.finishedWithFailures : EXIT_CODES.ok;
  } finally {
    release();
  }
}

import { parseArgs } from 'node:util';
import { EXIT_CODES } from '../core/errors.ts';
import { assertDatabaseExists, checkIntegrity } from '../core/db/open-database.ts';
import { resolveDatabasePath } from '../core/paths.ts';
import { writeJsonLine, type CliIo } from './io.ts';

export const DOCTOR_USAGE = 'sonority doctor [--db FILE] [--json]';

const SHOWN_PROBLEMS = 20;

/**
 * `sonority doctor`: SQLite's full `integrity_check` of the library database
 * (every page, b-tree and index against its table), on a read-only
 * connection. Exit 0 intact, 2 damaged (the problems listed) or missing.
 */
export async function doctorCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { db: { type: 'string' }, json: { type: 'boolean' } } });
  const file = resolveDatabasePath(values.db, io.env);
  assertDatabaseExists(file);
  const started = performance.now();
  const problems = checkIntegrity(file, 'full');
  const seconds = (performance.now() - started) / 1000;
  if (values.json) writeJsonLine(io, { type: 'doctor', database: file, intact: problems.length === 0, problems, seconds });
  else if (problems.length === 0) io.stdout.write(`The library database ${file} is intact (SQLite integrity_check, ${seconds.toFixed(1)} s).\n`);
  else {
    io.stdout.write(`The library database ${file} is damaged: SQLite's integrity_check lists ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n`);
    for (const problem of problems.slice(0, SHOWN_PROBLEMS)) io.stdout.write(`  ${problem}\n`);
    if (problems.length > SHOWN_PROBLEMS) io.stdout.write(`  … and ${problems.length - SHOWN_PROBLEMS} more (--json lists them all)\n`);
    io.stdout.write('It was left untouched, and Sonority will not write to it: move it aside (or pass --db with another file) and scan again.\n');
  }
  return problems.length === 0 ? EXIT_CODES.ok : EXIT_CODES.couldNotRun;
}

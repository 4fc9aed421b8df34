import { parseArgs } from 'node:util';
import { createFailuresStore } from '../core/db/failures-store.ts';
import { withDatabase, writeJsonLine, type CliIo } from './io.ts';

export const FAILURES_USAGE = 'sonority failures [--db FILE] [--json]';

/** `sonority failures [--json]`: every file that could not be analysed, with the reason. */
export async function failuresCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { db: { type: 'string' }, json: { type: 'boolean' } } });
  return withDatabase(values.db, io.env, (db) => {
    const failures = createFailuresStore(db).list();
    if (values.json) {
      for (const failure of failures) writeJsonLine(io, failure);
      return 0;
    }
    if (failures.length === 0) io.stdout.write('No failures.\n');
    for (const f of failures) io.stdout.write(`${f.path}\n  ${f.code} (${f.stage}): ${f.message}\n`);
    return 0;
  }, 'read');
}

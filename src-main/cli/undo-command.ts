import { parseArgs } from 'node:util';
import { EXIT_CODES, SonorityError } from '../core/errors.ts';
import { undoWriteBatch } from '../core/writeback/undo-writes.ts';
import { withDatabase, writeJsonLine, type CliIo } from './io.ts';

export const UNDO_USAGE = 'sonority undo [<batch-id> | --last] [--db FILE] [--json]';

/** `sonority undo`: restores the files a write batch changed, byte for byte. Exit 0 all restored, 1 some could not be. */
export async function undoCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { last: { type: 'boolean' }, db: { type: 'string' }, json: { type: 'boolean' } } });
  if (positionals.length > 1 || (positionals.length === 1) === Boolean(values.last)) throw new SonorityError('usage', `give one batch id or --last\nusage: ${UNDO_USAGE}`);
  const batchId = positionals.length ? Number(positionals[0]) : null;
  if (batchId !== null && !Number.isInteger(batchId)) throw new SonorityError('usage', `the batch id is a number, not "${positionals[0]}"`);
  const result = await withDatabase(values.db, io.env, (db) => undoWriteBatch(db, batchId, (outcome) => {
    if (values.json) writeJsonLine(io, { type: 'file', ...outcome });
    else io.stdout.write(outcome.ok ? `  restored   ${outcome.path}\n` : `  failed     ${outcome.path}\n             ${outcome.message}\n`);
  }));
  const failed = result.outcomes.filter((o) => !o.ok).length;
  const restored = result.outcomes.length - failed;
  if (values.json) writeJsonLine(io, { type: 'summary', batchId: result.batchId, undoBatchId: result.undoBatchId, restored, failed });
  else io.stdout.write(`Undid batch ${result.batchId}: ${restored} file${restored === 1 ? '' : 's'} restored, ${failed} failed.\n`);
  return failed > 0 ? EXIT_CODES.finishedWithFailures : EXIT_CODES.ok;
}

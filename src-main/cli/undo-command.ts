import { parseArgs } from 'node:util';
import { EXIT_CODES, SonorityError } from '../core/errors.ts';
import { undoWriteBatch, type UndoOutcome } from '../core/writeback/undo-writes.ts';
import { withDatabase, writeJsonLine, type CliIo } from './io.ts';
import { stopWhenOutputCloses } from './stop-when-output-closes.ts';
import { stopOnSignals } from './stop-on-signals.ts';

export const UNDO_USAGE = 'sonority undo [<batch-id> | --last] [--db FILE] [--json]';

function report(io: CliIo, json: boolean | undefined, outcome: UndoOutcome): void {
  if (json) writeJsonLine(io, { type: 'file', ...outcome });
  else io.stdout.write(outcome.ok ? `  restored   ${outcome.path}\n` : `  failed     ${outcome.path}\n             ${outcome.message}\n`);
}

/**
 * `sonority undo`: restores the files a write batch changed, byte for byte.
 * Ctrl-C, or the reader of stdout going away (`| head`), stops after the
 * file being restored. Exit 0 all restored, 1 some could not be, 130 stopped.
 */
export async function undoCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { last: { type: 'boolean' }, db: { type: 'string' }, json: { type: 'boolean' } } });
  if (positionals.length > 1 || (positionals.length === 1) === Boolean(values.last)) throw new SonorityError('usage', `give one batch id or --last\nusage: ${UNDO_USAGE}`);
  const batchId = positionals.length ? Number(positionals[0]) : null;
  if (batchId !== null && !Number.isInteger(batchId)) throw new SonorityError('usage', `the batch id is a number, not "${positionals[0]}"`);
  const controller = new AbortController();
  const release = stopOnSignals(controller, (line) => io.stderr.write(`${line}\n`), 'Stopping after the file being restored… (`sonority undo --last` restores the rest)');
  const releaseOutput = stopWhenOutputCloses(io, controller, 'sonority: the output was closed; stopping after the file being restored (`sonority undo --last` restores the rest)');
  try {
    const result = await withDatabase(values.db, io.env, (db) => undoWriteBatch(db, batchId, { signal: controller.signal, onOutcome: (outcome) => report(io, values.json, outcome) }));
    const failed = result.outcomes.filter((o) => !o.ok).length;
    const restored = result.outcomes.length - failed;
    if (values.json) writeJsonLine(io, { type: 'summary', batchId: result.batchId, undoBatchId: result.undoBatchId, restored, failed });
    else io.stdout.write(`${controller.signal.aborted ? 'Stopped undoing' : 'Undid'} batch ${result.batchId}: ${restored} file${restored === 1 ? '' : 's'} restored, ${failed} failed.\n`);
    if (controller.signal.aborted) return EXIT_CODES.interrupted;
    return failed > 0 ? EXIT_CODES.finishedWithFailures : EXIT_CODES.ok;
  } finally {
    release();
    releaseOutput();
  }
}

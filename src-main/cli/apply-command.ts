import { parseArgs } from 'node:util';
import { EXIT_CODES, SonorityError } from '../core/errors.ts';
import { readModelMetadata } from '../core/model/model-files.ts';
import { loadTaxonomy } from '../core/taxonomy/taxonomy-file.ts';
import { planApply } from '../core/review/apply-plan.ts';
import { withDatabase, writeJsonLine, type CliIo } from './io.ts';
import { WRITE_OPTIONS, WRITE_USAGE, runWrites } from './write-run.ts';

export const APPLY_USAGE = `sonority apply [--min-confidence X] [--untagged] [--disputed] [--folder DIR] [--artist A] [--album A] [--model DIR] ${WRITE_USAGE}`;

/**
 * `sonority apply`: writes every review decision not written yet and, with
 * `--min-confidence X`, the combined opinion's top genre for untagged or
 * disputed tracks at that combined confidence or above (`planApply`);
 * `--dry-run` prints the exact diff first. Journaled: `sonority undo --last`
 * reverts it.
 */
export async function applyCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { 'min-confidence': { type: 'string' }, untagged: { type: 'boolean' }, disputed: { type: 'boolean' }, folder: { type: 'string' }, artist: { type: 'string' }, album: { type: 'string' }, model: { type: 'string' }, ...WRITE_OPTIONS },
  });
  const minConfidence = values['min-confidence'] === undefined ? undefined : Number(values['min-confidence']);
  if (minConfidence !== undefined && !(minConfidence >= 0 && minConfidence <= 1)) throw new SonorityError('usage', `--min-confidence is a confidence between 0 and 1, not "${values['min-confidence']}"`);
  if ((values.untagged || values.disputed) && minConfidence === undefined) throw new SonorityError('usage', '--untagged and --disputed choose which predictions to write: give --min-confidence too');
  const metadata = readModelMetadata(values.model ?? (io.env.SONORITY_MODEL || undefined));
  return withDatabase(values.db, io.env, async (db) => {
    const { writes: plan, refused } = await planApply(db, metadata.id, loadTaxonomy(), { minConfidence, untaggedOnly: values.untagged, disputedOnly: values.disputed, folder: values.folder, artist: values.artist, album: values.album });
    for (const r of refused) {
      if (values.json) writeJsonLine(io, { type: 'refused', ...r });
      else io.stdout.write(`  not written ${r.path}\n             ${r.message}\n`);
    }
    const unwritable = refused.filter((r) => r.kind === 'unwritable').length;
    if (plan.length === 0) {
      if (values.json) writeJsonLine(io, { type: 'summary', batchId: null, dryRun: values['dry-run'] ?? false, written: 0, unchanged: 0, failed: unwritable });
      else if (unwritable) io.stdout.write(`Nothing written: ${unwritable} file${unwritable === 1 ? '' : 's'} cannot be written (above).\n`);
      else io.stdout.write('Nothing to apply: no decision waits to be written and no prediction passes the filters.\n');
      return unwritable ? EXIT_CODES.finishedWithFailures : EXIT_CODES.ok;
    }
    const notes = plan.map((p) => (p.source === 'decision' ? '  (decision)' : `  (experts ${(100 * p.confidence!).toFixed(0)}%)`));
    return runWrites(io, db, 'apply', plan.map((p) => ({ path: p.path, genres: p.genres, modelId: p.modelId, checkUnchangedSinceScan: true })), values, notes, unwritable);
  });
}

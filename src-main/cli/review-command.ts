import { parseArgs } from 'node:util';
import { SonorityError } from '../core/errors.ts';
import { readModelMetadata } from '../core/model/model-files.ts';
import { loadTaxonomy } from '../core/taxonomy/taxonomy-file.ts';
import { listReview, type ReviewStatus } from '../core/review/review-list.ts';
import { withDatabase, writeJsonLine, type CliIo } from './io.ts';

export const REVIEW_USAGE = 'sonority review [--disputed | --status S] [--limit N] [--db FILE] [--model DIR] [--json]';

const STATUSES: readonly ReviewStatus[] = ['disputed', 'agrees', 'untagged', 'unsure', 'outside-model', 'out-of-distribution'];

/** `sonority review [--disputed]`: predicted tracks with their review status; `--disputed` lists tag/prediction conflicts, surest first. */
export async function reviewCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { disputed: { type: 'boolean' }, status: { type: 'string' }, limit: { type: 'string' }, db: { type: 'string' }, model: { type: 'string' }, json: { type: 'boolean' } } });
  if (values.disputed && values.status) throw new SonorityError('usage', `give --disputed or --status, not both\nusage: ${REVIEW_USAGE}`);
  const only = values.disputed ? 'disputed' : (values.status as ReviewStatus | undefined);
  if (only && !STATUSES.includes(only)) throw new SonorityError('usage', `--status is one of ${STATUSES.join(', ')}, not "${only}"`);
  const limit = values.limit === undefined ? Infinity : Number(values.limit);
  if (!(Number.isInteger(limit) && limit > 0) && limit !== Infinity) throw new SonorityError('usage', `--limit takes a positive whole number, not "${values.limit}"`);
  const metadata = readModelMetadata(values.model ?? (io.env.SONORITY_MODEL || undefined));
  const taxonomy = loadTaxonomy();
  const entries = await withDatabase(values.db, io.env, (db) => listReview(db, metadata.id, taxonomy, only));
  const shown = entries.slice(0, limit);
  if (values.json) {
    for (const entry of shown) writeJsonLine(io, { type: 'track', ...entry });
    writeJsonLine(io, { type: 'summary', modelId: metadata.id, status: only ?? 'all', count: entries.length });
    return 0;
  }
  io.stdout.write(`${entries.length} track${entries.length === 1 ? '' : 's'}${only ? ` ${only}` : ' predicted'} (model ${metadata.id})\n`);
  for (const e of shown) {
    const tags = e.tagGenres.length ? e.tagGenres.join(', ') : '(no genre)';
    io.stdout.write(`  ${(100 * e.probability).toFixed(0).padStart(3)}%  ${tags} → ${e.predictedGenre}${e.ambiguous ? ' (ambiguous)' : ''}  [${e.status}]\n        ${e.path}\n`);
  }
  if (shown.length < entries.length) io.stdout.write(`  … and ${entries.length - shown.length} more (--limit)\n`);
  return 0;
}

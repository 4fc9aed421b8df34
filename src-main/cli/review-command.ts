import { parseArgs } from 'node:util';
import { SonorityError } from '../core/errors.ts';
import { readModelMetadata } from '../core/model/model-files.ts';
import { loadTaxonomy } from '../core/taxonomy/taxonomy-file.ts';
import { listReview } from '../core/review/review-list.ts';
import type { ReviewStatus } from '../core/shapes.ts';
import { decide, type DecisionInput } from '../core/review/decide.ts';
import path from 'node:path';
import { withDatabase, writeJsonLine, type CliIo } from './io.ts';

export const REVIEW_USAGE = 'sonority review [--disputed | --status S] [--limit N] [--db FILE] [--model DIR] [--json]\n  sonority review <file>... --accept | --accept-top N | --choose G | --genre G [--genre G2] | --keep | --skip';

/** The one decision the flags ask for, or null when none is given. */
function decisionFrom(values: { accept?: boolean; 'accept-top'?: string; choose?: string; genre?: string[]; keep?: boolean; skip?: boolean }): DecisionInput | null {
  const count = values['accept-top'] === undefined ? undefined : Number(values['accept-top']);
  if (count !== undefined && !(Number.isInteger(count) && count >= 1 && count <= 3)) throw new SonorityError('usage', `--accept-top takes 1, 2 or 3, not "${values['accept-top']}"`);
  const given: DecisionInput[] = [
    ...(values.accept ? [{ action: 'accept' as const }] : []),
    ...(count !== undefined ? [{ action: 'accept' as const, count }] : []),
    ...(values.choose ? [{ action: 'choose' as const, genres: [values.choose] }] : []),
    ...(values.genre?.length ? [{ action: 'custom' as const, genres: values.genre }] : []),
    ...(values.keep ? [{ action: 'keep' as const }] : []),
    ...(values.skip ? [{ action: 'skip' as const }] : []),
  ];
  if (given.length > 1) throw new SonorityError('usage', `give one decision: --accept, --accept-top, --choose, --genre, --keep or --skip\nusage: ${REVIEW_USAGE}`);
  return given[0] ?? null;
}

const STATUSES: readonly ReviewStatus[] = ['disputed', 'agrees', 'untagged', 'unsure', 'outside-model', 'out-of-distribution'];

/** `sonority review [--disputed]`: judged tracks with their review status from the combined opinion; `--disputed` lists the disputed tags, most disputed first. */
export async function reviewCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { disputed: { type: 'boolean' }, status: { type: 'string' }, limit: { type: 'string' }, db: { type: 'string' }, model: { type: 'string' }, json: { type: 'boolean' },
      accept: { type: 'boolean' }, 'accept-top': { type: 'string' }, choose: { type: 'string' }, genre: { type: 'string', multiple: true }, keep: { type: 'boolean' }, skip: { type: 'boolean' } },
  });
  const decision = decisionFrom(values);
  if ((positionals.length > 0) !== (decision !== null)) throw new SonorityError('usage', `a decision needs the files it is about, and files need a decision\nusage: ${REVIEW_USAGE}`);
  if (decision) return decideCommand(positionals, decision, values, io);
  if (values.disputed && values.status) throw new SonorityError('usage', `give --disputed or --status, not both\nusage: ${REVIEW_USAGE}`);
  const only = values.disputed ? 'disputed' : (values.status as ReviewStatus | undefined);
  if (only && !STATUSES.includes(only)) throw new SonorityError('usage', `--status is one of ${STATUSES.join(', ')}, not "${only}"`);
  const limit = values.limit === undefined ? Infinity : Number(values.limit);
  if (!(Number.isInteger(limit) && limit > 0) && limit !== Infinity) throw new SonorityError('usage', `--limit takes a positive whole number, not "${values.limit}"`);
  const metadata = readModelMetadata(values.model ?? (io.env.SONORITY_MODEL || undefined));
  const taxonomy = loadTaxonomy();
  const entries = await withDatabase(values.db, io.env, (db) => listReview(db, metadata.id, taxonomy, only), 'read');
  const shown = entries.slice(0, limit);
  if (values.json) {
    for (const { explain, ...entry } of shown) writeJsonLine(io, { type: 'track', ...entry, explanation: explain() });
    writeJsonLine(io, { type: 'summary', modelId: metadata.id, status: only ?? 'all', count: entries.length });
    return 0;
  }
  io.stdout.write(`${entries.length} track${entries.length === 1 ? '' : 's'}${only ? ` ${only}` : ' predicted'} (model ${metadata.id})\n`);
  for (const e of shown) {
    const tags = e.tagGenres.length ? e.tagGenres.join(', ') : '(no genre)';
    const suggested = e.suggestedGenre === null ? '—' : `${e.suggestedGenre} ${(100 * e.suggestedConfidence!).toFixed(0)}%`;
    const dispute = e.tagGenres.length && e.status !== 'outside-model' && e.status !== 'out-of-distribution' ? `, dispute ${(100 * e.dispute).toFixed(0)}%` : '';
    io.stdout.write(`  ${tags} → ${suggested}${e.ambiguous ? ' (ambiguous)' : ''}  [${e.status}${dispute}]\n        ${e.explain().experts}\n        ${e.path}\n`);
  }
  if (shown.length < entries.length) io.stdout.write(`  … and ${entries.length - shown.length} more (--limit)\n`);
  return 0;
}

/** `sonority review <file>... --accept|…`: records a decision per file; `apply` writes them. */
async function decideCommand(files: string[], decision: DecisionInput, values: { db?: string; model?: string; json?: boolean }, io: CliIo): Promise<number> {
  const metadata = readModelMetadata(values.model ?? (io.env.SONORITY_MODEL || undefined));
  const taxonomy = loadTaxonomy();
  // All or none: a bad file among several records nothing.
  const decided = await withDatabase(values.db, io.env, (db) => db.transaction(() => files.map((f) => path.resolve(f)).map((file) => ({ file, genres: decide(db, file, decision, metadata, taxonomy) })))());
  for (const { file, genres } of decided) {
    if (values.json) writeJsonLine(io, { type: 'decision', path: file, action: decision.action, genres });
    else io.stdout.write(`  ${decision.action.padEnd(7)} ${file}${genres.length ? ` → ${genres.join(', ')}` : ''}\n`);
  }
  if (!values.json) io.stdout.write('Recorded. `sonority apply --dry-run` shows what will be written.\n');
  return 0;
}

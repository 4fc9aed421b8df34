import { parseArgs } from 'node:util';
import { SonorityError } from '../core/errors.ts';
import { readModelMetadata } from '../core/model/model-files.ts';
import { describeRuntime, loadTensorFlow } from '../core/model/tf-runtime.ts';
import { loadTaxonomy } from '../core/taxonomy/taxonomy-file.ts';
import { trainLibraryModel } from '../core/learning/train-library-model.ts';
import { createLibraryModelsStore } from '../core/db/library-models-store.ts';
import { libraryOpinions } from '../core/review/library-opinion.ts';
import { readTrack } from '../core/db/track-records.ts';
import type { Db } from '../core/db/open-database.ts';
import type { LearningSummary } from '../core/shapes.ts';
import { withDatabase, writeJsonLine, type CliIo } from './io.ts';

export const LEARN_USAGE = 'sonority learn [--show] [--limit N] [--db FILE] [--model DIR] [--json]';

/** Prints what training found: the vocabulary, what was left out, and accuracy. */
function printSummary(io: CliIo, s: LearningSummary): void {
  io.stdout.write(`Library model ${s.libraryModelId} over ${s.baseModelId}: ${s.genres.length} genres from ${s.trainedTracks} trusted tracks (${s.tagged} tagged, ${s.distrusted} not trusted, ${s.decided} from your decisions)\n`);
  io.stdout.write(`  ${s.genres.map((g) => `${g.genre} ${g.tracks}`).join(' · ')}\n`);
  for (const r of s.rolledUp) io.stdout.write(`  learned as ${r.to}: ${r.from} (${r.tracks} track${r.tracks === 1 ? '' : 's'})\n`);
  if (s.excluded.length) io.stdout.write(`  too few examples to learn: ${s.excluded.map((e) => `${e.genre} (${e.tracks} tracks, ${e.artists} artists)`).join(', ')}\n`);
  io.stdout.write(`  out-of-fold accuracy ${(100 * s.outOfFoldAccuracy).toFixed(1)}% (${s.folds} folds grouped by artist) · ${s.flagged} tags doubted · ${s.suggested} suggestions · ${s.seconds.toFixed(1)} s\n`);
}

/** The trained tracks whose genre the model doubts, most doubtful first. */
function doubted(db: Db, baseModelId: string) {
  return [...libraryOpinions(db, baseModelId)].filter(([, o]) => o.flagged).sort(([, a], [, b]) => (b.doubt ?? 0) - (a.doubt ?? 0))
    .map(([trackId, o]) => ({ trackId, path: readTrack(db, trackId).path, given: o.givenGenre!, doubt: o.doubt!, suggested: o.suggestions[0]!.genre, probability: o.suggestions[0]!.probability }));
}

/**
 * `sonority learn`: trains the classifier of the user's own genres on the
 * trusted tags (artist-grouped k-fold), stores its opinions (the review queue
 * shows them) and lists the tags it doubts; `--show` lists them without training.
 */
export async function learnCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { show: { type: 'boolean' }, limit: { type: 'string' }, db: { type: 'string' }, model: { type: 'string' }, json: { type: 'boolean' } } });
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!(Number.isInteger(limit) && limit >= 0)) throw new SonorityError('usage', `--limit takes a whole number, not "${values.limit}"`);
  const base = readModelMetadata(values.model ?? (io.env.SONORITY_MODEL || undefined));
  const runtime = values.show ? null : await loadTensorFlow(io.env);
  if (runtime) io.stderr.write(`Learning your genres · ${describeRuntime(runtime)}\n`);
  return withDatabase(values.db, io.env, (db) => {
    const summary = runtime ? trainLibraryModel(db, runtime, base, loadTaxonomy()) : createLibraryModelsStore(db).current(base.id)?.summary;
    if (!summary) throw new SonorityError('no-library-model', 'no library model is trained yet; run `sonority learn`');
    const list = doubted(db, base.id);
    if (values.json) {
      writeJsonLine(io, { type: 'summary', ...summary });
      for (const entry of list.slice(0, limit)) writeJsonLine(io, { type: 'doubted', ...entry });
      return 0;
    }
    printSummary(io, summary);
    if (list.length) io.stdout.write(`Tags your library's genres doubt, most doubtful first:\n`);
    for (const e of list.slice(0, limit)) io.stdout.write(`  ${(100 * e.doubt).toFixed(0).padStart(3)}%  ${e.given} → ${e.suggested} (${(100 * e.probability).toFixed(0)}%)\n        ${e.path}\n`);
    if (list.length > limit) io.stdout.write(`  … and ${list.length - limit} more (--limit); the app's Review page shows them beside the base model's opinion\n`);
    return 0;
  }, runtime ? 'write' : 'read');
}

import { parseArgs } from 'node:util';
import { SonorityError } from '../core/errors.ts';
import { readModelMetadata } from '../core/model/model-files.ts';
import { EXIT_CODES } from '../core/errors.ts';
import { resolveDatabasePath } from '../core/paths.ts';
import { assertDatabaseExists } from '../core/db/open-database.ts';
import { trainInBackground } from '../core/learning/train-in-background.ts';
import { retrainOffer } from '../core/learning/retrain-offer.ts';
import { ProgressBar, renderTrainingLine } from './progress-bar.ts';
import { stopOnSignals } from './stop-on-signals.ts';
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
  const learner = s.learner === 'crnn' ? `CRNN over ${s.musicnnModel} patch embeddings` : 'logistic regression on descriptors';
  io.stdout.write(`  ${learner}, calibrated at temperature ${(s.temperature ?? 1).toFixed(2)} · out-of-fold accuracy ${(100 * s.outOfFoldAccuracy).toFixed(1)}% (${s.folds} folds grouped by artist)\n`);
  io.stdout.write(`  ${s.flagged} tags doubted (${s.pruned ?? 0} left out of the final fit) · ${s.suggested} suggestions · ${s.abstained ?? 0} out of distribution, no opinion · ${s.seconds.toFixed(1)} s on ${s.backend}\n`);
}

/** Trains in a worker thread with a progress bar (stderr, on a terminal); Ctrl-C cancels and keeps the previous model. */
async function trainWithProgress(io: CliIo, databasePath: string, base: { id: string; featureSet: string }): Promise<boolean> {
  assertDatabaseExists(databasePath);
  const bar = io.stderr.isTTY ? new ProgressBar(io.stderr, renderTrainingLine) : undefined;
  const training = trainInBackground({ databasePath, base, env: io.env }, {
    onRuntime: (description) => io.stderr.write(`Learning your genres · ${description}\n`),
    onProgress: (progress) => bar?.update(progress),
  });
  const controller = new AbortController();
  controller.signal.addEventListener('abort', () => training.cancel());
  const release = stopOnSignals(controller, (line) => io.stderr.write(`\n${line}\n`), 'Stopping: the previous library model is kept…');
  try {
    await training.result;
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === 'cancelled') return false;
    throw error;
  } finally {
    bar?.finish();
    release();
  }
}

/** The trained tracks whose genre the model doubts, most doubtful first. */
function doubted(db: Db, baseModelId: string) {
  return [...libraryOpinions(db, baseModelId)].filter(([, o]) => o.flagged).sort(([, a], [, b]) => (b.doubt ?? 0) - (a.doubt ?? 0))
    .map(([trackId, o]) => ({ trackId, path: readTrack(db, trackId).path, given: o.givenGenre!, doubt: o.doubt!, suggested: o.suggestions[0]!.genre, probability: o.suggestions[0]!.probability }));
}

/**
 * `sonority learn`: trains the classifier of the user's own genres on the
 * trusted tags (artist-grouped k-fold, in a worker thread with a progress
 * bar; Ctrl-C cancels), stores it and its opinions (the review queue shows
 * them) and lists the tags it doubts; `--show` lists them without training,
 * and says when enough new trusted genres arrived to retrain.
 */
export async function learnCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { show: { type: 'boolean' }, limit: { type: 'string' }, db: { type: 'string' }, model: { type: 'string' }, json: { type: 'boolean' } } });
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!(Number.isInteger(limit) && limit >= 0)) throw new SonorityError('usage', `--limit takes a whole number, not "${values.limit}"`);
  const base = readModelMetadata(values.model ?? (io.env.SONORITY_MODEL || undefined));
  if (!values.show && !(await trainWithProgress(io, resolveDatabasePath(values.db, io.env), { id: base.id, featureSet: base.featureSet }))) {
    io.stderr.write('Learning cancelled; the previous library model is kept.\n');
    return EXIT_CODES.interrupted;
  }
  return withDatabase(values.db, io.env, (db) => {
    const model = createLibraryModelsStore(db).current(base.id);
    const summary = model?.summary;
    if (!model || !summary) throw new SonorityError('no-library-model', 'no library model is trained yet; run `sonority learn`');
    const list = doubted(db, base.id);
    if (values.json) {
      writeJsonLine(io, { type: 'summary', ...summary });
      for (const entry of list.slice(0, limit)) writeJsonLine(io, { type: 'doubted', ...entry });
      return 0;
    }
    printSummary(io, summary);
    const offer = retrainOffer(db, model);
    if (values.show && offer.offered) io.stdout.write(`  Retraining would help: ${offer.reason}. Run \`sonority learn\`.\n`);
    if (list.length) io.stdout.write(`Tags your library's genres doubt, most doubtful first:\n`);
    for (const e of list.slice(0, limit)) io.stdout.write(`  ${(100 * e.doubt).toFixed(0).padStart(3)}%  ${e.given} → ${e.suggested} (${(100 * e.probability).toFixed(0)}%)\n        ${e.path}\n`);
    if (list.length > limit) io.stdout.write(`  … and ${list.length - limit} more (--limit); the app's Review page shows them beside the base model's opinion\n`);
    return 0;
  }, 'read');
}

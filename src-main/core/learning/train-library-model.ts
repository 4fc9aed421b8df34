import { createHash } from 'node:crypto';
import type { Db } from '../db/open-database.ts';
import type { TfRuntime } from '../model/tf-runtime.ts';
import { broaderGenres, type Taxonomy } from '../taxonomy/taxonomy.ts';
import type { LearningSummary } from '../shapes.ts';
import { readPatchSequences, readTrackFeatures } from '../db/track-features.ts';
import { createLibraryModelsStore } from '../db/library-models-store.ts';
import { nowIso } from '../db/time.ts';
import { currentMusicnnVersion } from '../musicnn/model-metadata.ts';
import { buildTrainingSet } from './library-training-set.ts';
import { learnLibrary, type LearningOptions } from './learn-library.ts';

/** The id of a library model: a hash of what it learned from, so the same library and trust give the same id. */
function libraryModelId(baseModelId: string, learner: string, tracks: readonly { trackId: number; genre: string | null }[], seed: number): string {
  const hash = createHash('sha256').update(JSON.stringify([baseModelId, learner, seed, tracks.map((t) => [t.trackId, t.genre])]));
  return `library-${hash.digest('hex').slice(0, 8)}`;
}

/**
 * Trains the classifier of the user's own genres on the library's trusted
 * genres — the CRNN over MusiCNN's patch embeddings when MusiCNN has
 * analysed every track, else the regression on descriptors and the base
 * model's embedding — then stores it (the CRNN's network too, with the
 * MusiCNN model it reads) and its opinion of every track, replacing the
 * previous one. Throws `too-few-examples` when fewer than two genres have
 * enough tracks, and the signal's reason when cancelled (nothing is stored).
 */
export function trainLibraryModel(db: Db, runtime: TfRuntime, base: { id: string; featureSet: string }, taxonomy: Taxonomy, options: Pick<LearningOptions, 'onProgress' | 'seed' | 'folds' | 'signal' | 'learner'> = {}): LearningSummary {
  const startedAt = nowIso(); // decisions made while it trains count towards the next retrain
  const musicnn = currentMusicnnVersion();
  const set = buildTrainingSet(db, readTrackFeatures(db, base), taxonomy, readPatchSequences(db, musicnn));
  const seed = options.seed ?? 1;
  const learned = learnLibrary(runtime, set.tracks, { ...options, seed, parentOf: (genre) => broaderGenres(taxonomy, genre)[0] ?? null });
  const counts = new Map<string, number>();
  for (const o of learned.opinions) if (o.givenGenre !== null) counts.set(o.givenGenre, (counts.get(o.givenGenre) ?? 0) + 1);
  const summary: LearningSummary = {
    libraryModelId: libraryModelId(base.id, learned.learner, set.tracks, seed), baseModelId: base.id, featureSet: base.featureSet, trainedAt: startedAt,
    learner: learned.learner, musicnnModel: learned.learner === 'crnn' ? musicnn.model : null,
    genres: learned.genres.map((genre) => ({ genre, tracks: counts.get(genre) ?? 0 })), excluded: learned.excluded, rolledUp: learned.rolledUp,
    tagged: set.tagged, distrusted: set.distrusted, decided: set.decided, trainedTracks: learned.trainedTracks, folds: learned.folds,
    outOfFoldAccuracy: learned.outOfFoldAccuracy, temperature: learned.calibration.temperature, flagged: learned.opinions.filter((o) => o.flagged).length, pruned: learned.pruned,
    abstained: learned.opinions.filter((o) => o.abstained).length,
    suggested: learned.opinions.filter((o) => o.givenGenre === null && !o.abstained).length, backend: learned.backend, seconds: learned.seconds,
  };
  const network = learned.kept && { ...learned.kept, musicnnModel: musicnn.model, calibration: learned.calibration, thresholds: learned.thresholds };
  createLibraryModelsStore(db).save(summary, learned.genres, learned.opinions, learned.learner, network);
  return summary;
}

import type { Handlers, LearningState } from '../contract.ts';
import { libraryChanged, type ServiceContext } from '../context.ts';
import { SonorityError } from '../../core/errors.ts';
import { createLibraryModelsStore } from '../../core/db/library-models-store.ts';
import { createTrustStore } from '../../core/db/trust-store.ts';
import { readTrack } from '../../core/db/track-records.ts';
import { canonicalGenre } from '../../core/taxonomy/taxonomy.ts';
import { loadTaxonomy } from '../../core/taxonomy/taxonomy-file.ts';
import { trainInBackground, type BackgroundTraining, type TrainingProgress } from '../../core/learning/train-in-background.ts';
import { retrainOffer } from '../../core/learning/retrain-offer.ts';
import { loadedModel } from './review-handlers.ts';

/** Library learning: train the classifier of the user's genres in a worker (the same core as `sonority learn`), cancel it, and the trust rules (`sonority trust`). */
export function createLearningHandlers(context: ServiceContext): Pick<Handlers, 'learningState' | 'learnGenres' | 'cancelLearning' | 'setTrust'> {
  let running: { training: BackgroundTraining; progress: TrainingProgress } | null = null;
  const state = (): LearningState => {
    const model = context.model ? createLibraryModelsStore(context.db).current(context.model.metadata.id) : null;
    return { summary: model?.summary ?? null, rules: createTrustStore(context.db).list(), training: running?.progress ?? null, retrain: model ? retrainOffer(context.db, model) : null };
  };
  return {
    learningState: state,
    learnGenres: async () => {
      if (running) throw new SonorityError('busy', 'your genres are already being learned; wait for it or cancel it');
      const base = loadedModel(context);
      const training = trainInBackground(
        { databasePath: context.databasePath, base: { id: base.id, featureSet: base.featureSet }, taxonomyPath: context.taxonomyPath, env: { SONORITY_TF_BACKEND: process.env.SONORITY_TF_BACKEND } },
        { onProgress: (progress) => {
          if (running) running.progress = progress;
          context.emit({ type: 'learning', progress });
        } },
      );
      running = { training, progress: { done: 0, total: 1, seconds: 0, etaSeconds: null } };
      try {
        await training.result;
      } finally {
        running = null;
      }
      libraryChanged(context);
      return state();
    },
    cancelLearning: () => {
      running?.training.cancel();
      return state();
    },
    setTrust: ({ kind, trackId, target, trusted }) => {
      if ((kind === 'track') !== (trackId !== undefined) || (kind !== 'track' && !target?.trim())) throw new SonorityError('bad-request', kind === 'track' ? 'a track rule names the track by trackId' : `a ${kind} rule names the ${kind} in target`);
      const store = createTrustStore(context.db);
      if (kind === 'track') store.set('track', '', readTrack(context.db, trackId!).id, trusted ?? null);
      else store.set(kind, kind === 'genre' ? canonicalGenre(loadTaxonomy(context.taxonomyPath), target!) ?? target!.trim() : target!, null, trusted ?? null);
      return state();
    },
  };
}

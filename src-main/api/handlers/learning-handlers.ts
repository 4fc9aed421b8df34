import type { Handlers, LearningState } from '../contract.ts';
import { libraryChanged, type ServiceContext } from '../context.ts';
import { SonorityError } from '../../core/errors.ts';
import { createLibraryModelsStore } from '../../core/db/library-models-store.ts';
import { createTrustStore } from '../../core/db/trust-store.ts';
import { readTrack } from '../../core/db/track-records.ts';
import { loadTensorFlow } from '../../core/model/tf-runtime.ts';
import { canonicalGenre } from '../../core/taxonomy/taxonomy.ts';
import { loadTaxonomy } from '../../core/taxonomy/taxonomy-file.ts';
import { trainLibraryModel } from '../../core/learning/train-library-model.ts';
import { loadedModel } from './review-handlers.ts';

/** Library learning: train the classifier of the user's genres (the same core as `sonority learn`) and the trust rules (`sonority trust`). */
export function createLearningHandlers(context: ServiceContext): Pick<Handlers, 'learningState' | 'learnGenres' | 'setTrust'> {
  const state = (): LearningState => ({
    summary: context.model ? createLibraryModelsStore(context.db).current(context.model.metadata.id)?.summary ?? null : null,
    rules: createTrustStore(context.db).list(),
  });
  return {
    learningState: state,
    learnGenres: async () => {
      trainLibraryModel(context.db, await loadTensorFlow(), loadedModel(context), loadTaxonomy(context.taxonomyPath));
      libraryChanged(context);
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

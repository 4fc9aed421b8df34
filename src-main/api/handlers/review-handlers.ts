import type { Handlers } from '../contract.ts';
import { libraryChanged, type ServiceContext } from '../context.ts';
import { SonorityError } from '../../core/errors.ts';
import type { GenreModelMetadata } from '../../core/model/model-files.ts';
import { loadTaxonomy } from '../../core/taxonomy/taxonomy-file.ts';
import { reviewQueue } from '../../core/review/review-queue.ts';
import { decideTrack, undoDecision } from '../../core/review/decide-track.ts';

/** The loaded model's metadata; throws `no-model` when none could be loaded. */
export function loadedModel(context: ServiceContext): GenreModelMetadata {
  if (!context.model) throw new SonorityError('no-model', 'no genre model is loaded, so there are no predictions to review or apply; see the app information for why');
  return context.model.metadata;
}

/** The review queue and decisions: the same core as `sonority review`. */
export function createReviewHandlers(context: ServiceContext): Pick<Handlers, 'reviewQueue' | 'decide' | 'undoDecision'> {
  return {
    reviewQueue: () => reviewQueue(context.db, loadedModel(context).id, loadTaxonomy(context.taxonomyPath)),
    decide: ({ trackId, action, genres }) => {
      // Typed genres, keep and skip need no model; accepting or choosing a model genre does.
      const model = action === 'accept' || action === 'choose' ? loadedModel(context) : (context.model?.metadata ?? null);
      const decided = decideTrack(context.db, trackId, { action, genres }, model, loadTaxonomy(context.taxonomyPath));
      libraryChanged(context);
      return decided;
    },
    undoDecision: ({ decisionId }) => {
      const undone = undoDecision(context.db, decisionId);
      libraryChanged(context);
      return undone;
    },
  };
}

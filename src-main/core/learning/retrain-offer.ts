import type { Db } from '../db/open-database.ts';
import type { LibraryModelRecord } from '../db/library-models-store.ts';
import { currentMusicnnVersion } from '../musicnn/model-metadata.ts';

/** Retraining is offered once this many trusted genres have arrived since training … */
export const RETRAIN_AFTER_TAGS = 10;
/** … and they are at least this share of the tracks it was trained on. */
export const RETRAIN_AFTER_SHARE = 0.1;

/** Whether a library model is worth retraining, and why. */
export interface RetrainOffer {
  /** Genres decided in review since training, plus tracks added since with a trusted genre it knows. */
  newTrusted: number;
  offered: boolean;
  /** Why, in a sentence; null when not offered. */
  reason: string | null;
}

/**
 * Counts the trusted genres that arrived since `model` was trained (tracks
 * whose latest review decision, made since, set or kept a genre, and
 * tracks a scan judged with a trusted genre) and offers a retrain when
 * there are at least 10 of them and 10% of the trained tracks, or when the
 * MusiCNN model the CRNN reads is no longer the current one.
 */
export function retrainOffer(db: Db, model: LibraryModelRecord): RetrainOffer {
  const decided = (db.prepare(`SELECT COUNT(*) AS n FROM decisions d WHERE d.id = (SELECT MAX(id) FROM decisions WHERE track_id = d.track_id)
    AND d.decided_at > ? AND d.action IN ('accept', 'choose', 'custom', 'keep')`).get(model.summary.trainedAt) as { n: number }).n;
  const added = (db.prepare('SELECT COUNT(*) AS n FROM library_opinions WHERE library_model_id = ? AND at_scan = 1 AND given_genre IS NOT NULL').get(model.id) as { n: number }).n;
  const newTrusted = decided + added;
  if (model.summary.musicnnModel && model.summary.musicnnModel !== currentMusicnnVersion().model) {
    return { newTrusted, offered: true, reason: `it reads ${model.summary.musicnnModel}, and tracks are now analysed by ${currentMusicnnVersion().model}` };
  }
  const offered = newTrusted >= RETRAIN_AFTER_TAGS && newTrusted >= RETRAIN_AFTER_SHARE * model.summary.trainedTracks;
  return { newTrusted, offered, reason: offered ? `${newTrusted} trusted genres arrived since it was trained on ${model.summary.trainedTracks} tracks` : null };
}

import type { Db } from './open-database.ts';
import { float32FromBlob, toBlob } from './blobs.ts';
import { nowIso } from './time.ts';
import type { LearningSummary } from '../shapes.ts';

/** One track's stored opinion of a library model. */
export interface StoredOpinion {
  trackId: number;
  givenGenre: string | null;
  probabilities: Float32Array;
  outOfFold: boolean;
  doubt: number | null;
  flagged: boolean;
  suggested: string;
  suggestedProbability: number;
}

/** A library model's identity and what training found. */
export interface LibraryModelRecord {
  id: string;
  /** The learned vocabulary, in the order of the stored probabilities. */
  genres: string[];
  summary: LearningSummary;
}

/** Library models (one per base model: a retrain replaces it) and their opinions of each track. */
export function createLibraryModelsStore(db: Db) {
  const removeOthers = db.prepare('DELETE FROM library_models WHERE base_model_id = ?');
  const insertModel = db.prepare(`INSERT INTO library_models (id, base_model_id, feature_set, genres, summary, trained_at) VALUES (@id, @baseModelId, @featureSet, @genres, @summary, @trainedAt)`);
  const insertOpinion = db.prepare(`INSERT INTO library_opinions (track_id, library_model_id, feature_set, given_genre, probabilities, out_of_fold, doubt, flagged, suggested, suggested_probability)
    VALUES (@trackId, @modelId, @featureSet, @givenGenre, @probabilities, @outOfFold, @doubt, @flagged, @suggested, @suggestedProbability)`);
  const current = db.prepare('SELECT id, genres, summary FROM library_models WHERE base_model_id = ? ORDER BY trained_at DESC LIMIT 1');
  const opinions = db.prepare(`SELECT track_id AS trackId, given_genre AS givenGenre, probabilities, out_of_fold AS outOfFold, doubt, flagged, suggested, suggested_probability AS suggestedProbability
    FROM library_opinions WHERE library_model_id = ?`);
  const opinion = db.prepare(`SELECT track_id AS trackId, given_genre AS givenGenre, probabilities, out_of_fold AS outOfFold, doubt, flagged, suggested, suggested_probability AS suggestedProbability
    FROM library_opinions WHERE library_model_id = ? AND track_id = ?`);
  const toOpinion = (row: any): StoredOpinion => ({ ...row, probabilities: float32FromBlob(row.probabilities), outOfFold: row.outOfFold === 1, flagged: row.flagged === 1 });
  return {
    /** Stores a trained model and its opinions in one transaction, replacing the base model's previous library model. */
    save: db.transaction((summary: LearningSummary, genres: string[], stored: readonly StoredOpinion[]) => {
      removeOthers.run(summary.baseModelId);
      insertModel.run({ id: summary.libraryModelId, baseModelId: summary.baseModelId, featureSet: summary.featureSet, genres: JSON.stringify(genres), summary: JSON.stringify(summary), trainedAt: summary.trainedAt || nowIso() });
      for (const o of stored) {
        insertOpinion.run({ ...o, modelId: summary.libraryModelId, featureSet: summary.featureSet, probabilities: toBlob(o.probabilities), outOfFold: Number(o.outOfFold), flagged: Number(o.flagged) });
      }
    }),
    /** The library model trained over a base model, or null when none was trained. */
    current(baseModelId: string): LibraryModelRecord | null {
      const row = current.get(baseModelId) as { id: string; genres: string; summary: string } | undefined;
      return row ? { id: row.id, genres: JSON.parse(row.genres) as string[], summary: JSON.parse(row.summary) as LearningSummary } : null;
    },
    /** Every track's opinion of a library model, by track id. */
    opinions: (libraryModelId: string): Map<number, StoredOpinion> => new Map(opinions.all(libraryModelId).map((row) => [(row as StoredOpinion).trackId, toOpinion(row)])),
    /** One track's opinion, or null. */
    opinion(libraryModelId: string, trackId: number): StoredOpinion | null {
      const row = opinion.get(libraryModelId, trackId);
      return row ? toOpinion(row) : null;
    },
  };
}

import type { Db } from './open-database.ts';
import { float32FromBlob, toBlob } from './blobs.ts';
import { nowIso } from './time.ts';
import type { LearningSummary } from '../shapes.ts';
import type { LearnerName } from '../learning/learners.ts';
import { decodeNetwork, encodeNetwork, type LibraryNetwork } from '../learning/library-network.ts';
import type { LearningCalibration } from '../learning/calibration.ts';

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
  /** Out of distribution: the opinion is kept but not offered. */
  abstained: boolean;
  /** Made by a scan with the stored network, for a track added after training. */
  atScan?: boolean;
}

/** A library model's identity and what training found. */
export interface LibraryModelRecord {
  id: string;
  /** The learned vocabulary, in the order of the stored probabilities. */
  genres: string[];
  summary: LearningSummary;
  learner: LearnerName;
}

/** Library models (one per base model: a retrain replaces it) and their opinions of each track. */
export function createLibraryModelsStore(db: Db) {
  const removeOthers = db.prepare('DELETE FROM library_models WHERE base_model_id = ?');
  const insertModel = db.prepare(`INSERT INTO library_models (id, base_model_id, feature_set, genres, summary, trained_at, learner) VALUES (@id, @baseModelId, @featureSet, @genres, @summary, @trainedAt, @learner)`);
  const insertNetwork = db.prepare('INSERT INTO library_networks (library_model_id, musicnn_model, network, calibration) VALUES (?, ?, ?, ?)');
  const insertOpinion = db.prepare(`INSERT OR REPLACE INTO library_opinions (track_id, library_model_id, feature_set, given_genre, probabilities, out_of_fold, doubt, flagged, suggested, suggested_probability, abstained, at_scan)
    VALUES (@trackId, @modelId, @featureSet, @givenGenre, @probabilities, @outOfFold, @doubt, @flagged, @suggested, @suggestedProbability, @abstained, @atScan)`);
  const current = db.prepare('SELECT id, genres, summary, learner FROM library_models WHERE base_model_id = ? ORDER BY trained_at DESC LIMIT 1');
  const network = db.prepare('SELECT musicnn_model AS musicnnModel, network, calibration FROM library_networks WHERE library_model_id = ?');
  const columns = `track_id AS trackId, given_genre AS givenGenre, probabilities, out_of_fold AS outOfFold, doubt, flagged, suggested, suggested_probability AS suggestedProbability, abstained, at_scan AS atScan`;
  const opinions = db.prepare(`SELECT ${columns} FROM library_opinions WHERE library_model_id = ?`);
  const opinion = db.prepare(`SELECT ${columns} FROM library_opinions WHERE library_model_id = ? AND track_id = ?`);
  const toOpinion = (row: any): StoredOpinion => ({ ...row, probabilities: float32FromBlob(row.probabilities), outOfFold: row.outOfFold === 1, flagged: row.flagged === 1, abstained: row.abstained === 1, atScan: row.atScan === 1 });
  const saveOpinion = (modelId: string, featureSet: string, o: StoredOpinion) => insertOpinion.run({
    ...o, modelId, featureSet, probabilities: toBlob(o.probabilities), outOfFold: Number(o.outOfFold), flagged: Number(o.flagged), abstained: Number(o.abstained), atScan: Number(o.atScan ?? false),
  });
  return {
    /** Stores a trained model, its network (CRNN) and its opinions in one transaction, replacing the base model's previous library model. */
    save: db.transaction((summary: LearningSummary, genres: string[], stored: readonly StoredOpinion[], learner: LearnerName = 'regression', kept: LibraryNetwork | null = null) => {
      removeOthers.run(summary.baseModelId);
      insertModel.run({ id: summary.libraryModelId, baseModelId: summary.baseModelId, featureSet: summary.featureSet, genres: JSON.stringify(genres), summary: JSON.stringify(summary), trainedAt: summary.trainedAt || nowIso(), learner });
      if (kept) insertNetwork.run(summary.libraryModelId, kept.musicnnModel, toBlob(encodeNetwork(kept)), JSON.stringify({ ...kept.calibration, thresholds: kept.thresholds, hidden: kept.weights.hidden }));
      for (const o of stored) saveOpinion(summary.libraryModelId, summary.featureSet, o);
    }),
    /** Stores opinions a scan made with the stored network (replacing the track's previous one). */
    saveScanOpinions: db.transaction((model: LibraryModelRecord, stored: readonly StoredOpinion[]) => {
      for (const o of stored) saveOpinion(model.id, model.summary.featureSet, { ...o, atScan: true });
    }),
    /** The library model trained over a base model, or null when none was trained. */
    current(baseModelId: string): LibraryModelRecord | null {
      const row = current.get(baseModelId) as { id: string; genres: string; summary: string; learner: LearnerName } | undefined;
      return row ? { id: row.id, genres: JSON.parse(row.genres) as string[], summary: JSON.parse(row.summary) as LearningSummary, learner: row.learner } : null;
    },
    /** A library model's stored CRNN, or null (a regression, or a model trained before migration 010). */
    network(model: LibraryModelRecord): LibraryNetwork | null {
      const row = network.get(model.id) as { musicnnModel: string; network: Uint8Array; calibration: string } | undefined;
      if (!row) return null;
      const { hidden, thresholds, ...calibration } = JSON.parse(row.calibration) as LearningCalibration & { hidden: number; thresholds: number[] };
      return { ...decodeNetwork(float32FromBlob(row.network), hidden, model.genres.length), musicnnModel: row.musicnnModel, calibration, thresholds };
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

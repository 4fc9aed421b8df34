import type { Db } from './open-database.ts';
import { nowIso } from './time.ts';
import { float32FromBlob, int32FromBlob, toBlob } from './blobs.ts';
import type { TrackDescriptors, TrackPrediction } from '../model/genre-model.ts';
import { DESCRIPTOR_NAMES } from '../features/descriptors.ts';
import { matrixRows } from '../features/stats.ts';

/** A track's stored descriptors, ready for the model. */
export interface StoredDescriptors extends TrackDescriptors {
  trackId: number;
  windowStarts: Int32Array;
}

/** Prediction persistence for the classify stage and the review commands. */
export function createPredictionsStore(db: Db, model: { id: string; featureSet: string; labels: string[] }) {
  const pending = db.prepare(`SELECT d.track_id AS trackId FROM descriptors d JOIN tracks t ON t.id = d.track_id
    WHERE d.feature_set = @featureSet AND t.status = 'analysed'
      AND NOT EXISTS (SELECT 1 FROM predictions p WHERE p.track_id = d.track_id AND p.model_id = @modelId)
    ORDER BY d.track_id`);
  const descriptors = db.prepare('SELECT window_starts AS windowStarts, windows, frames FROM descriptors WHERE track_id = ? AND feature_set = ?');
  const save = db.prepare(`INSERT OR REPLACE INTO predictions (track_id, model_id, feature_set, labels, probabilities, window_starts, window_probabilities, embedding,
      top_label, top_probability, ambiguous, ood_score, out_of_distribution, confident, predicted_at)
    VALUES (@trackId, @modelId, @featureSet, @labels, @probabilities, @windowStarts, @windows, @embedding, @topLabel, @topProbability, @ambiguous, @oodScore, @ood, @confident, @now)`);
  const labels = JSON.stringify(model.labels);

  return {
    /** Ids of analysed tracks with descriptors of the model's feature set and no prediction by this model. */
    pendingTrackIds: (): number[] => pending.all({ featureSet: model.featureSet, modelId: model.id }).map((row) => (row as { trackId: number }).trackId),
    /** The stored descriptors of a track in the model's feature set. */
    loadDescriptors(trackId: number): StoredDescriptors {
      const row = descriptors.get(trackId, model.featureSet) as { windowStarts: Buffer; windows: Buffer; frames: Buffer };
      return { trackId, windowStarts: int32FromBlob(row.windowStarts), windows: matrixRows(float32FromBlob(row.windows), DESCRIPTOR_NAMES.length), frames: matrixRows(float32FromBlob(row.frames), DESCRIPTOR_NAMES.length) };
    },
    /** Stores a batch of predictions in one transaction. */
    saveAll: db.transaction((batch: { track: StoredDescriptors; prediction: TrackPrediction }[]) => {
      const now = nowIso();
      for (const { track, prediction: p } of batch) {
        const windows = new Float32Array(p.windows.length * model.labels.length);
        p.windows.forEach((row, i) => windows.set(row, i * model.labels.length));
        save.run({
          trackId: track.trackId, modelId: model.id, featureSet: model.featureSet, labels, now,
          probabilities: toBlob(p.probabilities), windowStarts: toBlob(track.windowStarts), windows: toBlob(windows), embedding: toBlob(p.embedding),
          topLabel: p.top[0]!.label, topProbability: p.top[0]!.probability, ambiguous: Number(p.ambiguous), oodScore: p.oodScore, ood: Number(p.outOfDistribution), confident: Number(p.confident),
        });
      }
    }),
  };
}

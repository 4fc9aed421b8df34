import type { Db } from './open-database.ts';
import { SonorityError } from '../errors.ts';
import { float32FromBlob, int32FromBlob } from './blobs.ts';

/** A track's row: where the file is and what its tags said at the last scan. */
export interface TrackRecord {
  id: number;
  path: string;
  title: string | null;
  artist: string | null;
  album: string | null;
  tagDurationSec: number | null;
  container: string;
  codec: string | null;
  /** The genre tag values as scanned (not canonicalised). */
  genres: string[];
}

/** A track's stored analysis in one feature set. */
export interface StoredAnalysis {
  featureSet: string;
  durationSec: number;
  /** Descriptor rows of the analysed windows (57 values each, GTZAN order). */
  windows: Float32Array;
  /** The track tempo (BPM): the median of the windows' refined tempi. */
  tempo: number;
}

/** One model's stored prediction for a track; flags are 0 or 1 as stored. */
export interface StoredPrediction {
  labels: string[];
  probabilities: Float32Array;
  /** Window starts in samples at 22050 Hz, and the windows' probabilities (windows × labels, row-major). */
  windowStarts: Int32Array;
  windowProbabilities: Float32Array;
  label: string;
  confident: number;
  ambiguous: number;
  ood: number;
}

/** The track with this id; throws `not-in-library` when there is none. */
export function readTrack(db: Db, trackId: number): TrackRecord {
  const row = db.prepare(`SELECT id, path, title, artist, album, tag_duration_sec AS tagDurationSec, container, codec,
      (SELECT json_group_array(genre) FROM (SELECT genre FROM track_genres g WHERE g.track_id = t.id ORDER BY position)) AS genres
    FROM tracks t WHERE id = ?`).get(trackId) as (Omit<TrackRecord, 'genres'> & { genres: string }) | undefined;
  if (!row) throw new SonorityError('not-in-library', `there is no track ${trackId} in the library (it may have been removed by a scan); go back to the library and pick it again`);
  return { ...row, genres: JSON.parse(row.genres) as string[] };
}

/** The track's analysis, in `preferredFeatureSet` when it has one, else its latest; null when it was never analysed. */
export function readAnalysis(db: Db, trackId: number, preferredFeatureSet: string): StoredAnalysis | null {
  const row = db.prepare(`SELECT d.feature_set AS featureSet, a.duration_sec AS durationSec, d.windows, d.tempo
    FROM descriptors d JOIN analyses a ON a.track_id = d.track_id AND a.feature_set = d.feature_set
    WHERE d.track_id = ? ORDER BY d.feature_set = ? DESC, a.analysed_at DESC LIMIT 1`).get(trackId, preferredFeatureSet) as (Omit<StoredAnalysis, 'windows'> & { windows: Buffer }) | undefined;
  return row ? { ...row, windows: float32FromBlob(row.windows) } : null;
}

/** The prediction `modelId` stored for the track, or null. */
export function readPrediction(db: Db, trackId: number, modelId: string): StoredPrediction | null {
  const row = db.prepare(`SELECT labels, probabilities, window_starts AS windowStarts, window_probabilities AS windowProbabilities,
      top_label AS label, confident, ambiguous, out_of_distribution AS ood
    FROM predictions WHERE track_id = ? AND model_id = ?`).get(trackId, modelId) as Record<string, any> | undefined;
  if (!row) return null;
  return {
    labels: JSON.parse(row.labels) as string[], probabilities: float32FromBlob(row.probabilities),
    windowStarts: int32FromBlob(row.windowStarts), windowProbabilities: float32FromBlob(row.windowProbabilities),
    label: row.label, confident: row.confident, ambiguous: row.ambiguous, ood: row.ood,
  };
}

/** The id of the analysed track at `filePath` (an absolute path); throws `not-in-library` when the library has none. */
export function trackIdAt(db: Db, filePath: string): number {
  const row = db.prepare(`SELECT id FROM tracks WHERE path = ? AND status = 'analysed'`).get(filePath) as { id: number } | undefined;
  if (!row) throw new SonorityError('not-in-library', `${filePath} is not an analysed track of this library; scan its folder first`);
  return row.id;
}

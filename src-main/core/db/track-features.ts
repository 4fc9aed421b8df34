import type { Db } from './open-database.ts';
import { float32FromBlob } from './blobs.ts';
import { float16FromBlob } from './compact-blobs.ts';
import { DESCRIPTOR_NAMES } from '../features/descriptors.ts';
import { matrixRows, meanRows } from '../features/stats.ts';

/** What learning and playlists know of an analysed track: its tags, descriptors and the base model's view. */
export interface TrackFeatures {
  trackId: number;
  path: string;
  artist: string | null;
  title: string | null;
  /** Size and content fingerprint: equal keys are the same recording. */
  contentKey: string;
  /** Genre tag values as scanned. */
  tagGenres: string[];
  /** The 57 descriptors (GTZAN order): the mean of the track's analysed windows. */
  descriptors: Float32Array;
  tempo: number;
  durationSec: number;
  /** The base model's embedding; null when it has not predicted the track. */
  embedding: Float32Array | null;
  /** The base model found the track unlike its training music; false when it has not predicted the track. */
  outOfDistribution: boolean;
}

/**
 * Every analysed track (or only those of `trackIds`) with descriptors of
 * the base model's feature set, with that model's embedding where it has
 * predicted the track, in id order.
 */
export function readTrackFeatures(db: Db, base: { id: string; featureSet: string }, trackIds?: readonly number[]): TrackFeatures[] {
  const rows = db.prepare(`SELECT t.id, t.path, t.artist, t.title, t.size, t.fingerprint, d.windows, d.tempo, a.duration_sec AS durationSec,
      p.embedding, p.out_of_distribution AS ood,
      (SELECT json_group_array(genre) FROM (SELECT genre FROM track_genres g WHERE g.track_id = t.id ORDER BY position)) AS genres
    FROM tracks t JOIN descriptors d ON d.track_id = t.id AND d.feature_set = @featureSet
      JOIN analyses a ON a.track_id = t.id AND a.feature_set = d.feature_set
      LEFT JOIN predictions p ON p.track_id = t.id AND p.model_id = @modelId
    WHERE t.status = 'analysed' AND (@ids IS NULL OR t.id IN (SELECT value FROM json_each(@ids))) ORDER BY t.id`)
    .all({ featureSet: base.featureSet, modelId: base.id, ids: trackIds ? JSON.stringify(trackIds) : null }) as Array<Record<string, any>>;
  return rows.map((row) => ({
    trackId: row.id, path: row.path, artist: row.artist, title: row.title, contentKey: `${row.size}:${row.fingerprint}`,
    tagGenres: JSON.parse(row.genres) as string[], descriptors: meanRows(matrixRows(float32FromBlob(row.windows), DESCRIPTOR_NAMES.length)), tempo: row.tempo, durationSec: row.durationSec,
    embedding: row.embedding ? float32FromBlob(row.embedding) : null, outOfDistribution: row.ood === 1,
  }));
}

/**
 * Every stored MusiCNN patch-embedding sequence of `model` at `inputVersion`
 * (row-major `patches × 200`; empty for a track without a patch), by track.
 */
export function readPatchSequences(db: Db, version: { model: string; inputVersion: string }): Map<number, Float32Array> {
  const rows = db.prepare('SELECT track_id AS trackId, embeddings FROM musicnn WHERE model = ? AND input_version = ?').all(version.model, version.inputVersion) as { trackId: number; embeddings: Uint8Array | null }[];
  return new Map(rows.map((row) => [row.trackId, row.embeddings ? float16FromBlob(row.embeddings) : new Float32Array(0)]));
}

import type { Db } from '../db/open-database.ts';
import { readMusicnnMeans } from '../db/musicnn-means.ts';
import { currentMusicnnVersion, type MusicnnVersion } from '../musicnn/model-metadata.ts';

/** The vectors a map lays out: one unit-length MusiCNN mean embedding per analysed track. */
export interface MapEmbeddings {
  /** The embedding model's id. */
  model: string;
  trackIds: number[];
  /** `trackIds.length` rows of `width` values, each row of length 1. */
  vectors: Float32Array[];
}

/** `vector` scaled to length 1 (left as it is when all zero). */
export function normalised(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const norm = Math.sqrt(sum);
  return norm > 0 ? vector.map((value) => value / norm) : vector;
}

/**
 * Every analysed track's MusiCNN mean embedding (by `version`, the current
 * model by default), L2-normalised so that Euclidean distance orders pairs as
 * cosine distance does; tracks MusiCNN abstained on or has not analysed, and
 * tracks no longer in the library, have none. In track id order.
 */
export function readMapEmbeddings(db: Db, version: MusicnnVersion = currentMusicnnVersion()): MapEmbeddings {
  const means = readMusicnnMeans(db, version);
  const analysed = db.prepare(`SELECT id FROM tracks WHERE status = 'analysed' ORDER BY id`).pluck().all() as number[];
  const trackIds = analysed.filter((id) => means.has(id));
  return { model: version.model, trackIds, vectors: trackIds.map((id) => normalised(means.get(id)!.embedding)) };
}

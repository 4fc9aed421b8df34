import type { Db } from './open-database.ts';
import { float16FromBlob, float16Values, probabilitiesFromBlob } from './compact-blobs.ts';
import type { MusicnnVersion } from '../musicnn/model-metadata.ts';

/** A track's MusiCNN outputs as track means: the patch embeddings' mean and the four heads. */
export interface MusicnnMeans {
  embedding: Float32Array;
  heads: Float32Array;
}

/** The mean of a `patches × width` little-endian float16 BLOB's rows. */
function meanOfRows(blob: Uint8Array, patches: number): Float32Array {
  const table = float16Values();
  const width = blob.length / 2 / patches;
  const sums = new Float64Array(width);
  for (let i = 0, k = 0; i < blob.length; i += 2, k = k + 1 === width ? 0 : k + 1) sums[k]! += table[blob[i]! | (blob[i + 1]! << 8)]!;
  const mean = new Float32Array(width);
  for (let k = 0; k < width; k++) mean[k] = sums[k]! / patches;
  return mean;
}

/**
 * Every track's MusiCNN means by the model and input version `version`, by
 * track id; a track it abstained on (no patch) or has not analysed has none.
 * The mean embedding comes from `musicnn_means` (migration 009); for a row
 * analysed before it, from averaging the patch embeddings (about 23 kB a
 * track, read only then). Rows are streamed: memory holds the means only.
 */
export function readMusicnnMeans(db: Db, version: MusicnnVersion): Map<number, MusicnnMeans> {
  const rows = db.prepare(`SELECT m.track_id, m.patches, m.heads, mm.embedding, CASE WHEN mm.embedding IS NULL THEN m.embeddings END
    FROM musicnn m LEFT JOIN musicnn_means mm ON mm.track_id = m.track_id AND mm.model = m.model
    WHERE m.model = ? AND m.input_version = ? AND m.patches > 0`).raw()
    .iterate(version.model, version.inputVersion) as IterableIterator<[number, number, Uint8Array, Uint8Array | null, Uint8Array | null]>;
  const means = new Map<number, MusicnnMeans>();
  for (const [trackId, patches, heads, mean, embeddings] of rows) {
    means.set(trackId, { embedding: mean ? float16FromBlob(mean) : meanOfRows(embeddings!, patches), heads: probabilitiesFromBlob(heads) });
  }
  return means;
}

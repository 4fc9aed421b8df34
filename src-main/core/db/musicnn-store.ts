import type { Db } from './open-database.ts';
import { nowIso } from './time.ts';
import { int32FromBlob, toBlob } from './blobs.ts';
import { float16Blob, float16FromBlob, probabilitiesFromBlob, probabilityBlob } from './compact-blobs.ts';
import type { MusicnnAnalysis } from '../musicnn/analyse-musicnn.ts';
import { matrixRows, meanRows } from '../features/stats.ts';
import { MUSICNN_EMBEDDING_SIZE } from '../musicnn/model-metadata.ts';

/** A stored MusiCNN analysis: as computed, with probabilities to 1/255 and the embedding to float16, and when it was stored. */
export interface StoredMusicnn extends MusicnnAnalysis {
  analysedAt: string;
}

interface MusicnnRow {
  model: string;
  input_version: string;
  runtime: string | null;
  analysed_at: string;
  window_starts: Uint8Array;
  window_patches: Uint8Array;
  patch_starts: Uint8Array;
  tags: Uint8Array | null;
  window_tags: Uint8Array | null;
  heads: Uint8Array | null;
  patch_heads: Uint8Array | null;
  embeddings: Uint8Array | null;
}

/** The columns of an analysis (migration 008's encodings); an abstaining one (no patch) has NULL outputs. */
function toColumns(trackId: number, analysis: MusicnnAnalysis) {
  const abstains = analysis.patchStarts.length === 0;
  const probabilities = (values: Float32Array) => (abstains ? null : probabilityBlob(values));
  return {
    trackId,
    model: analysis.model,
    inputVersion: analysis.inputVersion,
    runtime: analysis.runtime,
    now: nowIso(),
    patches: analysis.patchStarts.length,
    windowStarts: toBlob(analysis.windowStarts),
    windowPatches: toBlob(analysis.windowPatches),
    patchStarts: toBlob(analysis.patchStarts),
    tags: probabilities(analysis.tags),
    windowTags: probabilities(analysis.windowTags),
    heads: probabilities(analysis.heads),
    patchHeads: probabilities(analysis.patchHeads),
    embeddings: abstains ? null : float16Blob(analysis.embeddings),
  };
}

/** A stored row back as an analysis (NULL outputs as empty arrays). */
function fromRow(row: MusicnnRow): StoredMusicnn {
  const probabilities = (blob: Uint8Array | null) => (blob ? probabilitiesFromBlob(blob) : new Float32Array(0));
  return {
    model: row.model,
    inputVersion: row.input_version,
    runtime: row.runtime,
    analysedAt: row.analysed_at,
    windowStarts: int32FromBlob(row.window_starts),
    windowPatches: int32FromBlob(row.window_patches),
    patchStarts: int32FromBlob(row.patch_starts),
    tags: probabilities(row.tags),
    windowTags: probabilities(row.window_tags),
    heads: probabilities(row.heads),
    patchHeads: probabilities(row.patch_heads),
    embeddings: row.embeddings ? float16FromBlob(row.embeddings) : new Float32Array(0),
  };
}

/** Persistence of MusiCNN analyses (table `musicnn`, migration 008, and their mean embedding, migration 009): one row per track and model. */
export function createMusicnnStore(db: Db) {
  const saveMean = db.prepare('INSERT INTO musicnn_means (track_id, model, embedding) VALUES (?, ?, ?)');
  const clearMean = db.prepare('DELETE FROM musicnn_means WHERE track_id = ? AND model = ?');
  const saveRow = db.prepare(`INSERT OR REPLACE INTO musicnn (track_id, model, input_version, runtime, analysed_at, patches, window_starts, window_patches, patch_starts, tags, window_tags, heads, patch_heads, embeddings)
    VALUES (@trackId, @model, @inputVersion, @runtime, @now, @patches, @windowStarts, @windowPatches, @patchStarts, @tags, @windowTags, @heads, @patchHeads, @embeddings)`);
  const save = db.transaction((trackId: number, analysis: MusicnnAnalysis) => {
    clearMean.run(trackId, analysis.model);
    saveRow.run(toColumns(trackId, analysis));
    if (analysis.patchStarts.length > 0) saveMean.run(trackId, analysis.model, float16Blob(meanRows(matrixRows(analysis.embeddings, MUSICNN_EMBEDDING_SIZE))));
  });
  const find = db.prepare('SELECT * FROM musicnn WHERE track_id = ? AND model = ?');
  return {
    /** Stores a track's analysis, replacing the one by the same model (of any input version). */
    save: (trackId: number, analysis: MusicnnAnalysis): void => save(trackId, analysis),
    /** The track's analysis by `model`, if stored. */
    find: (trackId: number, model: string): StoredMusicnn | undefined => {
      const row = find.get(trackId, model) as MusicnnRow | undefined;
      return row ? fromRow(row) : undefined;
    },
  };
}

export type MusicnnStore = ReturnType<typeof createMusicnnStore>;

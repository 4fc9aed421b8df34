/**
 * What the MusiCNN stage costs in the database (`npm run bench:musicnn-storage`):
 *
 * - the precision of the stored encodings against the parity tolerance
 *   (0.005): the largest rounding error of one-byte probabilities and of
 *   float16 (values of the embedding, and tags for comparison) over every
 *   patch of the eight Essentia references;
 * - bytes per track, payload and on disk (SQLite's `dbstat`), and the size of
 *   a library of `SONORITY_BENCH_TRACKS` (default 10,000) synthetic
 *   three-window tracks (57 patches each) with descriptors and MusiCNN
 *   analyses stored through the real stores (the analysis in `musicnn`, its
 *   mean embedding in `musicnn_means`), each table's share from `dbstat`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FEATURE_SET_VERSION, type TrackAnalysis } from '../src-main/core/analysis/analyse-file.ts';
import { float16Blob, float16FromBlob, probabilitiesFromBlob, probabilityBlob } from '../src-main/core/db/compact-blobs.ts';
import { createMusicnnStore } from '../src-main/core/db/musicnn-store.ts';
import { openDatabase, type Db } from '../src-main/core/db/open-database.ts';
import { createScansStore } from '../src-main/core/db/scans-store.ts';
import { createTracksStore } from '../src-main/core/db/tracks-store.ts';
import { DESCRIPTOR_NAMES } from '../src-main/core/features/descriptors.ts';
import { createRandom } from '../src-main/core/model/prng.ts';
import type { MusicnnAnalysis } from '../src-main/core/musicnn/analyse-musicnn.ts';
import { currentMusicnnVersion } from '../src-main/core/musicnn/model-metadata.ts';

const TRACKS = Number(process.env.SONORITY_BENCH_TRACKS ?? 10_000);
const WINDOWS = 3;
const PATCHES_PER_WINDOW = 19;
const REFERENCE_DIR = path.resolve(import.meta.dirname, '..', '..', 'shared', 'data', 'musicnn-reference');

/** The largest absolute difference between values and their stored round trip. */
function roundTripError(values: Float32Array, encode: (v: Float32Array) => Buffer, decode: (b: Buffer) => Float32Array): number {
  const back = decode(encode(values));
  return values.reduce((max, value, i) => Math.max(max, Math.abs(value - back[i]!)), 0);
}

/** Rounding errors of the encodings over every reference patch, and the embedding's largest value. */
function precision(): Record<string, number> {
  const outputs = fs.readdirSync(REFERENCE_DIR).filter((name) => name.endsWith('.outputs.json')).map((name) => JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, name), 'utf8')));
  const tags = Float32Array.from(outputs.flatMap((o) => o.tags.flat()));
  const heads = Float32Array.from(outputs.flatMap((o) => Object.values(o.heads as Record<string, number[][]>).flatMap((h) => h.flat())));
  const embedding = Float32Array.from(outputs.flatMap((o) => o.embedding.flat()));
  return {
    patches: outputs.reduce((sum, o) => sum + o.tags.length, 0),
    'tags, one byte': roundTripError(tags, probabilityBlob, probabilitiesFromBlob),
    'heads, one byte': roundTripError(heads, probabilityBlob, probabilitiesFromBlob),
    'tags, float16': roundTripError(tags, float16Blob, float16FromBlob),
    'embedding, float16': roundTripError(embedding, float16Blob, float16FromBlob),
    'embedding, largest value': embedding.reduce((max, value) => Math.max(max, value), 0),
  };
}

/** A synthetic three-window track's descriptors (30 frames), as the analysis stage stores them. */
function syntheticDescriptors(random: () => number): TrackAnalysis {
  const matrix = (rows: number, length: number) => ({ starts: Int32Array.from({ length: rows }, (_, r) => r * length), lengths: new Int32Array(rows).fill(length), values: Float32Array.from({ length: rows * DESCRIPTOR_NAMES.length }, random) });
  return { featureSet: FEATURE_SET_VERSION, sampleRate: 22_050, sampleCount: 1_984_500, durationSec: 240, rms: 0.1, peak: 0.9, windows: matrix(WINDOWS, 661_500), frames: matrix(WINDOWS * 10, 66_150), tempo: 120 };
}

/** A synthetic three-window MusiCNN analysis: 19 patches a window, sparse non-negative embeddings like the ReLU's. */
function syntheticMusicnn(random: () => number): MusicnnAnalysis {
  const patches = WINDOWS * PATCHES_PER_WINDOW;
  const values = (n: number, scale = 1) => Float32Array.from({ length: n }, () => (scale > 1 && random() < 0.5 ? 0 : random() * scale));
  const windowStarts = Int32Array.from({ length: WINDOWS }, (_, w) => w * 1_440_000);
  return {
    ...currentMusicnnVersion(), runtime: 'onnxruntime-node 1.31.1 (cpu, 1 thread)',
    windowStarts, windowPatches: new Int32Array(WINDOWS).fill(PATCHES_PER_WINDOW),
    patchStarts: Int32Array.from({ length: patches }, (_, p) => windowStarts[Math.floor(p / PATCHES_PER_WINDOW)]! + (p % PATCHES_PER_WINDOW) * 93 * 256),
    tags: values(50), windowTags: values(WINDOWS * 50), heads: values(4), patchHeads: values(patches * 4), embeddings: values(patches * 200, 8),
  };
}

/** Fills `db` with `count` synthetic tracks through the tracks and MusiCNN stores. */
function fill(db: Db, count: number): void {
  const random = createRandom(count);
  const tracks = createTracksStore(db, FEATURE_SET_VERSION, currentMusicnnVersion());
  const musicnn = createMusicnnStore(db);
  const scanId = createScansStore(db).start('/music');
  const tags = { artist: 'Artist', albumArtist: null, album: 'Album', title: 'Song', trackNo: 1, discNo: null, year: 2000, genres: ['Rock'], genreSource: 'ID3v2.3', durationSec: 240, codec: 'MPEG 1 Layer 3', sampleRate: 44_100, channels: 2, bitrate: 320_000 };
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const file = { path: `/music/${i}.mp3`, size: 5_000_000 + i, mtimeMs: 1_700_000_000_000 + i, fingerprint: `synthetic-${i}`, container: 'mp3', tags, analysis: syntheticDescriptors(random) };
      musicnn.save(tracks.saveAnalysed(file, scanId), syntheticMusicnn(random));
    }
  })();
}

/** Bytes on disk of each table and index, from SQLite's `dbstat`. */
function tableBytes(db: Db): Record<string, number> {
  const rows = db.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC').all() as { name: string; bytes: number }[];
  return Object.fromEntries(rows.map((row) => [row.name, row.bytes]));
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sonority-musicnn-storage-'));
const file = path.join(dir, 'library.db');
try {
  const db = openDatabase(file);
  fill(db, TRACKS);
  const payload = db.prepare(`SELECT AVG(LENGTH(window_starts) + LENGTH(window_patches) + LENGTH(patch_starts) + LENGTH(tags) + LENGTH(window_tags) + LENGTH(heads) + LENGTH(patch_heads) + LENGTH(embeddings))
    + (SELECT AVG(LENGTH(embedding)) FROM musicnn_means) AS bytes FROM musicnn`).get() as { bytes: number };
  db.pragma('wal_checkpoint(TRUNCATE)');
  const tables = tableBytes(db);
  db.close();
  const size = fs.statSync(file).size;
  console.log('precision of the stored encodings (max |error| over every reference patch; parity tolerance 0.005):', precision());
  console.log(`MusiCNN payload per three-window track (57 patches): ${payload.bytes.toFixed(0)} bytes; on disk (tables musicnn and musicnn_means / tracks): ${((tables.musicnn! + tables.musicnn_means!) / TRACKS).toFixed(0)} bytes`);
  console.log(`library of ${TRACKS} synthetic three-window tracks: ${(size / 2 ** 20).toFixed(1)} MiB; by table (MiB):`, Object.fromEntries(Object.entries(tables).filter(([, bytes]) => bytes >= 2 ** 19).map(([name, bytes]) => [name, +(bytes / 2 ** 20).toFixed(1)])));
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

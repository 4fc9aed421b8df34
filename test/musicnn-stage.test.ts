/**
 * The MusiCNN analysis stage of a scan, on real audio: what it stores per
 * track (checked against Essentia's reference outputs on tracks that are one
 * window), abstaining on a track shorter than a patch, a rescan that runs
 * nothing, a version change that re-runs MusiCNN alone, a failure that is
 * data, the runtime choice and the compact encodings.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../src-main/core/db/open-database.ts';
import { createMusicnnStore, type StoredMusicnn } from '../src-main/core/db/musicnn-store.ts';
import { float16Bits, float16Blob, float16FromBlob, probabilitiesFromBlob, probabilityBlob } from '../src-main/core/db/compact-blobs.ts';
import { scanLibrary, type ScanEvent } from '../src-main/core/scan/scan-library.ts';
import { MUSICNN_HOP_SIZE, MUSICNN_INPUT_VERSION, MUSICNN_PATCH_HOP } from '../src-main/core/musicnn/input-definition.ts';
import type { Tensor } from '@tensorflow/tfjs';
import { loadTensorFlow } from '../src-main/core/model/tf-runtime.ts';
import { readDenseHead, runDenseHead } from '../src-main/core/musicnn/dense-head.ts';
import { loadDiskGraphModel } from '../src-main/core/musicnn/graph-model-files.ts';
import { DEFAULT_MUSICNN_HEADS_DIR, HEAD_NODES, MUSICNN_HEAD_NAMES, POSITIVE_CLASS, readHeadMetadata } from '../src-main/core/musicnn/model-metadata.ts';
import { musicnnOnnxAvailable, loadChosenTagger } from '../src-main/core/musicnn/tagger-runtime.ts';
import { SHARED_DATA, jsonLines, makeTone, runCli, tempDir } from './helpers/fixtures.ts';
import { patchBatch, readMusicnnReference } from './helpers/musicnn-patches.ts';

const HUNGARIAN = 'Hungarian_Dance_number_5_-_Allegro_in_F_sharp_minor_(string_orchestra)';
/** The library: three tracks of one window with Essentia references, a 45.8-s recording (two windows), a 2-s tone. */
const SOURCES: Record<string, string> = {
  'bop.mp3': 'songs/bop.mp3',
  'techno.mp3': 'songs/techno.mp3',
  'blues.00000.wav': 'gtzan/clips/blues.00000.wav',
  [`${HUNGARIAN}.hq.ogg`]: `recordings/${HUNGARIAN}.hq.ogg`,
};
const TONE = 'tone.mp3';
const ONE_WINDOW = ['bop', 'techno', 'blues.00000'];
/** Essentia's outputs within 0.005 (parity), plus the storage's rounding: 1/510 for probabilities, float16 for the embedding (values under 16: 0.004). */
const TOLERANCE = 0.01;

interface ReferenceOutputs {
  patchStarts: number[];
  trackTags: number[];
  tags: number[][];
  embedding: number[][];
  headClasses: Record<string, string[]>;
  heads: Record<string, number[][]>;
}

function readReference(name: string): ReferenceOutputs {
  return JSON.parse(fs.readFileSync(path.join(SHARED_DATA, 'musicnn-reference', `${name}.outputs.json`), 'utf8')) as ReferenceOutputs;
}

function maxDifference(ours: ArrayLike<number>, theirs: ArrayLike<number>): number {
  expect(ours.length).toBe(theirs.length);
  let max = 0;
  for (let i = 0; i < ours.length; i++) max = Math.max(max, Math.abs(ours[i]! - theirs[i]!));
  return max;
}

/** Each head's probability of its positive class, track mean over the reference's patches. */
function referenceHeadMeans(reference: ReferenceOutputs): number[] {
  return MUSICNN_HEAD_NAMES.map((name) => {
    const positive = reference.headClasses[name]!.indexOf(POSITIVE_CLASS[name]);
    return reference.heads[name]!.reduce((sum, softmax) => sum + softmax[positive]!, 0) / reference.heads[name]!.length;
  });
}

/** Runs `work` on the library database, closed afterwards. */
function withDb<T>(file: string, work: (db: Db) => T): T {
  const db = openDatabase(file);
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/** The stored MusiCNN analysis of every track, by file name. */
function storedByName(file: string): Map<string, StoredMusicnn | undefined> {
  return withDb(file, (db) => {
    const store = createMusicnnStore(db);
    const tracks = db.prepare('SELECT id, path FROM tracks').all() as { id: number; path: string }[];
    return new Map(tracks.map((track) => [path.basename(track.path), store.find(track.id, 'msd-musicnn-1')]));
  });
}

/** Every stored row of a table, as JSON text (BLOBs in hex), for comparing before and after. */
function tableSnapshot(file: string, sql: string): string[] {
  return withDb(file, (db) => (db.prepare(sql).all() as Record<string, unknown>[]).map((row) => JSON.stringify(row, (_key, value) => (value?.type === 'Buffer' ? Buffer.from(value.data).toString('hex') : value))));
}

describe('the MusiCNN stage of a scan', () => {
  const root = tempDir();
  const library = path.join(root, 'library');
  const dbFile = path.join(root, 'library.db');
  const scan = async (...extra: string[]) => {
    const result = await runCli(['scan', library, '--db', dbFile, '--json', ...extra]);
    return { code: result.code, stderr: result.stderr, lines: jsonLines(result.stdout) };
  };
  const diffs: Record<string, { tags: number; heads: number; embedding: number }> = {};

  beforeAll(async () => {
    fs.mkdirSync(library);
    for (const [name, source] of Object.entries(SOURCES)) fs.copyFileSync(path.join(SHARED_DATA, source), path.join(library, name));
    await makeTone(path.join(library, TONE), 'mp3', { seconds: 2 });
  });

  it('stores track-mean tags and heads, the window timeline and every patch embedding, matching Essentia on tracks of one window', async () => {
    const { code, lines } = await scan();
    expect(code).toBe(0);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', analysed: 5, failed: 0 });
    expect(lines.filter((line) => line.type === 'musicnn')).toEqual([{ type: 'musicnn', model: 'msd-musicnn-1', runtime: expect.any(String), ...(musicnnOnnxAvailable() ? {} : { note: expect.any(String) }) }]);
    const stored = storedByName(dbFile);
    for (const name of ONE_WINDOW) {
      const reference = readReference(name);
      const row = stored.get([...Object.keys(SOURCES)].find((file) => file.startsWith(`${name}.`))!)!;
      const patches = reference.patchStarts.length;
      expect(row).toMatchObject({ model: 'msd-musicnn-1', inputVersion: MUSICNN_INPUT_VERSION, windowStarts: new Int32Array([0]), windowPatches: new Int32Array([patches]) });
      expect([...row.patchStarts]).toEqual(reference.patchStarts.map((frame) => frame * MUSICNN_HOP_SIZE));
      expect(row.windowTags).toEqual(row.tags);
      expect(row.patchHeads).toHaveLength(patches * 4);
      diffs[name] = { tags: maxDifference(row.tags, reference.trackTags), heads: maxDifference(row.heads, referenceHeadMeans(reference)), embedding: maxDifference(row.embeddings, reference.embedding.flat()) };
      expect(Math.max(...Object.values(diffs[name]!))).toBeLessThanOrEqual(TOLERANCE);
    }
    console.info(`MusiCNN stage against Essentia (max |Δ|): ${JSON.stringify(diffs)}`);
  });

  it('keeps each window of a longer track: its start, its patches and its mean tags', () => {
    const row = storedByName(dbFile).get(`${HUNGARIAN}.hq.ogg`)!;
    const reference = readReference(HUNGARIAN);
    expect(row.windowStarts[0]).toBe(0);
    expect(row.windowStarts[1]! / 16000).toBeCloseTo(45.8 - 30, 1);
    expect([...row.windowPatches]).toEqual([19, 19]);
    expect([...row.patchStarts]).toEqual([0, 1].flatMap((w) => Array.from({ length: 19 }, (_, p) => row.windowStarts[w]! + p * MUSICNN_PATCH_HOP * MUSICNN_HOP_SIZE)));
    expect(row.windowTags).toHaveLength(100);
    const windowMean = row.tags.map((_, t) => (row.windowTags[t]! + row.windowTags[50 + t]!) / 2);
    expect(maxDifference(row.tags, windowMean)).toBeLessThanOrEqual(1 / 255);
    // The first window is the first 30 s, decoded alike: its patches are the reference's first 19.
    expect(maxDifference(row.embeddings.subarray(0, 19 * 200), reference.embedding.slice(0, 19).flat())).toBeLessThanOrEqual(TOLERANCE);
    expect(row.embeddings).toHaveLength(38 * 200);
  });

  it('abstains on a track shorter than one patch, which is still analysed', () => {
    const row = storedByName(dbFile).get(TONE)!;
    expect(row).toMatchObject({ runtime: null, windowStarts: new Int32Array([0]), windowPatches: new Int32Array([0]), patchStarts: new Int32Array(0), tags: new Float32Array(0), heads: new Float32Array(0), embeddings: new Float32Array(0) });
    const track = withDb(dbFile, (db) => db.prepare("SELECT t.status, (SELECT COUNT(*) FROM descriptors d WHERE d.track_id = t.id) AS descriptors FROM tracks t WHERE t.path LIKE '%tone.mp3'").get());
    expect(track).toEqual({ status: 'analysed', descriptors: 1 });
  });

  it('rescans an unchanged library without running anything', async () => {
    const { code, lines } = await scan('--ffmpeg', '/nonexistent/ffmpeg');
    expect(code).toBe(0);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', analysed: 0, skipped: 5, predicted: 0 });
    expect(lines.some((line) => line.type === 'musicnn')).toBe(false);
  });

  it('re-runs only MusiCNN, on the same windows, for a track whose stored MusiCNN version is not current', async () => {
    const descriptors = () => tableSnapshot(dbFile, 'SELECT * FROM descriptors ORDER BY track_id');
    const analyses = () => tableSnapshot(dbFile, 'SELECT * FROM analyses ORDER BY track_id');
    const before = { descriptors: descriptors(), analyses: analyses(), musicnn: storedByName(dbFile) };
    withDb(dbFile, (db) => db.prepare("UPDATE musicnn SET input_version = 'musicnn-input-v0' WHERE track_id = (SELECT id FROM tracks WHERE path LIKE '%Hungarian%')").run());
    const { code, lines } = await scan();
    expect(code).toBe(0);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', analysed: 1, skipped: 4, predicted: 0 });
    expect(descriptors()).toEqual(before.descriptors);
    expect(analyses()).toEqual(before.analyses);
    const after = storedByName(dbFile);
    for (const [name, row] of after) {
      if (!name.startsWith('Hungarian')) expect(row).toEqual(before.musicnn.get(name));
      else {
        expect(row).toEqual({ ...before.musicnn.get(name), inputVersion: MUSICNN_INPUT_VERSION, analysedAt: expect.any(String) });
        expect(row!.analysedAt).not.toBe(before.musicnn.get(name)!.analysedAt);
      }
    }
  });
});

describe('a MusiCNN failure', () => {
  const root = tempDir();
  const library = path.join(root, 'library');
  const failingWorker = new URL('./helpers/failing-musicnn-worker.ts', import.meta.url);

  it('is data: the descriptors are stored, the failure is recorded with stage musicnn and kept, and --retry-failed runs MusiCNN again', async () => {
    await makeTone(path.join(library, 'four-seconds.flac'), 'flac', { seconds: 4 });
    const db = openDatabase(path.join(root, 'library.db'));
    try {
      const events: ScanEvent[] = [];
      const first = await scanLibrary({ root: library, db, workers: 1, analysisWorker: failingWorker, onEvent: (event) => events.push(event) });
      expect(first).toMatchObject({ analysed: 1, failed: 0 });
      expect(events).toContainEqual({ type: 'failure', path: expect.stringContaining('four-seconds.flac'), stage: 'musicnn', code: 'model-invalid', message: 'the MusiCNN model is damaged (test)' });
      const state = () => db.prepare("SELECT t.status, (SELECT COUNT(*) FROM descriptors d WHERE d.track_id = t.id) AS descriptors, (SELECT COUNT(*) FROM musicnn m WHERE m.track_id = t.id) AS musicnn, (SELECT stage || ' ' || code FROM failures f WHERE f.path = t.path) AS failure FROM tracks t").get();
      expect(state()).toEqual({ status: 'analysed', descriptors: 1, musicnn: 0, failure: 'musicnn model-invalid' });
      expect(await scanLibrary({ root: library, db, workers: 1, analysisWorker: failingWorker })).toMatchObject({ analysed: 0, skipped: 1 });
      expect(state()).toEqual({ status: 'analysed', descriptors: 1, musicnn: 0, failure: 'musicnn model-invalid' });
      expect(await scanLibrary({ root: library, db, workers: 1, retryFailed: true })).toMatchObject({ analysed: 1, failed: 0 });
      expect(state()).toEqual({ status: 'analysed', descriptors: 1, musicnn: 1, failure: null });
    } finally {
      db.close();
    }
  });
});

describe('the MusiCNN runtime', () => {
  it('is onnxruntime-node when its model is there, TensorFlow.js when asked, and both give the same outputs', async () => {
    const chosen = await loadChosenTagger({ SONORITY_TF_BACKEND: 'wasm' });
    const tfjs = await loadChosenTagger({ SONORITY_TF_BACKEND: 'wasm', SONORITY_MUSICNN_RUNTIME: 'tfjs' });
    try {
      expect(chosen.runtime).toBe(musicnnOnnxAvailable() ? 'onnx' : 'tfjs');
      expect(tfjs).toMatchObject({ runtime: 'tfjs', describe: 'TensorFlow.js wasm' });
      const reference = readMusicnnReference('bop');
      const patches = patchBatch(reference.mel, reference.patchStarts.slice(0, 2));
      const [a, b] = await Promise.all([chosen.run(patches, 2), tfjs.run(patches, 2)]);
      expect(maxDifference(a.tags, b.tags)).toBeLessThan(1e-4);
      expect(maxDifference(a.embedding, b.embedding)).toBeLessThan(1e-4);
    } finally {
      await Promise.all([chosen.dispose(), tfjs.dispose()]);
    }
  });

  it('runs the four heads in TypeScript as TensorFlow.js runs their graphs', async () => {
    const { tf } = await loadTensorFlow({ SONORITY_TF_BACKEND: 'wasm' });
    const embedding = Float32Array.from(readMusicnnReference('bop').embedding.flat());
    const count = embedding.length / 200;
    for (const name of MUSICNN_HEAD_NAMES) {
      const dir = path.join(DEFAULT_MUSICNN_HEADS_DIR, name);
      const graph = await loadDiskGraphModel(tf, dir, name);
      const expected = tf.tidy(() => (graph.execute(tf.tensor2d(embedding, [count, 200]), HEAD_NODES.output) as Tensor).dataSync());
      graph.dispose();
      expect(maxDifference(runDenseHead(readDenseHead(dir, readHeadMetadata(name)), embedding, count), expected)).toBeLessThan(1e-6);
    }
  });

  it('refuses an unknown SONORITY_MUSICNN_RUNTIME before scanning (exit 2)', async () => {
    const root = tempDir();
    const result = await runCli(['scan', root, '--db', path.join(root, 'library.db')], { env: { SONORITY_MUSICNN_RUNTIME: 'gpu' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('SONORITY_MUSICNN_RUNTIME must be "tfjs" or "onnx", not "gpu"');
  });
});

describe('compact encodings', () => {
  it('rounds to float16 as the platform does, and probabilities to 1/255', () => {
    const Float16 = (globalThis as unknown as { Float16Array: new (n: number) => { [i: number]: number; buffer: ArrayBuffer } }).Float16Array;
    const platform = new Float16(1);
    const bits = new Uint16Array(platform.buffer);
    const values = [0, -0, 1, 8.06, 65504, 65520, 2 ** -24, 2 ** -25, 3 * 2 ** -26, 1e-8, Infinity, -3.3, ...Array.from({ length: 10_000 }, (_, i) => Math.fround(Math.sin(i) * 2 ** ((i % 40) - 25)))];
    for (const value of values) {
      platform[0] = value;
      expect(float16Bits(value)).toBe(bits[0]);
    }
    const finite = values.filter(Number.isFinite);
    expect(float16FromBlob(float16Blob(finite))).toEqual(Float32Array.from(finite, (value) => (platform[0] = value, platform[0])));
    const probabilities = Float32Array.from({ length: 1000 }, (_, i) => i / 999);
    expect(maxDifference(probabilitiesFromBlob(probabilityBlob(probabilities)), probabilities)).toBeLessThanOrEqual(1 / 510 + 1e-7);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrackDetail } from '../src-main/api/contract.ts';
import { melSpectrogramImage } from '../src-main/core/analysis/mel-spectrogram.ts';
import { centredFrames } from '../src-main/core/features/centred-frames.ts';
import { createMaxPool } from '../src-main/core/features/mel-image.ts';
import { hzToMel, melToHz } from '../src-main/core/features/mel.ts';
import { HOP, N_FFT, reflectPad, stft } from '../src-main/core/features/stft.ts';
import { DECODE_SAMPLE_RATE } from '../src-main/core/decode/decoder.ts';
import { SHOWN_DESCRIPTORS } from '../src-main/core/review/track-detail.ts';
import { createDecisionsStore } from '../src-main/core/db/decisions-store.ts';
import { createMusicnnStore } from '../src-main/core/db/musicnn-store.ts';
import { currentMusicnnVersion } from '../src-main/core/musicnn/model-metadata.ts';
import { MUSICNN_SAMPLE_RATE } from '../src-main/core/musicnn/input-definition.ts';
import { MUSICNN_TAGS } from '../src-main/core/taxonomy/musicnn-tags.ts';
import { ffmpeg, jsonLines, makeTone, runCli, tempDir } from './helpers/fixtures.ts';
import { readFeatureTable } from './helpers/gtzan.ts';
import { scannedLibrary, serviceFor } from './helpers/service.ts';

/** The code a promise rejects with (null when it resolves). */
const rejectionOf = (promise: Promise<unknown>) => promise.then(() => null, (error: { code: string; message: string }) => error);

/** The mel band whose centre (Slaney scale, 128 bands up to the Nyquist frequency) is nearest `hz`. */
function melBandOf(hz: number, bands: number, maxHz: number): number {
  const centres = Array.from({ length: bands }, (_, b) => melToHz(((b + 1) * hzToMel(maxHz)) / (bands + 1)));
  return centres.reduce((best, centre, b) => (Math.abs(centre - hz) < Math.abs(centres[best]! - hz) ? b : best), 0);
}

/** The mean byte of each band (row) of a decoded spectrogram image. */
function bandMeans(image: { width: number; height: number; pixels: Uint8Array }): number[] {
  return Array.from({ length: image.height }, (_, b) => image.pixels.subarray(b * image.width, (b + 1) * image.width).reduce((sum, v) => sum + v, 0) / image.width);
}

describe('mel spectrogram image', () => {
  it('frames a stream of odd-sized blocks exactly like the STFT frames the whole signal', async () => {
    const y = Float32Array.from({ length: 5000 }, (_, i) => Math.sin(i * 0.37) + ((i * 7919) % 13) / 13);
    async function* blocks() {
      let at = 0;
      for (const size of [1, 700, 3, 1500, 2796]) yield y.slice(at, (at += size));
    }
    const padded = reflectPad(y, N_FFT / 2);
    const frames: Float32Array[] = [];
    for await (const batch of centredFrames(blocks(), N_FFT, HOP)) {
      for (let t = 0; t < batch.count; t++) frames.push(batch.samples.slice(t * HOP, t * HOP + N_FFT));
    }
    expect(frames).toHaveLength(stft(y).frames);
    frames.forEach((frame, t) => expect(frame).toEqual(Float32Array.from(padded.subarray(t * HOP, t * HOP + N_FFT))));
  });

  it('max-pools any number of frames into at most the column limit', () => {
    const frames = 2500;
    const value = (i: number) => (i * 37) % 101;
    const pool = createMaxPool(1, 1200);
    for (let i = 0; i < frames; i++) pool.add([value(i)]);
    const { width, framesPerColumn, powers } = pool.result();
    expect(width).toBe(Math.ceil(frames / framesPerColumn));
    expect(width).toBeLessThanOrEqual(1200);
    expect(width).toBeGreaterThan(600);
    const expected = Array.from({ length: width }, (_, c) => Math.max(...Array.from({ length: Math.min(framesPerColumn, frames - c * framesPerColumn) }, (_, k) => value(c * framesPerColumn + k))));
    expect(Array.from(powers)).toEqual(expected);
  });

  it.each([440, 3000])('puts a %d Hz tone in the mel band that contains it', async (hz) => {
    const seconds = 5;
    const file = await makeTone(path.join(tempDir(), `tone-${hz}.flac`), 'flac', { seconds, frequency: hz });
    const image = await melSpectrogramImage(file);
    expect(image.height).toBe(128);
    expect(image.width).toBe(1 + Math.floor((seconds * DECODE_SAMPLE_RATE) / HOP));
    expect(image.durationSec).toBeCloseTo(seconds, 2);
    expect(image.maxHz).toBe(DECODE_SAMPLE_RATE / 2);
    expect(image.pixels).toHaveLength(image.width * image.height);
    const means = bandMeans(image);
    const expected = melBandOf(hz, image.height, image.maxHz);
    expect(means.indexOf(Math.max(...means))).toBe(expected);
    expect(Math.max(...means)).toBeGreaterThan(240);
    expect(means[Math.floor(expected / 2)]!).toBeLessThan(128); // far from the tone: at least 40 dB down
  });

  it('draws silence as all zeros', async () => {
    const file = path.join(tempDir(), 'silence.wav');
    await ffmpeg(['-f', 'lavfi', '-i', 'anullsrc=r=44100:cl=mono', '-t', '2', file]);
    const image = await melSpectrogramImage(file);
    expect(image.width).toBe(1 + Math.floor((2 * DECODE_SAMPLE_RATE) / HOP));
    expect(image.pixels.every((v) => v === 0)).toBe(true);
  });
});

describe('track detail through the API', () => {
  let service: Awaited<ReturnType<typeof serviceFor>>;
  let library: Awaited<ReturnType<typeof scannedLibrary>>;
  let files: Record<'disputed' | 'untagged' | 'folk' | 'thrash' | 'whale', string>;
  let cliStatus: Map<string, string>;
  const idOf = (file: string) => (service.context.db.prepare('SELECT id FROM tracks WHERE path = ?').get(file) as { id: number }).id;
  const detailOf = async (file: string) => (await service.handlers.trackDetail({ trackId: idOf(file) })) as TrackDetail;

  beforeAll(async () => {
    library = await scannedLibrary();
    files = library.files as typeof files;
    service = await serviceFor(library.dbPath, library.root);
    const review = await runCli(['review', '--json', '--db', library.dbPath]);
    cliStatus = new Map(jsonLines(review.stdout).filter((l) => l.type === 'track').map((l) => [l.path as string, l.status as string]));
  }, 300_000);
  afterAll(() => service?.close());

  it('shows the stored prediction: probabilities summing to 1, the stored top genre, one timeline entry per analysed window', async () => {
    const db = service.context.db;
    const modelId = service.context.model!.metadata.id;
    for (const file of Object.values(files)) {
      const detail = await detailOf(file);
      const prediction = detail.prediction!;
      expect(prediction.modelId).toBe(modelId);
      expect(prediction.probabilities.reduce((sum, p) => sum + p.probability, 0)).toBeCloseTo(1, 4);
      const stored = db.prepare('SELECT top_label AS label FROM predictions WHERE track_id = ? AND model_id = ?').get(detail.id, modelId) as { label: string };
      expect(prediction.probabilities[0]!.label).toBe(stored.label);
      const windows = db.prepare('SELECT length(window_starts) / 4 AS n FROM descriptors WHERE track_id = ?').get(detail.id) as { n: number };
      expect(prediction.windows).toHaveLength(windows.n);
      for (const window of prediction.windows) {
        expect(window.probabilities).toHaveLength(prediction.labels.length);
        expect(window.probabilities.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 4);
      }
      expect(detail.status).toBe(cliStatus.get(file));
      expect(detail.tempo!).toBeGreaterThan(40);
      expect(detail.tempo!).toBeLessThan(250);
    }
    const whale = (await detailOf(files.whale)).prediction!;
    expect(whale.windows.length).toBeGreaterThan(1);
    expect(whale.windows.map((w) => w.startSec)).toEqual([...whale.windows.map((w) => w.startSec)].sort((a, b) => a - b));
  });

  it('shows the tag genres, display genre names, the format and the descriptors of the analysis', async () => {
    const disputed = await detailOf(files.disputed);
    expect([disputed.title, disputed.artist, disputed.genres, disputed.status]).toEqual(['Classical Piece', 'Orchestra', ['Metal'], 'disputed']);
    expect(disputed.prediction!.probabilities.find((p) => p.label === 'hiphop')!.genre).toBe('Hip-Hop');
    expect((await detailOf(files.folk)).genres).toEqual(['Folk']);
    const jazz = await detailOf(files.untagged);
    expect([jazz.genres, jazz.status, jazz.format?.startsWith('flac')]).toEqual([[], 'untagged', true]);
    expect(jazz.durationSec!).toBeCloseTo(30, 0);
    // A lossless copy of a GTZAN clip: its descriptors are the table's row.
    const row = readFeatureTable('features_30_sec.trainval.csv').find((r) => r.filename === 'jazz.00000.wav')!;
    expect(jazz.descriptors.map((d) => d.name)).toEqual(SHOWN_DESCRIPTORS);
    for (const { name, value } of jazz.descriptors) expect(Math.abs(value - row[name]!) / Math.abs(row[name]!), name).toBeLessThan(0.01);
  });

  it("shows MusiCNN as stored: its four heads, the moods they name, every facet, and per window its genres by broad genre", async () => {
    const store = createMusicnnStore(service.context.db);
    for (const file of Object.values(files)) {
      const detail = await detailOf(file);
      const stored = store.find(detail.id, currentMusicnnVersion().model)!;
      const musicnn = detail.musicnn!;
      expect(musicnn.model).toBe(stored.model);
      expect(Object.values(musicnn.heads!)).toEqual(Array.from(stored.heads));
      expect(musicnn.headMoods).toEqual((['aggressive', 'happy', 'relaxed'] as const).filter((mood) => musicnn.heads![mood] >= 0.5));
      const strongest = Math.max(...stored.tags);
      const facets = [musicnn.genres, musicnn.moods, musicnn.eras, musicnn.voice, musicnn.instrumentation];
      expect(Math.max(...facets.flat().map((s) => s.probability))).toBe(strongest);
      expect(musicnn.genres.find((g) => g.name === 'Jazz')?.probability).toBe(stored.tags[MUSICNN_TAGS.indexOf('jazz')]);
      const windowsWithPatches = Array.from(stored.windowStarts).filter((_, w) => stored.windowPatches[w]! > 0);
      expect(musicnn.windows.map((w) => w.startSec)).toEqual(windowsWithPatches.map((start) => start / MUSICNN_SAMPLE_RATE));
      for (const window of musicnn.windows) {
        expect(window.genres.reduce((sum, g) => sum + g.share, 0)).toBeCloseTo(1, 5);
        expect(new Set(window.genres.map((g) => g.genre)).size).toBe(window.genres.length); // one entry per broad genre
        expect(window.genres.some((g) => g.genre === 'Hip-Hop' || g.genre === 'Rock')).toBe(true);
      }
    }
    const jazz = (await detailOf(files.untagged)).musicnn!;
    expect(jazz.genres[0]!.name).toBe('Jazz');
    expect(jazz.windows[0]!.genres[0]!.genre).toBe('Jazz');
  });

  it('filters and sorts the library by MusiCNN mood and danceability, as stored', async () => {
    const store = createMusicnnStore(service.context.db);
    const rows = (await service.handlers.library({ offset: 0, limit: 100 })).rows;
    const heads = new Map(rows.map((row) => [row.id, Array.from(store.find(row.id, currentMusicnnVersion().model)?.heads ?? [])]));
    for (const row of rows) expect(row.heads ? Object.values(row.heads) : []).toEqual(heads.get(row.id));
    const ids = async (query: Partial<Parameters<typeof service.handlers.library>[0]>) => (await service.handlers.library({ offset: 0, limit: 100, ...query })).rows.map((row) => row.id);
    const moods = { aggressive: 1, happy: 2, relaxed: 3 } as const;
    const kept: number[] = [];
    for (const [mood, index] of Object.entries(moods) as [keyof typeof moods, number][]) {
      const found = await ids({ mood });
      expect(found).toEqual(rows.filter((row) => heads.get(row.id)![index]! >= 0.5).map((row) => row.id));
      kept.push(found.length);
    }
    expect(kept.some((n) => n > 0 && n < rows.length)).toBe(true); // some mood filter keeps some tracks and not others
    expect(await ids({ danceability: [0.5, 1] })).toEqual(rows.filter((row) => heads.get(row.id)![0]! >= 0.5).map((row) => row.id));
    const sorted = (await service.handlers.library({ offset: 0, limit: 100, sort: 'danceability', descending: true })).rows.map((row) => row.heads!.danceability);
    expect(sorted).toEqual([...sorted].sort((a, b) => b - a));
    expect(new Set(sorted).size).toBeGreaterThan(1);
  });

  it('lists the decisions newest first, and shows no prediction without a model', async () => {
    const trackId = idOf(files.folk);
    const decisions = createDecisionsStore(service.context.db);
    const first = decisions.record({ trackId, action: 'keep', genres: [], modelId: null, decidedBy: 'test' });
    const second = decisions.record({ trackId, action: 'custom', genres: ['Country', 'Folk'], modelId: null, decidedBy: 'test' });
    const detail = (await service.handlers.trackDetail({ trackId })) as TrackDetail;
    expect(detail.decisions.map(({ id, action, genres }) => ({ id, action, genres }))).toEqual([
      { id: second, action: 'custom', genres: ['Country', 'Folk'] },
      { id: first, action: 'keep', genres: [] },
    ]);
    const withoutModel = await serviceFor(library.dbPath, library.root, { model: null });
    try {
      const bare = (await withoutModel.handlers.trackDetail({ trackId })) as TrackDetail;
      expect([bare.prediction, bare.status, bare.genres]).toEqual([null, 'not-predicted', ['Folk']]);
      expect(bare.tempo).toBe(detail.tempo);
    } finally {
      withoutModel.close();
    }
  });

  it('draws a library track, as long as the file is', async () => {
    const trackId = idOf(files.whale);
    const detail = (await service.handlers.trackDetail({ trackId })) as TrackDetail;
    const image = await service.handlers.trackSpectrogram({ trackId });
    expect([image.height, image.dbRange]).toEqual([128, 80]);
    expect(image.width).toBeLessThanOrEqual(1200);
    expect(image.width).toBeGreaterThan(600);
    expect(Buffer.from(image.pixels, 'base64')).toHaveLength(image.width * image.height);
    expect(image.durationSec).toBeCloseTo(detail.durationSec!, 0);
  });

  it('refuses an unknown track, and names a deleted file', async () => {
    for (const call of [service.handlers.trackDetail, service.handlers.trackSpectrogram]) {
      expect((await rejectionOf(Promise.resolve().then(() => call({ trackId: 999_999 }))))?.code).toBe('not-in-library');
    }
    const file = files.thrash;
    fs.rmSync(file);
    const error = await rejectionOf(Promise.resolve(service.handlers.trackSpectrogram({ trackId: idOf(file) })));
    expect(error?.code).toBe('vanished');
    expect(error?.message).toContain(file);
    expect(error?.message).toMatch(/scan/i);
  });
});

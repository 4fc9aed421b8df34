import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../src-main/core/db/open-database.ts';
import { scanLibrary, type ScanEvent } from '../src-main/core/scan/scan-library.ts';
import { ProgressTracker, type ScanProgress } from '../src-main/core/scan/progress.ts';
import { FEATURE_SET_VERSION } from '../src-main/core/analysis/analyse-file.ts';
import { DESCRIPTOR_NAMES } from '../src-main/core/features/descriptors.ts';
import { SHARED_DATA, convertReal, makeTone, tempDir, type Format } from './helpers/fixtures.ts';
import { id3v24Tag, withoutId3 } from './helpers/id3v24.ts';

const FORMATS: Format[] = ['mp3', 'flac', 'ogg', 'opus', 'm4a', 'wav', 'aiff'];

/** A small real library: a tone in every format, real songs, a hand-made ID3v2.4 file with two genres, cover art and notes. */
async function buildLibrary(root: string): Promise<void> {
  await Promise.all(FORMATS.map((format, i) =>
    makeTone(path.join(root, 'Tones', `${String(i + 1).padStart(2, '0')} Tone.${format}`), format, { seconds: 3 + i, frequency: 220 * (i + 1), tags: { artist: 'Test Tones', album: 'Tones', title: `Tone ${format}`, track: String(i + 1), genre: 'Electronic' } })));
  await convertReal(path.join(SHARED_DATA, 'songs', 'dub.mp3'), path.join(root, 'Real', 'dub.flac'), 'flac', { artist: 'Dub Artist', genre: 'Dub' });
  await convertReal(path.join(SHARED_DATA, 'songs', 'samba.mp3'), path.join(root, 'Real', 'samba.ogg'), 'ogg', { artist: 'Samba Artist', genre: 'Samba' });
  const tone = fs.readFileSync(await makeTone(path.join(root, 'tmp.mp3'), 'mp3', { seconds: 2 }));
  fs.rmSync(path.join(root, 'tmp.mp3'));
  const tag = id3v24Tag({ TIT2: ['Two Genres'], TPE1: ['Artist A', 'Artist B'], TCON: ['Hip-Hop', 'Pop'] });
  fs.writeFileSync(path.join(root, 'Real', 'two-genres.mp3'), Buffer.concat([tag, withoutId3(tone)]));
  fs.writeFileSync(path.join(root, 'Real', 'cover.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
  fs.writeFileSync(path.join(root, 'Real', 'notes.txt'), 'ripped 2024\n');
}

const trackCount = FORMATS.length + 3;

/** The progress snapshots a scan reports, in order. */
function progressLog(): { log: ScanProgress[]; onEvent: (event: ScanEvent) => void } {
  const log: ScanProgress[] = [];
  return { log, onEvent: (event) => event.type === 'progress' && void log.push(event.progress) };
}

describe('scanLibrary', () => {
  const root = tempDir();
  let db: Db;
  beforeAll(() => buildLibrary(root));
  afterEach(() => db?.close());
  const open = () => (db = openDatabase(path.join(root, '..', `${path.basename(root)}.db`)));
  const trackByTitle = (title: string) => db.prepare('SELECT * FROM tracks WHERE title = ?').get(title) as any;

  it('scans every format, reads tags and stores real measurements', async () => {
    open();
    const { log, onEvent } = progressLog();
    const summary = await scanLibrary({ root, db, onEvent });
    expect(summary).toMatchObject({ status: 'completed', found: trackCount, analysed: trackCount, skipped: 0, failed: 0, ignored: 2 });
    // The walk itself ignores the cover and the notes: both are counted when it ends, before the analysis does.
    const walkEnd = log.find((p) => !p.walking)!;
    expect(walkEnd).toMatchObject({ walked: trackCount + 2, ignored: 2 });
    expect(walkEnd.analysed).toBeLessThan(trackCount);
    expect(log.at(-1)).toMatchObject({ walking: false, done: trackCount + 2, etaSec: 0 });
    expect(log.at(-1)!.filesPerSec).toBeGreaterThan(0);
    // Where the workers' time went: each stage ran on every track; no genre model, so no classify stage.
    const { decode, descriptors, musicnn, classify } = summary.stageSeconds;
    expect(Math.min(decode, descriptors, musicnn)).toBeGreaterThan(0);
    expect(classify).toBe(0);
    const rows = db.prepare(`SELECT t.title, t.container, t.tag_duration_sec, a.* FROM tracks t JOIN analyses a ON a.track_id = t.id WHERE t.artist = 'Test Tones' ORDER BY t.track_no`).all() as any[];
    expect(rows.map((r) => r.container)).toEqual(['mp3', 'flac', 'ogg-vorbis', 'ogg-opus', 'mp4', 'wav', 'aiff']);
    rows.forEach((row, i) => {
      expect(row.feature_set).toBe(FEATURE_SET_VERSION);
      expect(row.sample_rate).toBe(22050);
      expect(row.duration_sec).toBeCloseTo(3 + i, 1);
      expect(Math.abs(row.sample_count / ((3 + i) * 22050) - 1)).toBeLessThan(0.01);
      // ffmpeg's sine has amplitude 1/8; its mono→stereo upmix scales by 1/√2; RMS of a sine is amplitude/√2.
      expect(row.rms).toBeGreaterThan(0.05);
      expect(row.rms).toBeLessThan(0.066);
      expect(row.peak).toBeGreaterThan(0.08);
    });
    const stored = db.prepare(`SELECT t.track_no, t.artist, d.* FROM descriptors d JOIN tracks t ON t.id = d.track_id WHERE d.feature_set = ?`).all(FEATURE_SET_VERSION) as any[];
    expect(stored).toHaveLength(trackCount);
    for (const row of stored.filter((r) => r.artist === 'Test Tones')) {
      const windows = new Float32Array(new Uint8Array(row.windows).buffer);
      const frames = new Float32Array(new Uint8Array(row.frames).buffer);
      expect(windows.length).toBe(DESCRIPTOR_NAMES.length);
      // No model reads the 3-second frames, so a scan leaves them out (`sonority features` computes them).
      expect(frames.length).toBe(0);
      const centroid = windows[DESCRIPTOR_NAMES.indexOf('spectral_centroid_mean')]!;
      // The stored window centroid sits at the tone's frequency; lossy codecs' noise pulls it up a little.
      expect(Math.abs(centroid / (220 * row.track_no) - 1)).toBeLessThan(0.15);
    }
    const genres = db.prepare(`SELECT g.genre FROM track_genres g JOIN tracks t ON t.id = g.track_id WHERE t.title = 'Two Genres' ORDER BY g.position`).all();
    expect(genres).toEqual([{ genre: 'Hip-Hop' }, { genre: 'Pop' }]);
    expect(trackByTitle('Two Genres').artist).toBe('Artist A; Artist B');
    expect(db.prepare('SELECT COUNT(*) AS n FROM failures').get()).toEqual({ n: 0 });
  });

  it('rescans an unchanged library without decoding anything', async () => {
    open();
    const { log, onEvent } = progressLog();
    const summary = await scanLibrary({ root, db, ffmpegPath: '/nonexistent/ffmpeg', onEvent });
    expect(summary).toMatchObject({ analysed: 0, skipped: trackCount, failed: 0, moved: 0, gone: 0, ignored: 2 });
    // Skipping is not analysing: no rate, and nothing left once the walk is over.
    expect(log.map((p) => p.filesPerSec)).toEqual(log.map(() => 0));
    expect(log.at(-1)).toMatchObject({ walking: false, done: trackCount + 2, etaSec: 0 });
  });

  it('re-analyses a changed file, marks a removed one gone and keeps a moved one’s history', async () => {
    open();
    const movedBefore = trackByTitle('Tone flac');
    await makeTone(path.join(root, 'Tones', '01 Tone.mp3'), 'mp3', { seconds: 9, tags: { artist: 'Test Tones', title: 'Tone mp3', genre: 'Ambient' } });
    fs.rmSync(path.join(root, 'Tones', '03 Tone.ogg'));
    fs.mkdirSync(path.join(root, 'Moved'));
    fs.renameSync(path.join(root, 'Tones', '02 Tone.flac'), path.join(root, 'Moved', 'flac tone.flac'));
    const summary = await scanLibrary({ root, db });
    expect(summary).toMatchObject({ analysed: 1, moved: 1, gone: 1, failed: 0, skipped: trackCount - 3 });
    const changed = db.prepare(`SELECT a.duration_sec, (SELECT group_concat(genre) FROM track_genres WHERE track_id = t.id) AS genres FROM tracks t JOIN analyses a ON a.track_id = t.id WHERE t.title = 'Tone mp3'`).get() as any;
    expect(changed.duration_sec).toBeCloseTo(9, 1);
    expect(changed.genres).toBe('Ambient');
    expect(trackByTitle('Tone ogg').status).toBe('gone');
    const movedAfter = trackByTitle('Tone flac');
    expect(movedAfter).toMatchObject({ id: movedBefore.id, path: path.join(fs.realpathSync(root), 'Moved', 'flac tone.flac'), status: 'analysed' });
  });

  it('brings a gone file back when it reappears', async () => {
    open();
    await makeTone(path.join(root, 'Tones', '03 Tone.ogg'), 'ogg', { seconds: 5, frequency: 660, tags: { artist: 'Test Tones', title: 'Tone ogg' } });
    const summary = await scanLibrary({ root, db });
    expect(summary).toMatchObject({ analysed: 1, gone: 0 });
    expect(trackByTitle('Tone ogg').status).toBe('analysed');
  });

  it('re-analyses every track when the feature-set version changes', async () => {
    open();
    db.prepare(`UPDATE analyses SET feature_set = 'older-version'`).run();
    const summary = await scanLibrary({ root, db });
    expect(summary).toMatchObject({ analysed: trackCount, skipped: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM analyses WHERE feature_set = ?').get(FEATURE_SET_VERSION)).toEqual({ n: trackCount });
  });
});

describe('scan progress', () => {
  it('rates only the files that needed analysis, and expects untriaged files to need it as often as the triaged ones', () => {
    const tracker = new ProgressTracker();
    tracker.walked = 10;
    for (let i = 0; i < 4; i++) tracker.record('skipped');
    expect(tracker.snapshot()).toMatchObject({ done: 4, filesPerSec: 0, etaSec: null });
    tracker.enterAnalysis();
    tracker.enterAnalysis();
    tracker.record('analysed', true);
    const { filesPerSec, etaSec } = tracker.snapshot();
    expect(filesPerSec).toBeGreaterThan(0);
    // 1 file in analysis, plus 4 untriaged of which 2 in 6 triaged needed analysis.
    expect(etaSec!).toBeCloseTo((1 + 4 * (2 / 6)) / filesPerSec, 3);
  });
});

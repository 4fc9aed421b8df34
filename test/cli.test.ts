import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderProgressLine } from '../src-main/cli/progress-bar.ts';
import { formatDuration } from '../src-main/cli/format.ts';
import { SHARED_DATA, convertReal, jsonLines, makeTone, runCli, tempDir } from './helpers/fixtures.ts';
import { readFeatureTable } from './helpers/gtzan.ts';
import { DESCRIPTOR_NAMES } from '../src-main/core/features/descriptors.ts';

describe('sonority CLI', () => {
  const library = tempDir();
  const db = path.join(tempDir(), 'cli.db');
  beforeAll(async () => {
    await convertReal(path.join(SHARED_DATA, 'songs', 'gospel.mp3'), path.join(library, 'Gospel.mp3'), 'mp3', { artist: 'Choir', title: 'Hymn', genre: 'Gospel' });
    await makeTone(path.join(library, 'tone.flac'), 'flac', { seconds: 2, tags: { genre: 'Test' } });
  });

  it('prints the summary for people and exits 0 when all is good', async () => {
    const result = await runCli(['scan', library, '--db', db]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Scanned .+ in \d+s: 2 audio files · 2 analysed · 2 predicted · 0 unchanged · 0 moved · 0 failed · 0 gone\n$/);
  });

  it('prints NDJSON progress events and a final summary with --json', async () => {
    const result = await runCli(['scan', library, '--db', db, '--json']);
    const events = jsonLines(result.stdout);
    expect(events[0]).toMatchObject({ type: 'started', workers: expect.any(Number) });
    expect(events.some((e) => e.type === 'progress' && 'etaSec' in e && 'filesPerSec' in e)).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'summary', status: 'completed', found: 2, analysed: 0, skipped: 2, failed: 0, seconds: expect.any(Number) });
  });

  it('takes the database from SONORITY_DB and reports library totals', async () => {
    const result = await runCli(['status', '--json'], { env: { SONORITY_DB: db } });
    const [status] = jsonLines(result.stdout);
    expect(status).toMatchObject({ database: db, tracks: { total: 2, analysed: 2 }, tagged: { tracksWithGenre: 2, distinctGenres: 2 }, failures: 0 });
    expect(status!.containers).toEqual(expect.arrayContaining([{ container: 'mp3', count: 1 }, { container: 'flac', count: 1 }]));
    const text = await runCli(['status', '--db', db]);
    expect(text.stdout).toContain('Tracks       2 (2 analysed, 0 failed, 0 pending; 0 gone from disk)');
  });

  it('says "No failures." when there are none, and rejects unknown commands and options with exit 2', async () => {
    expect((await runCli(['failures', '--db', db])).stdout).toBe('No failures.\n');
    const unknown = await runCli(['scna', library]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "scna"');
    const badOption = await runCli(['scan', library, '--db', db, '--frobnicate']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain('unknown option --frobnicate for `sonority scan`');
  });
});

describe('progress line', () => {
  it('shows bar, counts, rate, ETA and tallies', () => {
    const line = renderProgressLine({ walked: 200, walking: false, done: 50, analysed: 40, skipped: 8, moved: 0, failed: 2, ignored: 0, elapsedSec: 25, filesPerSec: 2, etaSec: 75 }, 120);
    expect(line).toBe(`[${'█'.repeat(10)}${'░'.repeat(30)}] 50/200 25%  2.0 files/s  ETA 1m 15s  new 40 · unchanged 8 · failed 2`);
  });

  it('marks counts and ETA as provisional while the walk goes on', () => {
    const line = renderProgressLine({ walked: 10, walking: true, done: 5, analysed: 5, skipped: 0, moved: 0, failed: 0, ignored: 0, elapsedSec: 5, filesPerSec: 1, etaSec: 5 }, 120);
    expect(line).toContain('5/10+ 50%');
    expect(line).toContain('ETA ≥5s');
  });

  it('formats durations', () => {
    expect([formatDuration(42), formatDuration(185), formatDuration(3720), formatDuration(Number.NaN)]).toEqual(['42s', '3m 05s', '1h 02m', '—']);
  });
});

describe('a broken ffmpeg', () => {
  it('stops the scan as "could not run" instead of failing every file', async () => {
    const library = tempDir();
    await makeTone(path.join(library, 'a.flac'), 'flac', { seconds: 1 });
    await makeTone(path.join(library, 'b.flac'), 'flac', { seconds: 1 });
    const db = path.join(tempDir(), 'x.db');
    const result = await runCli(['scan', library, '--db', db, '--ffmpeg', '/nonexistent/ffmpeg']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot run ffmpeg at /nonexistent/ffmpeg (ENOENT)');
    expect((await runCli(['failures', '--db', db])).stdout).toBe('No failures.\n');
  });
});

describe('sonority features', () => {
  const clip = path.join(SHARED_DATA, 'gtzan', 'clips', 'disco.00000.wav');

  it('prints the window and its ten 3-second frames as CSV with the GTZAN column names', async () => {
    const result = await runCli(['features', clip]);
    expect(result.code).toBe(0);
    const [header, ...rows] = result.stdout.trim().split('\n');
    expect(header).toBe(`kind,index,start_sec,length,${DESCRIPTOR_NAMES.join(',')}`);
    expect(rows.map((r) => r.split(',').slice(0, 4).join(','))).toEqual(['window,0,0.000,664180', ...Array.from({ length: 10 }, (_, d) => `frame,${d},${(d * 66150 / 22050).toFixed(3)},66149`)]);
  });

  it('gives the table row of a GTZAN clip as its window in --json', async () => {
    const [out] = jsonLines((await runCli(['features', clip, '--json'])).stdout);
    const row = readFeatureTable('features_30_sec.trainval.csv').find((r) => r.filename === 'disco.00000.wav')!;
    expect(out!.windows).toHaveLength(1);
    expect(out!.windows[0].descriptors.tempo).toBe(Math.fround(row.tempo!));
    expect(out!.windows[0].descriptors.mfcc1_mean / row.mfcc1_mean!).toBeCloseTo(1, 5);
    expect(out!.frames).toHaveLength(10);
  });

  it('says why a file cannot be analysed', async () => {
    const result = await runCli(['features', path.join(SHARED_DATA, 'no-such.wav')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no such file');
  });
});

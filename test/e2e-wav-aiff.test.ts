/**
 * End to end in Chromium: a library of a WAV, an AIFF and a raw AAC (ADTS)
 * file, scanned through the interface; genres decided for all three; the
 * Apply page shows the AAC file as one that cannot be written before
 * anything is, previews and writes the other two; ffprobe (the WAV's INFO
 * list) and mutagen (the AIFF's ID3 chunk) read the genres, ffmpeg decodes
 * the same audio; Undo restores every file byte for byte.
 */
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpeg, hashFile, tempDir } from './helpers/fixtures.ts';
import { gtzanClip } from './helpers/service.ts';
import { buildRenderer, type ServeProcess } from './helpers/serve.ts';
import { callApi, closeServedApp, hasChromium, openServedApp, scanFromInterface } from './helpers/browser.ts';

const EXCERPT = (clip: string) => ['-i', gtzanClip(clip), '-t', '10'];
/** ffprobe's view of the container's tags (for WAV: the INFO list). */
const ffprobeTags = (file: string): Record<string, string> => JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format_tags', '-of', 'json', file], { encoding: 'utf8' })).format.tags ?? {};
/** mutagen's view of an AIFF's ID3 frames. */
const mutagenFrames = (file: string): Record<string, string[]> => JSON.parse(execFileSync('/usr/bin/python3', ['-c',
  'import json, sys, mutagen\nf = mutagen.File(sys.argv[1])\nprint(json.dumps({k: [str(v) for v in f.tags[k].text] for k in f.tags.keys() if hasattr(f.tags[k], "text")} if f.tags else {}))', file], { encoding: 'utf8' }));
/** SHA-256 of the audio as ffmpeg decodes it. */
const decodedAudio = (file: string) => crypto.createHash('sha256').update(execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 's16le', '-'], { maxBuffer: 64 << 20 })).digest('hex');

describe.runIf(hasChromium())('WAV and AIFF genres through the app, end to end', () => {
  const library = tempDir('sonority-e2e-wav-');
  const db = path.join(tempDir(), 'e2e.db');
  const files = { wav: path.join(library, 'Delta Walk.wav'), aiff: path.join(library, 'Night Train.aiff'), adts: path.join(library, 'Radio.aac') };
  const originals = new Map<string, { hash: string; decoded: string }>();
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  const api = (method: string, params: unknown = {}) => callApi(page, method, params);
  const unchanged = () => Object.values(files).filter((file) => hashFile(file) === originals.get(file)!.hash).length;

  beforeAll(async () => {
    await buildRenderer();
    await ffmpeg([...EXCERPT('blues.00000'), '-c:a', 'pcm_s16le', '-metadata', 'title=Delta Walk', '-metadata', 'genre=Rock', files.wav]);
    await ffmpeg([...EXCERPT('jazz.00000'), '-c:a', 'pcm_s16be', files.aiff]);
    await ffmpeg([...EXCERPT('rock.00000'), '-c:a', 'aac', '-b:a', '96k', '-f', 'adts', files.adts]);
    for (const file of Object.values(files)) originals.set(file, { hash: hashFile(file), decoded: decodedAudio(file) });
    ({ serve, browser, page } = await openServedApp(library, db));
  }, 180_000);

  afterAll(async () => {
    expect(await closeServedApp(browser, serve)).toBe(0);
  });

  it('scans the library through the interface', async () => {
    await scanFromInterface(page, serve.address);
    const { rows } = await api('library', { offset: 0, limit: 10 }) as { rows: { id: number; fileName: string }[] };
    expect(rows.map((row) => row.fileName).sort()).toEqual(['Delta Walk.wav', 'Night Train.aiff', 'Radio.aac']);
    for (const row of rows) {
      const genres = row.fileName.endsWith('.wav') ? ['Blues', 'Soul'] : ['Jazz'];
      await api('decide', { trackId: row.id, action: 'custom', genres });
    }
  });

  it('shows the AAC file as not writable before Apply, writes the WAV and the AIFF, and undoes them byte for byte', async () => {
    await page.keyboard.press('Alt+5');
    await page.getByText('2 files would change.').waitFor();
    await page.getByText('cannot be written: Sonority writes genres into MP3, FLAC, Ogg Vorbis, Opus, MP4/M4A, WAV and AIFF files, not raw AAC (ADTS)').waitFor();

    await page.getByRole('button', { name: 'Preview (dry run)' }).click();
    const dryRun = page.getByRole('region', { name: 'Dry run result' });
    await dryRun.waitFor();
    expect(await dryRun.textContent()).toMatch(/Would write 2 files, 1 failed\./);
    expect(await dryRun.textContent()).toContain('not raw AAC (ADTS)');
    expect(unchanged()).toBe(3);

    await page.getByRole('button', { name: 'Apply 2 changes' }).click();
    await page.getByRole('alertdialog', { name: 'Confirm apply' }).getByRole('button', { name: 'Write 2 files' }).click();
    await page.getByRole('region', { name: 'Apply result' }).waitFor({ timeout: 60_000 });
    expect(ffprobeTags(files.wav)).toMatchObject({ genre: 'Blues; Soul', title: 'Delta Walk' });
    expect(mutagenFrames(files.aiff)).toEqual({ TCON: ['Jazz'] });
    for (const file of [files.wav, files.aiff]) expect(decodedAudio(file), file).toBe(originals.get(file)!.decoded);
    expect(hashFile(files.adts)).toBe(originals.get(files.adts)!.hash);

    await page.getByRole('table', { name: 'Write batches' }).getByRole('button', { name: /^Undo batch/ }).first().click();
    const confirm = page.getByRole('alertdialog', { name: 'Confirm undo' });
    if (await confirm.waitFor({ timeout: 5_000 }).then(() => true, () => false)) await confirm.getByRole('button', { name: /^Undo batch/ }).click();
    await page.getByText(/Batch undone: 2 files restored/).waitFor({ timeout: 60_000 });
    expect(unchanged()).toBe(3);
  });
});

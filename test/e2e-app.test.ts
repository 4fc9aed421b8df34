/**
 * End to end: real Chromium (Debian's) drives the real interface served by
 * `sonority serve` over a library built from ../shared/data — scan, library,
 * track detail, review with the keyboard, batch apply with a dry run, then
 * the files' tags through an independent reader (mutagen), and undo.
 * Screenshots of each main view go to test-results/screenshots/.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertReal, hashFile, REPO_ROOT, SHARED_DATA, tempDir } from './helpers/fixtures.ts';
import { gtzanClip } from './helpers/service.ts';
import { buildRenderer, type ServeProcess } from './helpers/serve.ts';
import { callApi, closeServedApp, hasChromium, openServedApp } from './helpers/browser.ts';

// Browser globals of the page functions below (this file is type-checked as Node code).
declare const document: { body: object };
declare const getComputedStyle: (element: object) => { backgroundColor: string };
interface PageElement { getAttribute(name: string): string | null }
interface PageCanvas { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } }

const SCREENSHOTS = process.env.SONORITY_SCREENSHOTS ?? path.join(REPO_ROOT, 'test-results', 'screenshots');
const mutagen = (file: string) => execFileSync('mutagen-inspect', [file], { encoding: 'utf8' });

describe.runIf(hasChromium())('the app in a browser, end to end', () => {
  const library = tempDir('sonority-e2e-lib-');
  const db = path.join(tempDir(), 'e2e.db');
  const files = {
    disputed: path.join(library, 'Orchestra - Adagio.mp3'),
    untagged: path.join(library, 'Quartet - Blue Note.flac'),
    whale: path.join(library, 'Whale song.ogg'),
    broken: path.join(library, 'broken.mp3'),
  };
  const originals = new Map<string, string>();
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  const api = (method: string, params: unknown = {}) => callApi(page, method, params);

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await buildRenderer();
    await convertReal(gtzanClip('classical.00000'), files.disputed, 'mp3', { genre: 'Metal', title: 'Adagio', artist: 'Orchestra', album: 'Slow Movements' });
    await convertReal(gtzanClip('jazz.00000'), files.untagged, 'flac', { title: 'Blue Note', artist: 'Quartet' });
    fs.copyFileSync(path.join(SHARED_DATA, 'recordings', 'glacier-bay-humpback.hq.ogg'), files.whale);
    fs.writeFileSync(files.broken, 'this is not audio');
    for (const file of Object.values(files)) originals.set(file, hashFile(file));
    ({ serve, browser, page } = await openServedApp(library, db));
  }, 180_000);

  afterAll(async () => {
    expect(await closeServedApp(browser, serve)).toBe(0);
  });

  it('opens at the printed address and scans the folder with live progress and failures in words', async () => {
    await page.goto(serve.address);
    await page.getByText('No tracks yet').waitFor();
    await page.keyboard.press('Alt+2');
    await page.getByRole('button', { name: 'Scan', exact: true }).click();
    await page.getByRole('heading', { name: /^Scan finished/ }).waitFor({ timeout: 120_000 });
    const progress = page.getByRole('region', { name: 'Scan progress' });
    await expect.poll(() => progress.getByText('Analysed').locator('xpath=..').textContent()).toContain('3');
    const failures = page.getByRole('region', { name: 'Failures' });
    await expect.poll(() => failures.textContent()).toContain(files.broken);
    expect(await failures.textContent()).toContain('not audio: the file contains text');
    await shot('scan');
  });

  it('lists, searches and opens tracks in the library from the keyboard', async () => {
    await page.keyboard.press('Alt+1');
    await page.getByText('3 tracks', { exact: true }).waitFor();
    await page.getByRole('gridcell', { name: 'Whale song.ogg' }).waitFor(); // no title tag: the file's name
    await page.getByRole('searchbox', { name: 'Search the library' }).fill('quartet');
    await page.getByText('1 of 3 tracks').waitFor();
    await page.getByRole('searchbox', { name: 'Search the library' }).fill('');
    await page.getByText('3 tracks', { exact: true }).waitFor();
    await page.getByRole('columnheader', { name: 'Danceable' }).waitFor();
    for (const mood of ['relaxed', 'aggressive']) {
      const { total } = await api('library', { offset: 0, limit: 10, mood }) as { total: number };
      await page.getByRole('combobox', { name: 'Filter by mood' }).selectOption(mood);
      await (total === 0 ? page.getByText('No track matches') : page.getByText(total === 3 ? '3 tracks' : `${total} of 3 tracks`, { exact: true })).waitFor();
    }
    await page.getByRole('combobox', { name: 'Filter by mood' }).selectOption('');
    await page.getByText('3 tracks', { exact: true }).waitFor();
    await shot('library');
    await page.getByRole('button', { name: 'Title' }).click();
    await page.getByRole('grid').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/track\/\d+$/);
  });

  it('shows a track: mel spectrogram, probability bars and the window timeline', async () => {
    await page.getByRole('heading', { name: 'Adagio' }).waitFor();
    const canvas = page.locator('canvas').first();
    await canvas.waitFor();
    await expect.poll(() => canvas.evaluate((element) => {
      const c = element as unknown as PageCanvas;
      const pixels = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      return new Set(Array.from({ length: 500 }, (_, i) => pixels[Math.floor((i / 500) * (pixels.length / 4)) * 4])).size;
    }), { timeout: 60_000 }).toBeGreaterThan(10);
    await page.getByRole('list', { name: 'Genre probabilities' }).waitFor();
    expect(await page.getByRole('list', { name: 'Danceability and mood' }).getByRole('listitem').allTextContents()).toEqual([
      expect.stringMatching(/^Danceable\s*\d+%$/), expect.stringMatching(/^Happy/), expect.stringMatching(/^Relaxed/), expect.stringMatching(/^Aggressive/),
    ]);
    await shot('track');
    await page.getByRole('group', { name: /MusiCNN's genres per analysed window/ }).scrollIntoViewIfNeeded();
    await shot('track-timelines');
  });

  it('colours each genre the same in both timelines and on every track', async () => {
    const colours = async () => {
      const parts = await page.locator('[data-genre]').evaluateAll((elements) => elements.map((e) => [(e as unknown as PageElement).getAttribute('data-genre')!, getComputedStyle(e).backgroundColor] as const));
      const byGenre = new Map<string, Set<string>>();
      for (const [genre, colour] of parts) byGenre.set(genre, (byGenre.get(genre) ?? new Set()).add(colour));
      for (const [genre, seen] of byGenre) expect(seen.size, genre).toBe(1);
      return new Map([...byGenre].map(([genre, seen]) => [genre, [...seen][0]!]));
    };
    const adagio = await colours();
    const rows = (await api('library', { offset: 0, limit: 10 }) as { rows: { id: number; title: string | null }[] }).rows;
    await page.goto(`${serve.address}#/track/${rows.find((row) => row.title === 'Blue Note')!.id}`);
    await page.getByRole('heading', { name: 'Blue Note' }).waitFor();
    await page.getByRole('group', { name: /MusiCNN's genres per analysed window/ }).waitFor();
    const blueNote = await colours();
    const shared = [...adagio.keys()].filter((genre) => blueNote.has(genre));
    expect(shared).toContain('Jazz');
    for (const genre of shared) expect(blueNote.get(genre), genre).toBe(adagio.get(genre));
    expect(new Set(blueNote.values()).size).toBe(blueNote.size); // distinct genres, distinct colours
  });

  it('settles the review queue from the keyboard: accept, undo, choose', async () => {
    const queue = await api('reviewQueue') as Array<{ trackId: number; title: string; status: string; alternatives: { genre: string }[] }>;
    expect(queue.map((item) => item.title)).toEqual(['Adagio', 'Blue Note']);
    expect(queue[0]!.status).toBe('disputed');
    await page.keyboard.press('Alt+3');
    const card = page.getByRole('region', { name: 'Current track' });
    await card.getByRole('heading', { name: 'Adagio' }).waitFor();
    await shot('review');
    await page.keyboard.press('a');
    await page.getByRole('status').filter({ hasText: 'Accepted Classical for Adagio' }).waitFor();
    await card.getByRole('heading', { name: 'Blue Note' }).waitFor();
    await page.keyboard.press('u');
    await page.getByRole('status').filter({ hasText: 'Undid the decision for Adagio' }).waitFor();
    await card.getByRole('heading', { name: 'Adagio' }).waitFor();
    await page.keyboard.press('a');
    await card.getByRole('heading', { name: 'Blue Note' }).waitFor();
    const second = queue[1]!.alternatives[1]!.genre;
    await page.keyboard.press('2');
    await page.getByRole('status').filter({ hasText: `Chose ${second} for Blue Note` }).waitFor();
    await page.getByText('Nothing left to review').waitFor();
  });

  it('previews the batch as a dry run, writes it, and the files carry the genres; undo restores them byte for byte', async () => {
    const chosen = (await api('applyPlan', { scope: 'decisions', minConfidence: 0.9 }) as { writes: { title: string; newGenres: string[] }[] }).writes;
    const jazzGenre = chosen.find((w) => w.title === 'Blue Note')!.newGenres;
    await page.keyboard.press('Alt+5');
    await page.getByText('2 files would change.').waitFor();
    await page.getByRole('button', { name: 'Preview (dry run)' }).click();
    await page.getByRole('region', { name: 'Dry run result' }).waitFor();
    for (const file of Object.values(files)) expect(hashFile(file), file).toBe(originals.get(file));
    await shot('apply');
    await page.getByRole('button', { name: 'Apply 2 changes' }).click();
    await page.getByRole('alertdialog', { name: 'Confirm apply' }).getByRole('button', { name: 'Write 2 files' }).click();
    await page.getByRole('region', { name: 'Apply result' }).waitFor({ timeout: 60_000 });
    expect(mutagen(files.disputed)).toMatch(/^TCON=Classical$/m);
    expect(mutagen(files.untagged)).toMatch(new RegExp(`^GENRE=${jazzGenre.join('|')}$`, 'm'));
    expect(mutagen(files.untagged)).toMatch(/^title=Blue Note$/m);
    expect(hashFile(files.whale)).toBe(originals.get(files.whale));
    await page.getByRole('table', { name: 'Write batches' }).getByRole('button', { name: /^Undo batch/ }).first().click();
    await page.getByRole('alertdialog', { name: 'Confirm undo' }).getByRole('button', { name: /^Undo batch/ }).click();
    await page.getByText(/Batch undone: 2 files restored/).waitFor({ timeout: 60_000 });
    for (const file of Object.values(files)) expect(hashFile(file), file).toBe(originals.get(file));
  });

  it('has a settings page and a dark theme', async () => {
    await page.keyboard.press('Alt+6');
    await page.getByRole('heading', { name: 'Genre taxonomy' }).waitFor();
    expect(await page.getByText(db).count()).toBe(1);
    await shot('settings');
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
    await page.keyboard.press('Alt+1');
    await page.getByText('3 tracks', { exact: true }).waitFor();
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(22, 23, 26)');
    await shot('library-dark');
  });
});

/**
 * End to end in Chromium against `sonority serve`: untitled files are named
 * by their file and folder in Review, the Library and Apply; the genre text
 * as written shows beside the taxonomy's name; genres typed in Review and on
 * the Track page complete from the known genres; "Set genres…" tags a track
 * the queue never shows (out of distribution); and the Library's search,
 * sort and filters survive opening a track and coming Back.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertReal, ffmpeg, hashFile, REPO_ROOT, SHARED_DATA, tempDir } from './helpers/fixtures.ts';
import { gtzanClip } from './helpers/service.ts';
import { buildRenderer, type ServeProcess } from './helpers/serve.ts';
import { callApi, closeServedApp, hasChromium, openServedApp, scanFromInterface } from './helpers/browser.ts';

const SCREENSHOTS = process.env.SONORITY_SCREENSHOTS ?? path.join(REPO_ROOT, 'test-results', 'screenshots');

interface QueueItem { trackId: number; title: string | null; fileName: string; folder: string; writtenGenres: { written: string; canonical: string | null }[] }

describe.runIf(hasChromium())('names, written genres, Set genres and the library\'s state, in a browser', () => {
  const library = tempDir('sonority-e2e-names-');
  const db = path.join(tempDir(), 'names.db');
  const files = {
    adagio: path.join(library, 'Concerts', 'adagio.mp3'),
    gig: path.join(library, 'Punks', 'Live', 'gig.mp3'),
    whale: path.join(library, 'Field', 'whale.ogg'),
  };
  /** Short untitled clips, so the library's table scrolls. */
  const FILLERS = 30;
  const TOTAL = FILLERS + 3;
  const originals = new Map<string, string>();
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  const api = (method: string, params: unknown = {}) => callApi(page, method, params);
  const open = (name: string) => page.getByRole('link', { name, exact: true }).click();

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await buildRenderer();
    await convertReal(gtzanClip('classical.00000'), files.adagio, 'mp3', { genre: 'Metal' });
    await convertReal(gtzanClip('rock.00000'), files.gig, 'mp3', { genre: 'Punk Rock' });
    fs.mkdirSync(path.dirname(files.whale));
    fs.copyFileSync(path.join(SHARED_DATA, 'recordings', 'glacier-bay-humpback.hq.ogg'), files.whale);
    fs.chmodSync(files.whale, 0o644);
    fs.mkdirSync(path.join(library, 'Snippets'));
    for (let i = 0; i < FILLERS; i++) {
      await ffmpeg(['-ss', String(i % 20), '-t', '6', '-i', gtzanClip('blues.00000'), '-c:a', 'libmp3lame', '-b:a', '96k', path.join(library, 'Snippets', `snippet-${String(i).padStart(2, '0')}.mp3`)]);
    }
    for (const file of Object.values(files)) originals.set(file, hashFile(file));
    ({ serve, browser, page } = await openServedApp(library, db));
    await scanFromInterface(page, serve.address);
  }, 240_000);

  afterAll(async () => {
    expect(await closeServedApp(browser, serve)).toBe(0);
  });

  it('names an untitled track by its file and folder in Review, with its genre as written, and completes typed genres', async () => {
    const queue = await api('reviewQueue') as QueueItem[];
    expect(queue.length).toBeGreaterThan(0);
    const first = queue[0]!;
    expect(first.title).toBeNull();
    await open('Review');
    const card = page.getByRole('region', { name: 'Current track' });
    await card.getByRole('heading', { name: first.fileName }).waitFor();
    expect(await card.textContent()).toContain(`${first.folder}/${first.fileName}`);
    expect(await card.textContent()).not.toMatch(/Track \d|Unknown artist/);
    for (const genre of first.writtenGenres) expect(await card.textContent()).toContain(genre.written);
    await page.keyboard.press('g');
    const field = page.getByRole('combobox', { name: /Genres for this track/ });
    await field.pressSequentially('hardcore p');
    await page.getByRole('option', { name: 'Hardcore Punk' }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect(await field.inputValue()).toBe('Hardcore Punk');
    await page.keyboard.press('Enter');
    await expect.poll(async () => ((await api('trackDetail', { trackId: first.trackId })) as { decisions: { genres: string[] }[] }).decisions[0]?.genres).toEqual(['Hardcore Punk']);
  });

  it('shows the genre text as written beside the taxonomy\'s name in the Library, and finds it by that text', async () => {
    await open('Library');
    await page.getByText(`${TOTAL} tracks`, { exact: true }).waitFor();
    const search = page.getByRole('searchbox', { name: 'Search the library' });
    await search.fill('punk rock');
    await page.getByText(`1 of ${TOTAL} tracks`).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'gig.mp3' });
    expect(await row.textContent()).toMatch(/Punk Rock\s*→\s*Punk/);
    expect(await row.getByRole('gridcell').first().getAttribute('title')).toBe('Punks/Live/gig.mp3');
  });

  it('sets genres on an out-of-distribution track from its page, and the Library keeps its search, sort and filters across Back', async () => {
    const search = page.getByRole('searchbox', { name: 'Search the library' });
    await search.fill('field');
    await page.getByText(`1 of ${TOTAL} tracks`).waitFor();
    await page.getByRole('button', { name: 'Title' }).click();
    await page.getByRole('combobox', { name: 'Filter by decision' }).selectOption('undecided');
    await page.getByText(`1 of ${TOTAL} tracks`).waitFor();
    await page.getByRole('link', { name: 'whale.ogg' }).click();
    await page.getByRole('heading', { name: /whale\.ogg/ }).waitFor();
    const detail = await api('trackDetail', { trackId: Number(/#\/track\/(\d+)/.exec(page.url())![1]) }) as { status: string };
    expect(detail.status).toBe('out-of-distribution');
    await page.getByRole('button', { name: 'Set genres…' }).click();
    await page.getByRole('combobox', { name: /Genres for this track/ }).pressSequentially('ambi');
    await page.getByRole('option', { name: 'Ambient', exact: true }).click();
    expect(await page.getByRole('combobox', { name: /Genres for this track/ }).inputValue()).toBe('Ambient');
    await page.getByRole('button', { name: 'Save genres' }).click();
    await page.getByRole('status').filter({ hasText: 'Decided: Ambient' }).waitFor();
    await page.getByRole('cell', { name: 'custom' }).waitFor(); // the decisions table
    await page.goBack();
    await page.getByRole('heading', { name: 'Library' }).waitFor();
    expect(await search.inputValue()).toBe('field');
    expect(await page.getByRole('combobox', { name: 'Filter by decision' }).inputValue()).toBe('undecided');
    expect(await page.getByRole('columnheader', { name: /Title/ }).getAttribute('aria-sort')).toBe('ascending');
    await page.getByText('No track matches').waitFor(); // the whale is decided now
    await page.getByRole('combobox', { name: 'Filter by decision' }).selectOption('to-write');
    await page.getByText(`1 of ${TOTAL} tracks`).waitFor();
    expect(await page.getByRole('row').filter({ hasText: 'whale.ogg' }).textContent()).toContain('To write');
    await search.fill('');
    await page.getByText(`2 of ${TOTAL} tracks`).waitFor(); // the Review decision too
  });

  it('comes back to the same scroll position and selection after opening a track', async () => {
    await page.getByRole('combobox', { name: 'Filter by decision' }).selectOption('');
    await page.getByText(`${TOTAL} tracks`, { exact: true }).waitFor();
    const viewport = page.getByRole('rowgroup', { name: 'Tracks' });
    await viewport.evaluate((element) => ((element as unknown as { scrollTop: number }).scrollTop = 400));
    await page.getByRole('link', { name: 'snippet-20.mp3' }).waitFor();
    const scrolled = await viewport.evaluate((element) => (element as unknown as { scrollTop: number }).scrollTop);
    expect(scrolled).toBeGreaterThan(300);
    await page.getByRole('link', { name: 'snippet-20.mp3' }).click();
    await page.getByRole('heading', { name: /snippet-20\.mp3/ }).waitFor();
    await page.goBack();
    await page.getByRole('link', { name: 'snippet-20.mp3' }).waitFor();
    await expect.poll(() => viewport.evaluate((element) => (element as unknown as { scrollTop: number }).scrollTop)).toBe(scrolled);
    expect(await page.getByRole('row', { selected: true }).textContent()).toContain('snippet-20.mp3');
  });

  it('names the files in the apply plan and the dry run, and a dry run writes nothing', async () => {
    await open('Apply');
    const plan = page.getByRole('table', { name: 'Changes to write' });
    await plan.getByText('whale.ogg').waitFor();
    expect(await plan.textContent()).toContain('Field/');
    expect(await plan.textContent()).not.toMatch(/Track \d/);
    await page.getByRole('button', { name: 'Preview (dry run)' }).click();
    const dry = page.getByRole('region', { name: 'Dry run result' });
    await dry.waitFor();
    expect(await dry.textContent()).toContain('whale.ogg');
    for (const file of Object.values(files)) expect(hashFile(file), file).toBe(originals.get(file));
  });
});

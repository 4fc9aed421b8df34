/**
 * End to end, in a German-speaking Chromium against `sonority serve`: the
 * pages hold no surprises — shortcuts in the sidebar's order, a scan page
 * whose counts agree, an Apply page that counts what its dry run found and
 * confirms an undo, numbers and dates in the user's locale, and boxes that
 * stay in their columns and apart.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertReal, tempDir } from './helpers/fixtures.ts';
import { gtzanClip } from './helpers/service.ts';
import { buildRenderer, type ServeProcess } from './helpers/serve.ts';
import { callApi, closeServedApp, hasChromium, openServedApp } from './helpers/browser.ts';

// Browser globals of the page functions below (this file is type-checked as Node code).
interface PageElement { previousElementSibling: PageElement | null; getBoundingClientRect(): { top: number; bottom: number } }

const LOCALE = 'de-DE';

describe.runIf(hasChromium())('the pages, end to end', () => {
  const library = tempDir('sonority-e2e-pages-');
  const db = path.join(tempDir(), 'e2e-pages.db');
  const files = { disputed: path.join(library, 'Orchestra - Adagio.mp3'), untagged: path.join(library, 'Quartet - Blue Note.flac'), broken: path.join(library, 'broken.mp3') };
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  const api = (method: string, params: unknown = {}) => callApi(page, method, params);
  const tile = (region: Locator, name: string) => region.getByText(name, { exact: true }).locator('xpath=../dd');
  const box = async (locator: Locator) => (await locator.boundingBox())!;
  /** The vertical gap between an element and the element before it. */
  const gapAbove = (locator: Locator) => locator.evaluate((element: PageElement) => element.getBoundingClientRect().top - element.previousElementSibling!.getBoundingClientRect().bottom);

  beforeAll(async () => {
    await buildRenderer();
    await convertReal(gtzanClip('classical.00000'), files.disputed, 'mp3', { genre: 'Metal', title: 'Adagio', artist: 'Orchestra' });
    await convertReal(gtzanClip('jazz.00000'), files.untagged, 'flac', { title: 'Blue Note', artist: 'Quartet' });
    fs.writeFileSync(files.broken, 'this is not audio');
    fs.writeFileSync(path.join(library, 'cover.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
    fs.writeFileSync(path.join(library, 'notes.txt'), 'ripped 2024\n');
    ({ serve, browser, page } = await openServedApp(library, db, { viewport: { width: 1400, height: 900 }, locale: LOCALE }));
    page.setDefaultTimeout(15_000);
  }, 180_000);

  afterAll(async () => {
    expect(await closeServedApp(browser, serve)).toBe(0);
  });

  it('goes to the pages with Alt+1…7 in the sidebar’s order', async () => {
    await page.goto(serve.address);
    const links = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
    const labels = await links.allTextContents();
    expect(labels).toEqual(['Library', 'Scan', 'Review', 'Playlists', 'Apply', 'Settings', 'Map']);
    for (const [i, label] of labels.entries()) {
      expect(await links.nth(i).getAttribute('title')).toBe(`Alt+${i + 1}`);
      await page.keyboard.press(`Alt+${i + 1}`);
      await page.getByRole('heading', { level: 1, name: label, exact: true }).waitFor();
    }
  });

  it('scans with counts that agree: found, ignored, failures, and no analysis rate for unchanged files', async () => {
    await page.keyboard.press('Alt+2');
    const progress = page.getByRole('region', { name: 'Scan progress' });
    const failures = page.getByRole('region', { name: 'Failures' });
    for (const scan of ['first', 'unchanged']) {
      await page.getByRole('button', { name: 'Scan', exact: true }).click();
      await expect.poll(async () => (await api('scanState') as { running: boolean; progress: { skipped: number } | null }), { timeout: 120_000, interval: 250 })
        .toMatchObject({ running: false, progress: { skipped: scan === 'first' ? 0 : 2 } });
      await page.getByRole('heading', { name: /^Scan finished/ }).waitFor();
      await expect.poll(() => tile(progress, 'Found').textContent()).toBe('3'); // the walk is over: no "…"
      expect(await progress.getByText(/other files ignored/).textContent()).toMatch(/^2 other files ignored/);
      await expect.poll(() => tile(progress, 'Failed').textContent()).toBe('1');
      expect(await failures.getByRole('heading').textContent()).toBe('Files Sonority could not analyse (1)');
      expect(await failures.getByRole('row').count()).toBe(2); // header and broken.mp3
      if (scan === 'unchanged') {
        expect(await tile(progress, 'Unchanged').textContent()).toBe('2');
        expect(await tile(progress, 'Analysis rate').textContent()).toBe('0,0 files/s');
      }
    }
  });

  it('keeps the descriptor table inside its column, with numbers in the user’s locale', async () => {
    const { rows } = await api('library', { offset: 0, limit: 10 }) as { rows: Array<{ id: number; title: string }> };
    await page.goto(`${serve.address}#/track/${rows.find((row) => row.title === 'Adagio')!.id}`);
    const column = page.getByRole('region', { name: 'Audio descriptors' });
    const table = column.getByRole('table');
    await table.waitFor();
    const [columnBox, tableBox] = [await box(column), await box(table)];
    expect(tableBox.x + tableBox.width).toBeLessThanOrEqual(columnBox.x + columnBox.width + 0.5);
    expect(await table.getByRole('row', { name: /^Tempo/ }).textContent()).toMatch(/\d+,\d BPM/);
  });

  it('leaves a gap above the empty review card and above the taxonomy box', async () => {
    await page.keyboard.press('Alt+3');
    const card = page.getByRole('region', { name: 'Current track' });
    for (const title of ['Adagio', 'Blue Note']) {
      await card.getByRole('heading', { name: title }).waitFor();
      await page.keyboard.press('a');
      await page.getByRole('status').filter({ hasText: `for ${title}` }).waitFor();
    }
    const empty = page.getByRole('region', { name: 'Review queue empty' });
    await empty.waitFor();
    expect(await gapAbove(empty)).toBeGreaterThan(0);
    await page.keyboard.press('Alt+6');
    const taxonomy = page.getByRole('region', { name: 'Genre taxonomy' });
    await taxonomy.waitFor();
    await page.getByRole('region', { name: 'Trusted tags' }).waitFor();
    expect(await gapAbove(taxonomy)).toBeGreaterThan(0);
  });

  it('counts the Apply button from the last dry run, confirms an undo, and then clears the result', async () => {
    await page.keyboard.press('Alt+5');
    await page.getByText('2 files would change.').waitFor();
    await page.getByRole('button', { name: 'Apply 2 changes' }).waitFor();
    fs.rmSync(files.untagged); // after the plan was made: the dry run finds it gone
    await page.getByRole('button', { name: 'Preview (dry run)' }).click();
    await page.getByRole('region', { name: 'Dry run result' }).waitFor();
    await page.getByText('1 of the 2 planned files would change: the dry run found the others already as asked or unable to take genres.').waitFor(); // one count on the page
    await page.getByRole('button', { name: 'Apply 1 change', exact: true }).click();
    await page.getByRole('alertdialog', { name: 'Confirm apply' }).getByRole('button', { name: 'Write 1 file' }).click();
    const written = page.getByRole('region', { name: 'Apply result' });
    await written.waitFor({ timeout: 60_000 });
    const batches = page.getByRole('table', { name: 'Write batches' });
    const [batch] = await api('writeBatches') as Array<{ id: number; createdAt: string }>;
    const when = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(batch!.createdAt));
    await batches.getByRole('cell', { name: when }).waitFor();
    const undo = batches.getByRole('button', { name: `Undo batch ${batch!.id}` });
    const confirm = page.getByRole('alertdialog', { name: 'Confirm undo' });
    await undo.click();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    expect(await confirm.count()).toBe(0);
    expect(await batches.getByRole('cell', { name: 'written', exact: true }).count()).toBe(1); // nothing undone yet
    await undo.click();
    await confirm.getByRole('button', { name: `Undo batch ${batch!.id}` }).click();
    await page.getByText(/Batch undone: 1 file restored/).waitFor({ timeout: 60_000 });
    await written.waitFor({ state: 'detached' });
  });

  it('shows a playlist weight of 0.25 as the user’s locale writes it', async () => {
    await page.keyboard.press('Alt+4');
    const slider = page.getByRole('slider', { name: 'Timbre' });
    await slider.fill('0.25');
    expect(await page.locator('output[for="weight-timbre"]').textContent()).toBe('0,25');
  });
});

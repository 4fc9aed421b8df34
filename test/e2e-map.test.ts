/**
 * End to end: real Chromium (Debian's) drives the Map page of `sonority
 * serve` over eight 8-second cuts of ../shared/data songs and a classical
 * GTZAN clip tagged Metal (disputed), scanned from the interface: the map drawn in several colours, a hover naming the track, a
 * click opening it, a box selection sent to Review (only those tracks) and
 * given one genre for all (decisions, checked through the API). Each point's
 * expected place on screen comes from the API's packed points and the view
 * the page fits them to (the layout's bounds, 90 % of the canvas).
 * Screenshots: test-results/screenshots/map-genre.png and map-mood.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertReal, ffmpeg, REPO_ROOT, SHARED_DATA, tempDir } from './helpers/fixtures.ts';
import { gtzanClip } from './helpers/service.ts';
import { buildRenderer, type ServeProcess } from './helpers/serve.ts';
import { callApi, closeServedApp, hasChromium, openServedApp, scanFromInterface } from './helpers/browser.ts';
import { songName } from './helpers/genre-library.ts';
import { decodeMapPages } from '../src-renderer/src/lib/map-points.ts';
import type { LibraryPage, MapPage, ReviewItem, TrackDetail } from '../src-main/api/contract.ts';

// Browser globals of the page functions below (this file is type-checked as Node code).
declare const document: { querySelector(selector: string): unknown };
interface PageCanvas { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } }

const SCREENSHOTS = process.env.SONORITY_SCREENSHOTS ?? path.join(REPO_ROOT, 'test-results', 'screenshots');
const SONGS: Record<string, string | undefined> = { ambient: 'Ambient', house: 'House', salsa: 'Salsa', bop: 'Bebop', heavy_metal: 'Heavy Metal', soul: undefined, disco: undefined, punk: 'Punk' };

describe.runIf(hasChromium())('the library map in a browser, end to end', () => {
  const library = tempDir('sonority-e2e-map-');
  const db = path.join(tempDir(), 'map.db');
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  const api = <T>(method: string, params: unknown = {}) => callApi<T>(page, method, params);
  const canvas = () => page.locator('canvas[aria-label^="Library map"]');

  /** Every map point with its place on screen (page coordinates), as the page fits the layout into its canvas. */
  async function screenPoints() {
    const mapPage = await api<MapPage>('mapPoints', { offset: 0, limit: 50_000 });
    const points = decodeMapPages([mapPage]);
    const box = (await canvas().boundingBox())!;
    const xs = [...points.x], ys = [...points.y];
    const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const scale = 0.9 * Math.min(box.width / Math.max(maxX - minX, 1e-6), box.height / Math.max(maxY - minY, 1e-6));
    return xs.map((x, i) => ({
      trackId: points.trackId[i]!,
      x: box.x + box.width / 2 + (x - (minX + maxX) / 2) * scale,
      y: box.y + box.height / 2 + (ys[i]! - (minY + maxY) / 2) * scale,
    }));
  }

  /** Shift+drags a box over the left part of the map, up to `right` (page x). */
  async function selectBox(right: number) {
    const box = (await canvas().boundingBox())!;
    await page.keyboard.down('Shift');
    await page.mouse.move(box.x + 3, box.y + 3);
    await page.mouse.down();
    await page.mouse.move((box.x + right) / 2, box.y + box.height / 2, { steps: 4 });
    await page.mouse.move(right, box.y + box.height - 3, { steps: 4 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
  }

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await buildRenderer();
    await Promise.all(Object.entries(SONGS).map(([song, genre]) => {
      const tags = { title: songName(song), artist: `${songName(song)} Band`, ...(genre ? { genre } : {}) };
      return ffmpeg(['-i', path.join(SHARED_DATA, 'songs', `${song}.mp3`), '-t', '8', '-map', '0:a:0', '-c', 'copy', ...Object.entries(tags).flatMap(([key, value]) => ['-metadata', `${key}=${value}`]), path.join(library, `${song}.mp3`)]);
    }));
    await convertReal(gtzanClip('classical.00000'), path.join(library, 'Orchestra - Adagio.mp3'), 'mp3', { genre: 'Metal', title: 'Adagio', artist: 'Orchestra' });
    for (const file of fs.readdirSync(library)) fs.chmodSync(path.join(library, file), 0o644);
    ({ serve, browser, page } = await openServedApp(library, db));
  }, 180_000);

  afterAll(async () => {
    expect(await closeServedApp(browser, serve)).toBe(0);
  });

  it('lays the scanned library out and draws it in several genre colours', async () => {
    await scanFromInterface(page, serve.address);
    await page.keyboard.press('Alt+7');
    await page.getByRole('heading', { name: 'Map' }).waitFor();
    // the map is laid out after the scan, in a worker; its map-changed event makes the open page load it
    await canvas().waitFor({ timeout: 150_000 });
    await expect.poll(() => page.getByLabel('Layout').textContent()).toContain(`${Object.keys(SONGS).length + 1} tracks`);
    await page.waitForTimeout(300); // one animation frame and a little
    const colours = await page.evaluate(() => {
      const element = document.querySelector('canvas[aria-label^="Library map"]') as unknown as PageCanvas;
      const { data } = element.getContext('2d').getImageData(0, 0, element.width, element.height);
      const counts = new Map<string, number>();
      for (let i = 0; i < data.length; i += 4) {
        const key = `${data[i]},${data[i + 1]},${data[i + 2]}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return [...counts.entries()].sort((a, b) => b[1] - a[1]);
    });
    const [, ...drawn] = colours; // the most common colour is the background
    expect(drawn.filter(([, pixels]) => pixels >= 20).length).toBeGreaterThanOrEqual(4); // discs in at least four colours (genres, and grey for the untagged)
    const legend = await page.getByRole('list', { name: 'Legend' }).textContent();
    expect(legend).toContain('No genre tag');
    expect(legend).toMatch(/Disputed \(tag and model disagree\)\s*[1-9]/); // the classical clip tagged Metal, drawn with a ring
    await page.screenshot({ path: path.join(SCREENSHOTS, 'map-genre.png') });
  });

  it('names the track under the pointer and opens it on a click', async () => {
    const points = await screenPoints();
    const apart = (p: { x: number; y: number }) => Math.min(...points.filter((q) => q !== p).map((q) => Math.hypot(q.x - p.x, q.y - p.y)));
    const first = points.reduce((best, p) => (apart(p) > apart(best) ? p : best)); // the point farthest from any other: the one under the pointer
    const track = await api<TrackDetail>('trackDetail', { trackId: first.trackId });
    await page.mouse.move(first.x, first.y);
    await expect.poll(() => page.getByRole('tooltip').textContent()).toContain(track.title!);
    expect(await page.getByRole('tooltip').textContent()).toContain(track.artist!);
    await page.mouse.click(first.x, first.y);
    await page.waitForURL(new RegExp(`#/track/${first.trackId}$`));
    await page.keyboard.press('Alt+7');
    await canvas().waitFor();
  });

  it('pans and zooms with the pointer and the keyboard, and 0 resets the view', async () => {
    const pixels = () => page.evaluate(() => {
      const element = document.querySelector('canvas[aria-label^="Library map"]') as unknown as PageCanvas;
      return Array.from(element.getContext('2d').getImageData(0, 0, element.width, element.height).data).join();
    });
    const box = (await canvas().boundingBox())!;
    const fitted = await pixels();
    const changed = async (act: () => Promise<void>) => {
      await act();
      await expect.poll(pixels).not.toBe(fitted);
      await canvas().press('0');
      await expect.poll(pixels).toBe(fitted);
    };
    await canvas().focus();
    for (const key of ['+', '-', 'ArrowLeft', 'ArrowDown']) await changed(() => canvas().press(key));
    await changed(async () => {
      await page.mouse.move(box.x + box.width / 3, box.y + box.height / 3);
      await page.mouse.wheel(0, -300);
    });
    await changed(async () => {
      await page.mouse.move(box.x + 5, box.y + 5);
      await page.mouse.down();
      await page.mouse.move(box.x + 80, box.y + 60, { steps: 5 });
      await page.mouse.up();
    });
  });

  it('selects the points inside a lasso (alt+drag)', async () => {
    const points = await screenPoints();
    const apart = (p: { x: number; y: number }) => Math.min(...points.filter((q) => q !== p).map((q) => Math.hypot(q.x - p.x, q.y - p.y)));
    const lone = points.reduce((best, p) => (apart(p) > apart(best) ? p : best));
    const radius = Math.min(20, apart(lone) / 2);
    await page.keyboard.down('Alt');
    await page.mouse.move(lone.x + radius, lone.y);
    await page.mouse.down();
    for (let step = 1; step <= 12; step++) await page.mouse.move(lone.x + radius * Math.cos((step * Math.PI) / 6), lone.y + radius * Math.sin((step * Math.PI) / 6));
    await page.mouse.up();
    await page.keyboard.up('Alt');
    await page.getByText('1 track selected').waitFor();
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => page.getByText(/tracks? selected/).count()).toBe(0);
  });

  it('sends a box selection to Review, which shows only those tracks', async () => {
    const queue = await api<ReviewItem[]>('reviewQueue');
    expect(queue.length).toBeGreaterThan(1); // the two untagged songs at least
    const points = (await screenPoints()).sort((a, b) => a.x - b.x);
    const k = points.findIndex((p) => queue.some((item) => item.trackId === p.trackId));
    const right = k + 1 < points.length ? (points[k]!.x + points[k + 1]!.x) / 2 : points[k]!.x + 10; // up to the leftmost queued track
    const chosen = new Set(points.slice(0, k + 1).map((p) => p.trackId));
    await selectBox(right);
    await page.getByText(`${chosen.size} track${chosen.size === 1 ? '' : 's'} selected`).waitFor();
    await page.getByRole('button', { name: 'Review these' }).click();
    await page.waitForURL(/#\/review$/);
    await page.getByText(`Showing 1 of the ${chosen.size} tracks selected on the map`).waitFor();
    const names = await page.getByRole('navigation', { name: 'Review queue' }).locator('.name').allTextContents();
    expect(names).toEqual([queue.find((item) => item.trackId === points[k]!.trackId)!.title]);
    await page.getByRole('button', { name: 'Show all' }).click();
    await expect.poll(() => page.getByRole('navigation', { name: 'Review queue' }).locator('.name').count()).toBe(queue.length);
  });

  it('records one genre for every selected track, to be written by Apply', async () => {
    await page.keyboard.press('Alt+7');
    await canvas().waitFor();
    const points = (await screenPoints()).sort((a, b) => a.x - b.x);
    const right = (points[2]!.x + points[3]!.x) / 2; // the three leftmost points
    const chosen = points.filter((p) => p.x < right).map((p) => p.trackId);
    await selectBox(right);
    await page.getByText(`${chosen.length} tracks selected`).waitFor();
    await page.getByRole('button', { name: 'Set genre for all…' }).click();
    await page.getByRole('combobox', { name: /^Genres for all/ }).fill('Jazz');
    await page.getByRole('button', { name: `Set Jazz for ${chosen.length} tracks` }).waitFor();
    await page.getByRole('combobox', { name: /^Genres for all/ }).press('Enter'); // Enter with no completion chosen submits what was typed, as the button does
    await page.getByText(`Recorded Jazz for ${chosen.length} tracks. Apply writes them into the files.`).waitFor();
    const toWrite = await api<LibraryPage>('library', { offset: 0, limit: 100, decision: 'to-write' });
    expect(toWrite.rows.map((row) => row.id).sort((a, b) => a - b)).toEqual([...chosen].sort((a, b) => a - b));
  });

  it('saves a selection as a playlist and opens it on the Playlists page', async () => {
    await page.getByRole('button', { name: 'Make a playlist' }).click(); // the three tracks still selected
    await page.waitForURL(/#\/playlists$/);
    await page.getByRole('heading', { name: /^Map selection of 3 tracks/ }).waitFor();
    expect(await page.getByRole('table', { name: 'Playlist tracks' }).locator('tbody tr').count()).toBe(3);
    const saved = await api<{ name: string; tracks: number }[]>('playlists');
    expect(saved).toContainEqual(expect.objectContaining({ name: 'Map selection of 3 tracks', tracks: 3 }));
    await page.keyboard.press('Alt+7');
    await canvas().waitFor();
  });

  it('colours the map by mood', async () => {
    await page.getByLabel('Colour by').selectOption('mood');
    await expect.poll(() => page.getByRole('list', { name: 'Legend' }).textContent()).toMatch(/Happy|Relaxed|Aggressive|Neutral/);
    expect(await page.getByRole('list', { name: 'Legend' }).textContent()).not.toContain('No genre tag');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'map-mood.png') });
  });
});

/**
 * How the library table holds up at 100,000 tracks (`npm run bench:scroll`).
 * Fills a database with synthetic rows (1,000 as the baseline, then 100,000),
 * serves the real interface with `serve`'s server and drives Debian's
 * Chromium: a continuous scroll through the table (frame times, frames that
 * showed rows still loading) and random jumps (time until the rows shown are
 * filled), plus the API's own times. Reports each figure and the ratio
 * 100k / 1k measured in this same run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { openDatabase } from '../src-main/core/db/open-database.ts';
import { loadTensorFlow } from '../src-main/core/model/tf-runtime.ts';
import { loadGenreModel } from '../src-main/core/model/genre-model.ts';
import { createHandlers } from '../src-main/api/service.ts';
import { createEventStream } from '../src-main/server/event-stream.ts';
import { startApiServer } from '../src-main/server/http-server.ts';
import { newToken } from '../src-main/server/auth.ts';
import { RENDERER_DIR } from '../src-main/api/renderer-files.ts';
import { fillSyntheticLibrary } from './synthetic-library.ts';
import { launchChromium } from '../test/helpers/browser.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const SIZES = [1_000, 100_000];
const SCROLL_MS = 4_000;
const SCROLL_PX_PER_FRAME = 160;
const JUMPS = 30;

const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))] ?? NaN;
const time = async <T>(work: () => Promise<T> | T): Promise<[T, number]> => {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
};

// Browser globals of the page function below (this file is type-checked as Node code).
declare const document: { querySelector<T>(selector: string): T | null };
declare const requestAnimationFrame: (callback: (now: number) => void) => void;
interface PageElement { scrollTop: number; scrollHeight: number; querySelectorAll(selector: string): { length: number } }

/** Runs in the page: scrolls the table continuously, then jumps; returns raw timings. */
async function scrollInPage(options: { scrollMs: number; step: number; jumps: number }) {
  const viewport = document.querySelector<PageElement>('[role=rowgroup][aria-label="Tracks"]')!;
  const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
  const loading = () => viewport.querySelectorAll('.placeholder').length;
  const frames: number[] = [];
  let framesLoading = 0;
  let last = await frame();
  const end = last + options.scrollMs;
  while (last < end) {
    viewport.scrollTop += options.step;
    const now = await frame();
    frames.push(now - last);
    if (loading() > 0) framesLoading++;
    last = now;
  }
  const fills: number[] = [];
  for (let i = 0; i < options.jumps; i++) {
    viewport.scrollTop = Math.floor(((i * 7919) % options.jumps) / options.jumps * viewport.scrollHeight);
    const start = performance.now();
    await frame();
    while (loading() > 0) await frame();
    fills.push(performance.now() - start);
  }
  return { frames, framesLoading, fills, rowsInDom: viewport.querySelectorAll('[role=row]').length };
}

async function measure(size: number, model: Awaited<ReturnType<typeof loadGenreModel>>, browser: Awaited<ReturnType<typeof launchChromium>>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sonority-scroll-'));
  const db = openDatabase(path.join(dir, 'library.db'));
  fillSyntheticLibrary(db, size, model.metadata);
  const events = createEventStream();
  const context = { mode: 'serve' as const, db, databasePath: path.join(dir, 'library.db'), model, backend: 'bench', scanFolders: new Set<string>(), pickFolder: null, pickSaveFile: null, emit: events.emit, taxonomyPath: path.join(dir, 'taxonomy.json') };
  const handlers = createHandlers(context);
  const [, firstPageMs] = await time(() => handlers.library({ offset: 0, limit: 200 }));
  const [, nextPageMs] = await time(() => handlers.library({ offset: Math.floor(size / 2), limit: 200 }));
  const [, sortMs] = await time(() => handlers.library({ offset: 0, limit: 200, sort: 'artist' }));
  const [, searchMs] = await time(() => handlers.library({ offset: 0, limit: 200, search: 'song 99' }));
  const token = newToken();
  const { server, port } = await startApiServer({ handlers, events, staticDir: RENDERER_DIR, audio: { db }, token });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`http://127.0.0.1:${port}/?token=${token}#/library`);
  await page.getByText(`${size.toLocaleString('en-US')} tracks`).waitFor();
  const heapBefore = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
  const run = await page.evaluate(scrollInPage, { scrollMs: SCROLL_MS, step: SCROLL_PX_PER_FRAME, jumps: JUMPS });
  const heapAfter = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
  await page.close();
  events.close();
  server.closeAllConnections();
  server.close();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    size,
    api: { firstPageMs, nextPageMs, sortMs, searchMs },
    frames: run.frames.length, frameP50Ms: quantile(run.frames, 0.5), frameP95Ms: quantile(run.frames, 0.95), frameMaxMs: Math.max(...run.frames),
    framesShowingLoadingRows: run.framesLoading / run.frames.length,
    jumpFillP50Ms: quantile(run.fills, 0.5), jumpFillP95Ms: quantile(run.fills, 0.95),
    rowsInDom: run.rowsInDom, pageHeapMb: heapAfter / 2 ** 20, heapGrowthMb: (heapAfter - heapBefore) / 2 ** 20,
  };
}

await build({ configFile: path.join(REPO, 'vite.config.ts'), logLevel: 'warn' });
const model = await loadGenreModel(await loadTensorFlow({ SONORITY_TF_BACKEND: 'wasm' }));
const browser = await launchChromium();
const results = [];
for (const size of SIZES) results.push(await measure(size, model, browser));
await browser.close();
model.dispose();

const [base, big] = results as [(typeof results)[0], (typeof results)[0]];
const fmt = (n: number) => n.toFixed(n < 10 ? 2 : 1);
const rows: [string, (r: typeof base) => number][] = [
  ['API: first page (builds the index), ms', (r) => r.api.firstPageMs],
  ['API: a page from the middle, ms', (r) => r.api.nextPageMs],
  ['API: sort by artist, ms', (r) => r.api.sortMs],
  ['API: search, ms', (r) => r.api.searchMs],
  ['scroll: frame time p50, ms', (r) => r.frameP50Ms],
  ['scroll: frame time p95, ms', (r) => r.frameP95Ms],
  ['scroll: longest frame, ms', (r) => r.frameMaxMs],
  ['scroll: frames showing loading rows, %', (r) => 100 * r.framesShowingLoadingRows],
  ['jump: rows filled after, p50 ms', (r) => r.jumpFillP50Ms],
  ['jump: rows filled after, p95 ms', (r) => r.jumpFillP95Ms],
  ['rows in the DOM', (r) => r.rowsInDom],
  ['page JS heap, MB', (r) => r.pageHeapMb],
];
console.log(`Library table, ${SCROLL_MS / 1000} s scroll at ${SCROLL_PX_PER_FRAME} px/frame, ${JUMPS} jumps (headless Chromium, ${os.cpus().length} cores)\n`);
console.log(`| measure | ${base.size.toLocaleString('en-US')} tracks | ${big.size.toLocaleString('en-US')} tracks | ratio |\n| --- | --- | --- | --- |`);
const ratio = (a: number, b: number) => (b === 0 ? '—' : `${fmt(a / b)}×`);
for (const [name, pick] of rows) console.log(`| ${name} | ${fmt(pick(base))} | ${fmt(pick(big))} | ${ratio(pick(big), pick(base))} |`);

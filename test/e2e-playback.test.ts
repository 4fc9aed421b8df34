/**
 * Playback end to end in real Chromium against `sonority serve`: a library of
 * a real MP3 and a real AIFF, scanned through the interface; the Track page's
 * player fetches the MP3 by byte ranges (206) and plays it, the cursor moves
 * over the spectrogram, a click on the spectrogram seeks; the AIFF plays
 * converted (seeks within it while it streams, and says it cannot once played through); space plays and pauses in Review; a file
 * that is gone says so.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertReal, REPO_ROOT, tempDir } from './helpers/fixtures.ts';
import { gtzanClip } from './helpers/service.ts';
import { buildRenderer, type ServeProcess } from './helpers/serve.ts';
import { closeServedApp, hasChromium, openServedApp, scanFromInterface } from './helpers/browser.ts';

// Browser globals of the page functions below (this file is type-checked as Node code).
interface PageAudio { currentTime: number; paused: boolean; playbackRate: number }

const SCREENSHOTS = process.env.SONORITY_SCREENSHOTS ?? path.join(REPO_ROOT, 'test-results', 'screenshots');

describe.runIf(hasChromium())('playback in a browser', () => {
  const library = tempDir('sonority-e2e-play-');
  const db = path.join(tempDir(), 'e2e-play.db');
  const files = { mp3: path.join(library, 'Orchestra - Adagio.mp3'), aiff: path.join(library, 'Quartet - Blue Note.aiff') };
  const ids = { mp3: 0, aiff: 0 };
  const audioRequests: { url: string; range: string | undefined }[] = [];
  const audioResponses: { url: string; status: number; type: string | undefined }[] = [];
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  const audioPath = (id: number) => `/api/audio/${id}`;
  const audioOf = (scope: Page | Locator) => scope.locator('audio');
  const state = (audio: Locator) => audio.evaluate((element) => ({ currentTime: (element as unknown as PageAudio).currentTime, paused: (element as unknown as PageAudio).paused }));

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await buildRenderer();
    await convertReal(gtzanClip('classical.00000'), files.mp3, 'mp3', { genre: 'Metal', title: 'Adagio', artist: 'Orchestra' });
    await convertReal(gtzanClip('jazz.00000'), files.aiff, 'aiff', { title: 'Blue Note', artist: 'Quartet' });
    ({ serve, browser, page } = await openServedApp(library, db, { viewport: { width: 1280, height: 900 } }));
    page.on('request', (request) => {
      if (request.url().includes('/api/audio/')) audioRequests.push({ url: new URL(request.url()).pathname, range: request.headers().range });
    });
    page.on('response', (response) => {
      if (response.url().includes('/api/audio/')) audioResponses.push({ url: new URL(response.url()).pathname, status: response.status(), type: response.headers()['content-type'] });
    });
  }, 180_000);

  afterAll(async () => {
    expect(await closeServedApp(browser, serve)).toBe(0);
  });

  it('scans the two clips through the interface', async () => {
    await scanFromInterface(page, serve.address);
    const rows = await page.evaluate(async () => ((await (await fetch('api/library', { method: 'POST', body: JSON.stringify({ offset: 0, limit: 10 }) })).json()) as { value: { rows: { id: number; title: string }[] } }).value.rows);
    ids.mp3 = rows.find((row) => row.title === 'Adagio')!.id;
    ids.aiff = rows.find((row) => row.title === 'Blue Note')!.id;
    expect(ids.mp3).toBeGreaterThan(0);
    expect(ids.aiff).toBeGreaterThan(0);
  }, 180_000);

  it('plays the MP3 on its Track page by range requests answered 206, with the cursor over the spectrogram', async () => {
    await page.goto(`${serve.origin}/#/track/${ids.mp3}`);
    await page.getByRole('heading', { name: 'Adagio' }).waitFor();
    await page.locator('figure.spectrogram canvas').waitFor({ timeout: 60_000 });
    expect(audioRequests).toEqual([]); // nothing is fetched before Play
    const player = page.getByRole('group', { name: 'Player' });
    await player.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => state(audioOf(player)).then((s) => s.currentTime), { timeout: 20_000 }).toBeGreaterThan(1);
    expect(audioRequests.find((request) => request.url === audioPath(ids.mp3))?.range).toMatch(/^bytes=\d+-\d*$/);
    expect(audioResponses.filter((response) => response.url === audioPath(ids.mp3)).map((response) => response.status)).toContain(206);
    expect(audioResponses.find((response) => response.url === audioPath(ids.mp3))?.type).toBe('audio/mpeg');
    await player.getByRole('button', { name: 'Pause' }).waitFor();
    const cursor = page.locator('figure.spectrogram .cursor');
    const left = () => cursor.evaluate((element) => parseFloat((element as unknown as { style: { left: string } }).style.left));
    await expect.poll(left).toBeGreaterThan(3); // > 1 s of 30 s
    expect(await player.getByLabel('Time').textContent()).toMatch(/^0:0[1-9] \/ 0:30$/);
    expect(await player.getByRole('status').count()).toBe(0); // served by ranges: seeks anywhere, nothing to say
    await page.getByTestId('timeline-cursor').first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'track-player.png') });
  });

  it('seeks where the spectrogram is clicked and pauses', async () => {
    const canvas = page.locator('figure.spectrogram canvas');
    const box = (await canvas.boundingBox())!;
    await canvas.click({ position: { x: box.width * 0.75, y: box.height / 2 } });
    const player = page.getByRole('group', { name: 'Player' });
    await expect.poll(() => state(audioOf(player)).then((s) => s.currentTime), { timeout: 10_000 }).toBeGreaterThan(21);
    expect((await state(audioOf(player))).currentTime).toBeLessThan(26);
    await player.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => state(audioOf(player)).then((s) => s.paused)).toBe(true);
  });

  it('plays the AIFF, which Chromium cannot, converted on the fly', async () => {
    await page.goto(`${serve.origin}/#/track/${ids.aiff}`);
    await page.getByRole('heading', { name: 'Blue Note' }).waitFor();
    await page.locator('figure.spectrogram canvas').waitFor({ timeout: 60_000 });
    const player = page.getByRole('group', { name: 'Player' });
    await player.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => state(audioOf(player)).then((s) => s.currentTime), { timeout: 20_000 }).toBeGreaterThan(1);
    const answers = audioResponses.filter((response) => response.url === audioPath(ids.aiff));
    expect(answers.map((answer) => [answer.status, answer.type])).toContainEqual([200, 'audio/ogg; codecs=opus']);
    expect(await player.getByLabel('Time').textContent()).toMatch(/ \/ 0:30$/); // the stream's own duration is unknown: the analysed one stands in
    const canvas = page.locator('figure.spectrogram canvas');
    const box = (await canvas.boundingBox())!;
    await canvas.click({ position: { x: box.width * 0.75, y: box.height / 2 } }); // within what Chromium has buffered of the stream
    await expect.poll(() => state(audioOf(player)).then((s) => s.currentTime), { timeout: 10_000 }).toBeGreaterThan(21);
    const status = player.getByRole('status');
    expect(await status.textContent()).toBe('Converted for playback: seeking within what has loaded, and ahead only as the conversion gets there.');
    // Played to its end, a stream without ranges cannot seek in Chromium (seekable shrinks to nothing): the player says so and stops offering it.
    await audioOf(player).evaluate((element) => void ((element as unknown as PageAudio).playbackRate = 8));
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toBe('Converted for playback: no seeking once it has played to the end; Play starts it again.');
    expect(await player.getByLabel('Position').isDisabled()).toBe(true);
    await expect.poll(() => state(audioOf(player)).then((s) => s.paused), { timeout: 10_000 }).toBe(true); // at its end
    const ended = (await state(audioOf(player))).currentTime;
    await canvas.click({ position: { x: box.width * 0.25, y: box.height / 2 } });
    await page.waitForTimeout(300);
    expect((await state(audioOf(player))).currentTime).toBeCloseTo(ended, 1); // not back to the start
  });

  it('plays and pauses the current track with the space key in Review', async () => {
    await page.keyboard.press('Alt+3');
    const card = page.getByRole('region', { name: 'Current track' });
    await card.getByRole('group', { name: 'Player' }).waitFor();
    await page.getByRole('region', { name: 'Keyboard shortcuts' }).getByText('play or pause the track').waitFor();
    const audio = audioOf(card);
    expect((await state(audio)).paused).toBe(true);
    await page.keyboard.press('Space');
    await expect.poll(() => state(audio).then((s) => s.currentTime), { timeout: 20_000 }).toBeGreaterThan(0.5);
    expect((await state(audio)).paused).toBe(false);
    await page.keyboard.press('Space');
    await expect.poll(() => state(audio).then((s) => s.paused)).toBe(true);
    const stoppedAt = (await state(audio)).currentTime;
    await page.waitForTimeout(600);
    expect((await state(audio)).currentTime).toBe(stoppedAt);
  });

  it('says why a track whose file is gone is not playable', async () => {
    fs.rmSync(files.aiff);
    await page.goto(`${serve.origin}/#/track/${ids.aiff}`);
    await page.getByRole('heading', { name: 'Blue Note' }).waitFor();
    const player = page.getByRole('group', { name: 'Player' });
    await player.getByRole('button', { name: 'Play' }).click();
    const alert = player.getByRole('alert');
    await expect.poll(() => alert.textContent(), { timeout: 10_000 }).toBe(`Not playable: the file of track ${ids.aiff} is gone (moved or deleted since the last scan); scan its folder again`);
    expect(await player.getByRole('button', { name: 'Play' }).isDisabled()).toBe(true);
  });
});

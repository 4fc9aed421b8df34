/**
 * End to end: real Chromium (Debian's) drives the Playlists page and library
 * learning in the interface served by `sonority serve`, over the 24 songs of
 * ../shared/data (8-second cuts, 13 of them tagged with a subgenre of
 * Electronic, Latin or Jazz by two or three artists each) scanned by the CLI:
 * similar tracks from a searched seed, save and reopen, export as a download,
 * a path between two tracks; learning from the tags on the Review page; trust
 * from a track's page; the danceability filter. Screenshots go to test-results/screenshots/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpeg, REPO_ROOT, runCli, SHARED_DATA, tempDir } from './helpers/fixtures.ts';
import { buildRenderer, startServe, type ServeProcess } from './helpers/serve.ts';
import { hasChromium, launchChromium } from './helpers/browser.ts';
import { songName } from './helpers/genre-library.ts';
import { openDatabase } from '../src-main/core/db/open-database.ts';
import { createMusicnnStore } from '../src-main/core/db/musicnn-store.ts';
import { currentMusicnnVersion } from '../src-main/core/musicnn/model-metadata.ts';

const SCREENSHOTS = process.env.SONORITY_SCREENSHOTS ?? path.join(REPO_ROOT, 'test-results', 'screenshots');

/** Song (file name under songs/) → its artist and, for the tagged ones, its genre tag. */
const SONGS: Record<string, { artist: string; genre?: string }> = {
  ambient: { artist: 'Neon Drift', genre: 'Ambient' },
  electro: { artist: 'Neon Drift', genre: 'Electro' },
  trance: { artist: 'Neon Drift', genre: 'Trance' },
  house: { artist: 'Pulse Unit', genre: 'House' },
  techno: { artist: 'Pulse Unit', genre: 'Techno' },
  salsa: { artist: 'Los Soneros', genre: 'Salsa' },
  cumbia: { artist: 'Los Soneros', genre: 'Cumbia' },
  samba: { artist: 'Rio Trio', genre: 'Samba' },
  bolero: { artist: 'Rio Trio', genre: 'Bolero' },
  bossa_nova: { artist: 'Rio Trio', genre: 'Bossa Nova' },
  bop: { artist: 'Blue Quartet', genre: 'Bebop' },
  swing: { artist: 'Blue Quartet', genre: 'Swing' },
  contemporary_jazz: { artist: 'Night Trio', genre: 'Contemporary Jazz' },
  afrobeat: { artist: 'Lagos Band' },
  disco: { artist: 'Mirrorball' },
  doo_wop: { artist: 'The Corners' },
  dub: { artist: 'Echo Yard' },
  europop: { artist: 'Stella' },
  funk: { artist: 'Groove Co' },
  gospel: { artist: 'Choir' },
  heavy_metal: { artist: 'Iron Gate' },
  indie_rock: { artist: 'Paper Kites' },
  punk: { artist: 'The Spikes' },
  soul: { artist: 'Velvet' },
};

/** The first 8 seconds of each song (copied, not re-encoded), tagged; then a CLI scan. */
async function scannedSongs(library: string, db: string): Promise<void> {
  await Promise.all(Object.entries(SONGS).map(([song, { artist, genre }]) => {
    const tags = { title: songName(song), artist, ...(genre ? { genre } : {}) };
    return ffmpeg(['-i', path.join(SHARED_DATA, 'songs', `${song}.mp3`), '-t', '8', '-map', '0:a:0', '-c', 'copy', ...Object.entries(tags).flatMap(([key, value]) => ['-metadata', `${key}=${value}`]), path.join(library, `${song}.mp3`)]);
  }));
  const scan = await runCli(['scan', library, '--db', db]);
  expect(scan.code, scan.stderr).toBe(0);
}

describe.runIf(hasChromium())('playlists and library learning in a browser, end to end', () => {
  const library = tempDir('sonority-e2e-songs-');
  const db = path.join(tempDir(), 'e2e-playlists.db');
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  async function shot(name: string): Promise<void> {
    await page.getByRole('heading', { level: 1 }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  }
  const playlistRows = () => page.getByRole('table', { name: 'Playlist tracks' }).locator('tbody tr');
  const playlistTitles = () => playlistRows().locator('td.title').allTextContents();
  const api = (method: string, params: unknown = {}) => page.evaluate(async ([m, p]) => ((await (await fetch(`api/${m}`, { method: 'POST', body: JSON.stringify(p) })).json()) as { value: unknown }).value, [method, params] as const);

  async function pick(field: string, search: string, button: string): Promise<void> {
    await page.getByRole('searchbox', { name: field }).fill(search);
    await page.getByRole('button', { name: button }).click();
  }

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await Promise.all([buildRenderer(), scannedSongs(library, db)]);
    serve = await startServe(library, db);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    expect(await serve?.stop()).toBe(0);
  });

  it('builds 10 tracks like a seed found by searching', async () => {
    await page.goto(serve.address);
    await page.keyboard.press('Alt+6');
    await page.getByRole('heading', { name: 'Playlists', exact: true }).waitFor();
    await pick('Find seed tracks', 'bossa', 'Add seed: Bossa Nova');
    await page.getByRole('list', { name: 'Seed tracks', exact: true }).getByText('Bossa Nova').waitFor();
    await page.getByRole('spinbutton', { name: 'Tracks' }).fill('10');
    await page.getByRole('button', { name: 'Build playlist' }).click();
    await expect.poll(() => playlistRows().count()).toBe(10);
    const titles = await playlistTitles();
    expect(titles).not.toContain('Bossa Nova');
    expect(new Set(titles).size).toBe(10);
    await shot('playlists');
  });

  it('saves the playlist, and opens it again after a reload', async () => {
    const built = await playlistTitles();
    await page.getByRole('textbox', { name: 'Name' }).fill('Test mix');
    await page.getByRole('button', { name: 'Save playlist' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved “Test mix”.' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Open Test mix' }).click();
    await expect.poll(playlistTitles).toEqual(built);
    await page.getByRole('list', { name: 'Seed tracks', exact: true }).getByText('Bossa Nova').waitFor();
  });

  it('exports it with relative paths as an M3U8 download', async () => {
    await page.getByRole('radio', { name: 'relative to the library folder' }).check();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export M3U8' }).click()]);
    expect(download.suggestedFilename()).toBe('Test mix.m3u8');
    const text = fs.readFileSync(await download.path(), 'utf8');
    expect(text.startsWith('#EXTM3U')).toBe(true);
    const entries = text.split(/\r?\n/).filter((line) => line.trim() && !line.startsWith('#'));
    expect(entries).toHaveLength(10);
    for (const entry of entries) {
      expect(path.isAbsolute(entry), entry).toBe(false);
      expect(fs.existsSync(path.join(library, entry)), entry).toBe(true);
    }
  });

  it('builds a smooth path from one track to another', async () => {
    await page.getByRole('button', { name: 'Remove seed Bossa Nova' }).click();
    await pick('Find seed tracks', 'ambient', 'Add seed: Ambient');
    await pick('Find the destination', 'heavy', 'Go to: Heavy Metal');
    await page.getByRole('spinbutton', { name: 'Tracks' }).fill('6');
    await page.getByRole('button', { name: 'Build path' }).click();
    await page.getByText(/^Mean step [\d.]+ \(shuffled [\d.]+\), max step [\d.]+/).waitFor();
    const titles = await playlistTitles();
    expect(titles).toHaveLength(6);
    expect([titles[0], titles[5]]).toEqual(['Ambient', 'Heavy Metal']);
    await page.getByRole('img', { name: /^Step distances along the path/ }).waitFor();
    await shot('playlists-path');
  });

  it('learns the library\'s genres from the Review page and offers their suggestion on l', async () => {
    await page.keyboard.press('Alt+3');
    await page.getByRole('button', { name: 'Learn from my tags' }).click();
    await page.getByRole('progressbar', { name: 'Learning progress' }).waitFor();
    await page.getByRole('status').filter({ hasText: /^Learning from your tags in the background… step \d+ of \d+ · about \d+m? ?\d*s left/ }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).waitFor();
    await shot('learning-progress');
    const learned = page.getByRole('list', { name: 'Genres learned' });
    await learned.waitFor({ timeout: 60_000 });
    await page.getByText(/a CRNN: a recurrent network over MusiCNN's patch embeddings \(msd-musicnn-1\)/).waitFor();
    expect(await learned.getByRole('listitem').allTextContents()).toEqual([expect.stringMatching(/^Electronic\s+5$/), expect.stringMatching(/^Latin\s+5$/)]);
    await page.getByText(/Learned under a broader genre: Electronic ← Ambient, Electro, House, Techno, Trance · Latin ← /).waitFor();
    await page.getByText(/Too few tracks or artists to learn: .*Bebop/).waitFor();
    await page.getByRole('navigation', { name: 'Review queue' }).getByRole('button').first().click();
    const card = page.getByRole('region', { name: 'Current track' });
    await card.getByRole('group', { name: "Your library's opinion" }).waitFor();
    await card.getByRole('group', { name: "Your library's opinion" }).getByText(/^Learned (Electronic|Latin) from 5 tracks · (Electronic|Latin) from 5 tracks\.$/).waitFor();
    await shot('review-library');
    const shown = await card.getByRole('heading', { level: 2 }).textContent();
    const queue = await api('reviewQueue') as Array<{ title: string; library: { suggestions: { genre: string }[] } | null }>;
    const suggestion = queue.find((item) => item.title === shown)!.library!.suggestions[0]!.genre;
    await page.keyboard.press('l');
    await page.getByRole('status').filter({ hasText: `Set ${suggestion} for ${shown}.` }).waitFor();
  });

  it('sets a track\'s trust on its page, lists and removes rules in Settings, and starts a playlist from the track', async () => {
    await page.goto(`${serve.origin}/#/track/1`);
    const trust = page.getByRole('group', { name: "Trust this track's genre tag" });
    await trust.getByRole('radio', { name: 'No' }).check();
    await trust.getByText('Saved; it counts from the next training.').waitFor();
    const { title } = await api('trackDetail', { trackId: 1 }) as { title: string };
    await page.getByRole('button', { name: 'Make playlist from this track' }).click();
    await page.getByRole('list', { name: 'Seed tracks', exact: true }).getByText(title).waitFor();
    await page.keyboard.press('Alt+5');
    const rules = page.getByRole('table', { name: 'Trust rules' });
    await rules.getByText('not trusted').waitFor();
    expect(await rules.textContent()).toContain(library);
    const form = page.getByRole('form', { name: 'Add a trust rule' });
    await form.getByRole('combobox', { name: 'Genre', exact: true }).fill('Salsa');
    await form.getByRole('button', { name: 'Add rule' }).click();
    await rules.getByRole('button', { name: 'Remove the rule for Salsa' }).click();
    await expect.poll(() => rules.getByRole('row').count()).toBe(2);
    await rules.getByRole('button', { name: /^Remove the rule for \// }).click(); // the track's rule, named by its path
    await page.getByText('No rules: every genre tag is trusted.').waitFor();
    expect((await api('learningState', {}) as { rules: unknown[] }).rules).toEqual([]);
  });

  it('filters by danceability: exactly the tracks whose stored MusiCNN danceability is in range', async () => {
    const read = openDatabase(db, { access: 'read' });
    const store = createMusicnnStore(read);
    const ids = read.prepare("SELECT id FROM tracks WHERE status = 'analysed' AND id != 1").pluck().all() as number[];
    const danceability = new Map(ids.map((id) => [id, store.find(id, currentMusicnnVersion().model)!.heads[0]!]));
    read.close();
    const threshold = Math.floor(100 * [...danceability.values()].sort((a, b) => a - b)[Math.floor(ids.length / 2)]!) / 100;
    const expected = ids.filter((id) => danceability.get(id)! >= threshold);
    await page.keyboard.press('Alt+6');
    await page.getByRole('spinbutton', { name: 'Tracks' }).fill('30');
    await page.getByRole('spinbutton', { name: 'Artist gap' }).fill('0'); // else an artist's last tracks may wait for ever
    await page.getByRole('spinbutton', { name: 'Danceability from (0 to 1)' }).fill(String(threshold));
    await page.getByRole('button', { name: 'Build playlist' }).click();
    await expect.poll(() => playlistRows().count()).toBe(expected.length);
    const titles = await Promise.all(expected.map(async (trackId) => (await api('trackDetail', { trackId }) as { title: string }).title));
    expect((await playlistTitles()).sort()).toEqual(titles.sort());
    await shot('playlists-danceability');
  });
});

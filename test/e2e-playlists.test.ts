/**
 * End to end: real Chromium (Debian's) drives the Playlists page and library
 * learning in the interface served by `sonority serve`, over the 24 songs of
 * ../shared/data (8-second cuts, 13 of them tagged with a subgenre of
 * Electronic, Latin or Jazz by two or three artists each) scanned by the CLI:
 * similar tracks from a searched seed (the seed first, tag and suggested
 * genres told apart), save and reopen, export as a download (with and without
 * the seed), a path between two tracks; learning from the tags on the Review
 * page; the genre timelines under a track's spectrogram; trust and a playlist
 * built at once from a track's page; the danceability filter. Screenshots go
 * to test-results/screenshots/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpeg, REPO_ROOT, runCli, SHARED_DATA, tempDir } from './helpers/fixtures.ts';
import { buildRenderer, type ServeProcess } from './helpers/serve.ts';
import { callApi, closeServedApp, hasChromium, openServedApp } from './helpers/browser.ts';
import { songName } from './helpers/genre-library.ts';
import { openDatabase } from '../src-main/core/db/open-database.ts';
import { createMusicnnStore } from '../src-main/core/db/musicnn-store.ts';
import { currentMusicnnVersion } from '../src-main/core/musicnn/model-metadata.ts';

/** What the callbacks run in the page use of the DOM (the tests compile without its types). */
interface PageNode { textContent: string | null; parentElement: PageNode | null; getAttribute(name: string): string | null; querySelectorAll(selector: string): Iterable<PageNode> & ArrayLike<PageNode> }
declare const getComputedStyle: (element: object) => { backgroundColor: string };

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
  /** Opens a page from the sidebar. */
  const navigate = (label: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();
  /** The Genres column as shown: per row, the plain (tag) genres and the italic (suggested) one. */
  const genreCells = () => playlistRows().locator('td.genres').evaluateAll((cells) => (cells as unknown as PageNode[]).map((cell) => ({
    tags: Array.from(cell.querySelectorAll('.tag'), (tag) => tag.textContent),
    suggested: Array.from(cell.querySelectorAll('em'), (em) => ({ text: em.textContent, title: em.getAttribute('title') })),
  })));
  /** The M3U8 the Export button downloads, as its file paths. */
  async function exportedPaths(): Promise<string[]> {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export M3U8' }).click()]);
    const text = fs.readFileSync(await download.path(), 'utf8');
    expect(text.startsWith('#EXTM3U')).toBe(true);
    return text.split(/\r?\n/).filter((line) => line.trim() && !line.startsWith('#'));
  }
  const api = (method: string, params: unknown = {}) => callApi(page, method, params);

  async function pick(field: string, search: string, button: string): Promise<void> {
    await page.getByRole('searchbox', { name: field }).fill(search);
    await page.getByRole('button', { name: button }).click();
  }

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await Promise.all([buildRenderer(), scannedSongs(library, db)]);
    ({ serve, browser, page } = await openServedApp(library, db, { viewport: { width: 1280, height: 900 }, acceptDownloads: true }));
  }, 180_000);

  afterAll(async () => {
    expect(await closeServedApp(browser, serve)).toBe(0);
  });

  it('builds 10 tracks, the seed found by searching first, telling tag genres from suggested ones', async () => {
    await page.goto(serve.address);
    await navigate('Playlists');
    await page.getByRole('heading', { name: 'Playlists', exact: true }).waitFor();
    await pick('Find seed tracks', 'bossa', 'Add seed: Bossa Nova');
    await page.getByRole('list', { name: 'Seed tracks', exact: true }).getByText('Bossa Nova').waitFor();
    await page.getByRole('spinbutton', { name: 'Tracks' }).fill('10');
    await page.getByRole('button', { name: 'Build playlist' }).click();
    await expect.poll(() => playlistRows().count()).toBe(10);
    const titles = await playlistTitles();
    expect(titles[0]).toBe('Bossa Nova');
    expect(new Set(titles).size).toBe(10);
    const shown = await genreCells();
    const songOf = (title: string) => Object.keys(SONGS).find((song) => songName(song) === title)!;
    titles.forEach((title, i) => expect(shown[i]!.tags, title).toEqual(SONGS[songOf(title)]!.genre ? [SONGS[songOf(title)]!.genre] : []));
    const built = await api('buildPlaylist', { seeds: [(await api('library', { offset: 0, limit: 50, search: 'Bossa' }) as { rows: { id: number }[] }).rows[0]!.id], length: 10, artistGap: 3 }) as { tracks: { title: string; suggestedGenre: string | null }[] };
    expect(built.tracks.map((t) => t.title)).toEqual(titles);
    built.tracks.forEach((track, i) => expect(shown[i]!.suggested, track.title).toEqual(track.suggestedGenre ? [{ text: track.suggestedGenre, title: `${track.suggestedGenre}: suggested by the experts, not in the file's tags` }] : []));
    expect(shown.filter((cell) => cell.suggested.length).length).toBeGreaterThan(0); // the untagged songs have the experts' suggestion
    await page.getByText(/^Genres: plain, the file's tags; italic, suggested by the experts \(not in the file\)\.$/).waitFor();
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

  it('exports it with relative paths as an M3U8 download, the seed first; and without the seed when it is left out', async () => {
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
    expect(entries[0]).toBe('bossa_nova.mp3');
    const withSeed = await playlistTitles();
    await page.getByRole('checkbox', { name: 'Start with the seeds' }).uncheck();
    await page.getByRole('button', { name: 'Build playlist' }).click();
    await expect.poll(playlistTitles).not.toContain('Bossa Nova');
    expect(await playlistTitles()).toEqual([...withSeed.slice(1), expect.any(String)]); // the same neighbours, one more at the end
    const without = await exportedPaths();
    expect(without).toHaveLength(10);
    expect(without).not.toContain('bossa_nova.mp3');
    await page.getByRole('checkbox', { name: 'Start with the seeds' }).check();
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
    await navigate('Review');
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

  it('lines the genre timelines up under the spectrogram on a track\'s page, each with a legend of its genres in their fixed colours', async () => {
    await page.goto(`${serve.origin}/#/track/2`);
    const canvas = page.getByRole('region', { name: 'Spectrogram' }).locator('canvas');
    await canvas.waitFor();
    const lanes = [page.getByRole('group', { name: "The GTZAN model's genre probabilities per analysed window" }), page.getByRole('group', { name: /^MusiCNN's genres per analysed window/ })];
    for (const lane of lanes) await lane.waitFor();
    await canvas.scrollIntoViewIfNeeded();
    const image = (await canvas.boundingBox())!;
    for (const lane of lanes) {
      const box = (await lane.boundingBox())!;
      expect(Math.abs(box.x - image.x)).toBeLessThanOrEqual(2);
      expect(Math.abs(box.x + box.width - (image.x + image.width))).toBeLessThanOrEqual(2);
      expect(box.y).toBeGreaterThan(image.y + image.height);
    }
    for (const [name, lane] of [['GTZAN', lanes[0]!], ['MusiCNN', lanes[1]!]] as const) {
      const legend = page.getByRole('list', { name: `Colours: ${name}` });
      const swatches = await legend.locator('[data-genre]').evaluateAll((spans) => (spans as unknown as PageNode[]).map((span) => [span.getAttribute('data-genre'), getComputedStyle(span).backgroundColor, span.parentElement!.textContent] as const));
      expect(swatches.length, name).toBeGreaterThan(0);
      const parts = new Map(await lane.locator('[data-genre]').evaluateAll((spans) => (spans as unknown as PageNode[]).map((span) => [span.getAttribute('data-genre'), getComputedStyle(span).backgroundColor] as const)));
      for (const [genre, colour, text] of swatches) {
        expect(text).toBe(genre);
        expect(parts.get(genre), `${name}: ${genre}`).toBe(colour); // the legend's colour is the column's
      }
    }
    const image75 = image.x + 0.75 * image.width;
    await canvas.click({ position: { x: 0.75 * image.width, y: image.height / 2 } }); // the spectrogram seeks there: the timelines' cursors follow
    for (const lane of lanes) {
      await expect.poll(async () => {
        const cursor = (await lane.locator('.cursor').boundingBox())!;
        return Math.abs(cursor.x + cursor.width / 2 - image75);
      }).toBeLessThanOrEqual(2);
    }
    await shot('track-timelines-aligned');
  });

  it('sets a track\'s trust on its page, lists and removes rules in Settings, and starts a playlist from the track', async () => {
    await page.goto(`${serve.origin}/#/track/1`);
    const trust = page.getByRole('group', { name: "Trust this track's genre tag" });
    await trust.getByRole('radio', { name: 'No' }).check();
    await trust.getByText('Saved; it counts from the next training.').waitFor();
    const { title } = await api('trackDetail', { trackId: 1 }) as { title: string };
    await page.getByRole('button', { name: 'Make playlist from this track' }).click();
    await page.getByRole('list', { name: 'Seed tracks', exact: true }).getByText(title).waitFor();
    await expect.poll(() => playlistRows().count()).toBe(6); // built on arrival (6 tracks, as last asked), without pressing Build
    expect((await playlistTitles())[0]).toBe(title);
    await navigate('Settings');
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
    await navigate('Playlists');
    await page.getByRole('spinbutton', { name: 'Tracks' }).fill('30');
    await page.getByRole('spinbutton', { name: 'Artist gap' }).fill('0'); // else an artist's last tracks may wait for ever
    await page.getByRole('spinbutton', { name: 'Danceability from (0 to 1)' }).fill(String(threshold));
    await page.getByRole('button', { name: 'Build playlist' }).click();
    await expect.poll(() => playlistRows().count()).toBe(1 + expected.length); // the seed (track 1, whatever its danceability), then the tracks in range
    const titles = await Promise.all([1, ...expected].map(async (trackId) => (await api('trackDetail', { trackId }) as { title: string }).title));
    const shown = await playlistTitles();
    expect(shown[0]).toBe(titles[0]);
    expect(shown.slice(1).sort()).toEqual(titles.slice(1).sort());
    await shot('playlists-danceability');
  });
});

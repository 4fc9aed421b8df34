/**
 * Issue 14, part 7, end to end: a small real library whose Review queue and
 * `apply --min-confidence` follow the combined opinion of the GTZAN model and
 * MusiCNN (README: "One opinion from several experts"). Swing tagged Jazz and
 * disco tagged Disco (both right) must not be disputed; heavy metal tagged
 * Classical must be the first card; and the dry run of `apply` at the
 * default minimum confidence must write no genre that contradicts a file's
 * real genre.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplyPlan, ReviewItem } from '../src-main/api/contract.ts';
import { OPINION_DEFAULTS } from '../src-main/core/opinion/combine.ts';
import { broadGenreOf } from '../src-main/core/opinion/expert.ts';
import { DEFAULT_TAXONOMY } from '../src-main/core/taxonomy/default-taxonomy.ts';
import { createTaxonomy } from '../src-main/core/taxonomy/taxonomy.ts';
import { convertReal, jsonLines, runCli, SHARED_DATA, tempDir } from './helpers/fixtures.ts';
import { serviceFor } from './helpers/service.ts';

const taxonomy = createTaxonomy(DEFAULT_TAXONOMY);

/**
 * song → [its tag ('' for none), its real genre]. `ambient.mp3` is house-like
 * dance music (../shared/README.md: ambient and house look swapped); bop is
 * left untagged so that `apply` has a genre to write.
 */
const LIBRARY: Record<string, [tag: string, truth: string]> = {
  swing: ['Jazz', 'Swing'],
  disco: ['Disco', 'Disco'],
  heavy_metal: ['Classical', 'Heavy Metal'],
  bop: ['', 'Bop'],
  techno: ['Techno', 'Techno'],
  punk: ['Punk', 'Punk'],
  ambient: ['House', 'House'],
};

describe('the Review queue and apply from the combined opinion (a real library)', () => {
  const root = tempDir('sonority-combined-');
  const dbPath = path.join(tempDir(), 'library.db');
  const file = (song: string) => path.join(root, `${song}.mp3`);
  let service: Awaited<ReturnType<typeof serviceFor>>;

  beforeAll(async () => {
    await Promise.all(Object.entries(LIBRARY).map(([song, [tag]]) => convertReal(path.join(SHARED_DATA, 'songs', `${song}.mp3`), file(song), 'mp3', { ...(tag ? { genre: tag } : {}), title: song })));
    const scan = await runCli(['scan', root, '--db', dbPath]);
    expect(scan.code, scan.stderr).toBe(0);
    service = await serviceFor(dbPath, root);
  }, 300_000);
  afterAll(() => service?.close());

  it('puts the metal track tagged Classical first and does not dispute swing or disco', async () => {
    const disputed = await runCli(['review', '--disputed', '--json', '--db', dbPath]);
    expect(disputed.code, disputed.stderr).toBe(0);
    const tracks = jsonLines(disputed.stdout).filter((line) => line.type === 'track');
    expect(tracks[0]).toMatchObject({ path: file('heavy_metal'), tagGenres: ['Classical'], status: 'disputed' });
    expect(tracks.map((t) => t.path)).not.toContain(file('swing'));
    expect(tracks.map((t) => t.path)).not.toContain(file('disco'));
    for (const track of tracks) expect(track.dispute).toBeGreaterThanOrEqual(OPINION_DEFAULTS.disputedAt);

    const all = jsonLines((await runCli(['review', '--json', '--db', dbPath])).stdout).filter((line) => line.type === 'track');
    const bySong = new Map(all.map((t) => [path.basename(t.path as string, '.mp3'), t]));
    expect(bySong.size).toBe(Object.keys(LIBRARY).length);
    for (const song of ['swing', 'disco']) {
      expect(bySong.get(song)!.status, song).not.toBe('disputed');
      expect(bySong.get(song)!.dispute, song).toBeLessThan(OPINION_DEFAULTS.disputedAt);
    }

    // The app's queue: the same track first, with the experts' lines.
    const queue = service.handlers.reviewQueue({}) as ReviewItem[];
    expect(queue[0]).toMatchObject({ title: 'heavy_metal', genres: ['Classical'], status: 'disputed' });
    expect(queue[0]!.opinion.dispute).toBeGreaterThanOrEqual(OPINION_DEFAULTS.disputedAt);
    expect(queue[0]!.opinion.experts).toMatch(/^GTZAN model: .+; MusiCNN: .+$/);
    expect(queue[0]!.opinion.disputes[0]).toMatch(/^Classical: dispute \d+% — /);
    for (const title of ['swing', 'disco']) expect(queue.find((item) => item.title === title)?.status ?? 'not queued', title).not.toBe('disputed');
  });

  it('writes at the default minimum confidence no genre that contradicts a file\'s real genre', async () => {
    const dryRun = await runCli(['apply', '--dry-run', '--json', '--min-confidence', String(OPINION_DEFAULTS.minConfidence), '--db', dbPath]);
    expect(dryRun.code, dryRun.stderr).toBe(0);
    const lines = jsonLines(dryRun.stdout);
    const written = lines.filter((line) => line.type === 'file');
    expect(written.length).toBeGreaterThan(0);
    for (const write of written) expect(write, JSON.stringify(write)).toMatchObject({ ok: true });
    for (const write of written) {
      const truth = LIBRARY[path.basename(write.path as string, '.mp3')]![1];
      for (const genre of write.newGenres as string[]) expect(broadGenreOf(taxonomy, genre), `${write.path}: ${genre}`).toBe(broadGenreOf(taxonomy, truth));
    }
    // The Apply page plans through the same core function.
    const plan = await service.handlers.applyPlan({ scope: 'all', minConfidence: OPINION_DEFAULTS.minConfidence }) as ApplyPlan;
    expect(plan.writes.map((row) => [row.title, row.newGenres])).toEqual(written.map((w) => [path.basename(w.path as string, '.mp3'), w.newGenres]));
  });
});

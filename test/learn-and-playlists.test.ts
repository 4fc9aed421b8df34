import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runCli, tempDir } from './helpers/fixtures.ts';
import { genreLibrary } from './helpers/genre-library.ts';
import { serviceFor } from './helpers/service.ts';
import type { LearningState, Playlist, PlaylistExport, PlaylistSummary, ReviewItem } from '../src-main/api/contract.ts';

let library: Awaited<ReturnType<typeof genreLibrary>>;
let service: Awaited<ReturnType<typeof serviceFor>>;
const idOf = (file: string) => (service.context.db.prepare('SELECT id FROM tracks WHERE path = ?').get(file) as { id: number }).id;

beforeAll(async () => {
  library = await genreLibrary();
  service = await serviceFor(library.dbPath, library.root);
}, 240_000);
afterAll(() => service?.close());

describe('sonority learn on a real library', () => {
  it('learns Classical, Electronic and Latin (subgenres rolled up), leaves rare genres out, and doubts the classical clip tagged Techno first', async () => {
    const result = await runCli(['learn', '--db', library.dbPath, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/TensorFlow\.js backend: wasm/);
    const [summary, ...doubted] = jsonLines(result.stdout);
    expect(summary!.genres.map((g: { genre: string }) => g.genre)).toEqual(['Classical', 'Electronic', 'Latin']);
    expect(summary!.genres.find((g: { genre: string }) => g.genre === 'Electronic').tracks).toBe(6); // five songs and the mis-tagged clip
    expect(summary!.rolledUp).toEqual(expect.arrayContaining([{ from: 'House', to: 'Electronic', tracks: 1 }, { from: 'Bossa Nova', to: 'Latin', tracks: 1 }]));
    expect(summary!.excluded.map((e: { genre: string }) => e.genre).sort()).toEqual(['Funk', 'Heavy Metal', 'Soul']); // Metal would have one track too: no help
    expect(doubted[0]).toMatchObject({ type: 'doubted', path: library.mistagged, given: 'Electronic', suggested: 'Classical' });
  }, 120_000);

  it('puts the doubted tag in the review queue as disputed, labelled as the library\'s opinion, and suggests a genre for the untagged clip', () => {
    const queue = service.handlers.reviewQueue({}) as ReviewItem[];
    const mistagged = queue.find((item) => item.trackId === idOf(library.mistagged))!;
    expect(queue[0]!.trackId).toBe(mistagged.trackId); // doubted by both the base model and the library
    expect(mistagged.library).toMatchObject({ flagged: true, givenGenre: 'Electronic' });
    expect(mistagged.library!.suggestions[0]!.genre).toBe('Classical');
    expect(mistagged.library!.source).toMatch(/without this track or its artist/);
    expect(mistagged.reason).toMatch(/Your library's genres doubt Electronic \(\d+%\) and suggest Classical/);
    const untagged = queue.find((item) => item.trackId === idOf(library.untagged))!;
    expect(untagged.library).toMatchObject({ flagged: false, givenGenre: null, doubt: null });
    expect(untagged.library!.suggestions[0]!.genre).toBe('Classical');
    expect(untagged.reason).toMatch(/Your library's genres suggest Classical/);
  });

  it('leaves a distrusted track out of training, then trains on it again once the rule is cleared', async () => {
    const mistaggedId = idOf(library.mistagged);
    let state = service.handlers.setTrust({ kind: 'track', trackId: mistaggedId, trusted: false }) as LearningState;
    expect(state.rules).toEqual([expect.objectContaining({ kind: 'track', target: library.mistagged, trusted: false })]);
    state = await service.handlers.learnGenres({}) as LearningState;
    expect(state.summary!.distrusted).toBe(1);
    expect(state.summary!.genres.find((g) => g.genre === 'Electronic')!.tracks).toBe(5);
    const detail = service.handlers.trackDetail({ trackId: mistaggedId }) as { library: ReviewItem['library'] };
    expect(detail.library).toMatchObject({ givenGenre: null, doubt: null, flagged: false });
    state = service.handlers.setTrust({ kind: 'track', trackId: mistaggedId }) as LearningState;
    expect(state.rules).toEqual([]);
    state = await service.handlers.learnGenres({}) as LearningState;
    expect(state.summary!.distrusted).toBe(0);
    expect(state.summary!.genres.find((g) => g.genre === 'Electronic')!.tracks).toBe(6);
  }, 120_000);

  it('a folder rule distrusts every track under it; `sonority trust` lists it', async () => {
    const listed = await runCli(['trust', '--folder', path.join(library.root, 'songs'), '--no', '--db', library.dbPath, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(jsonLines(listed.stdout)).toEqual([expect.objectContaining({ kind: 'folder', target: path.join(library.root, 'songs'), trusted: false })]);
    const learned = await runCli(['learn', '--db', library.dbPath, '--json']);
    // Without the songs, only Classical (and the lone mis-tagged Electronic clip) remain: too few genres to learn.
    expect(learned.code).toBe(2);
    expect(learned.stderr).toMatch(/needs at least 2 genres with 5 trusted tracks from 2 artists each, and only Classical has that many/);
    expect((await runCli(['trust', '--folder', path.join(library.root, 'songs'), '--clear', '--db', library.dbPath])).code).toBe(0);
  }, 120_000);
});

describe('sonority playlist on a real library', () => {
  it('writes the tracks most similar to a classical seed as a relative M3U8, saves the playlist and reopens it', async () => {
    const out = path.join(tempDir(), 'mixes', 'calm.m3u8');
    const seed = library.classical[0]!;
    const made = await runCli(['playlist', '--seed', seed, '--length', '5', '--artist-gap', '0', '--out', out, '--relative', '--save', 'Calm', '--db', library.dbPath, '--json']);
    expect(made.code, made.stderr).toBe(0);
    const playlist = jsonLines(made.stdout)[0] as unknown as Playlist;
    expect(playlist.tracks).toHaveLength(5);
    expect(playlist.tracks.map((t) => t.trackId)).not.toContain(idOf(seed));
    expect(playlist.tracks.filter((t) => t.genres.includes('Classical')).length).toBeGreaterThanOrEqual(4);
    const lines = fs.readFileSync(out, 'utf8').split('\n');
    expect(lines[0]).toBe('#EXTM3U');
    const paths = lines.filter((line) => line && !line.startsWith('#'));
    expect(paths).toHaveLength(5);
    for (const p of paths) {
      expect(path.isAbsolute(p)).toBe(false);
      expect(fs.existsSync(path.resolve(path.dirname(out), p))).toBe(true);
    }
    const reopened = await runCli(['playlist', '--open', 'calm', '--db', library.dbPath, '--json']);
    expect((jsonLines(reopened.stdout)[0] as unknown as Playlist).tracks.map((t) => t.trackId)).toEqual(playlist.tracks.map((t) => t.trackId));
  }, 60_000);

  it('a path from a classical clip to an electronic song starts and ends there and steps more smoothly than its shuffles', async () => {
    const made = await runCli(['playlist', '--seed', library.classical[2]!, '--to', library.songs.techno!, '--length', '6', '--db', library.dbPath]);
    expect(made.code, made.stderr).toBe(0);
    const rows = made.stdout.split('\n').filter((line) => /^\s*\d+\. /.test(line));
    expect(rows).toHaveLength(6);
    expect(rows[0]).toMatch(/Classical 00030/);
    expect(rows[5]).toMatch(/Techno/);
    const [, mean, max, shuffledMean] = /mean ([\d.]+), max ([\d.]+) \(shuffled: mean ([\d.]+)/.exec(made.stdout)!.map(Number);
    expect(mean).toBeLessThan(shuffledMean!);
    expect(max).toBeGreaterThanOrEqual(mean!);
  }, 60_000);

  it('refuses a seed that is not in the library, naming it', async () => {
    const made = await runCli(['playlist', '--seed', '/nowhere/x.mp3', '--length', '5', '--db', library.dbPath]);
    expect(made.code).toBe(2);
    expect(made.stderr).toMatch(/\/nowhere\/x\.mp3 is not an analysed track of this library/);
  });

  it('the interface builds, saves, reopens, exports (serve: text with paths relative to the served folder) and deletes playlists', () => {
    const seed = idOf(library.songs.salsa!);
    const built = service.handlers.buildPlaylist({ seeds: [seed], length: 4, filters: { genres: ['latin'] } }) as Playlist;
    expect(built.tracks).toHaveLength(4);
    expect(built.tracks.every((t) => t.genres.some((g) => ['Samba', 'Bossa Nova', 'Cumbia', 'Bolero'].includes(g)))).toBe(true);
    const saved = service.handlers.savePlaylist({ name: 'Latin night', recipe: built.recipe, tracks: built.tracks.map(({ trackId, distance }) => ({ trackId, distance })) }) as PlaylistSummary[];
    const entry = saved.find((p) => p.name === 'Latin night')!;
    expect(entry.tracks).toBe(4);
    const opened = service.handlers.openPlaylist({ playlistId: entry.id }) as Playlist;
    expect(opened.tracks.map((t) => t.trackId)).toEqual(built.tracks.map((t) => t.trackId));
    return Promise.resolve(service.handlers.exportPlaylist({ name: 'Latin/night', trackIds: opened.tracks.map((t) => t.trackId), paths: 'relative' })).then((exported) => {
      const { fileName, text, savedTo } = exported as PlaylistExport;
      expect(fileName).toBe('Latin night.m3u8');
      expect(savedTo).toBeNull();
      const paths = text!.split('\n').filter((line) => line && !line.startsWith('#'));
      expect(paths.map((p) => path.resolve(library.root, p))).toEqual(opened.tracks.map((t) => service.context.db.prepare('SELECT path FROM tracks WHERE id = ?').pluck().get(t.trackId)));
      expect((service.handlers.deletePlaylist({ playlistId: entry.id }) as PlaylistSummary[]).some((p) => p.id === entry.id)).toBe(false);
    });
  });
});

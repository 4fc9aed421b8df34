import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFeatureTable as readRows } from '../src-main/core/model/feature-table.ts';
import { DESCRIPTOR_NAMES } from '../src-main/core/features/descriptors.ts';
import { createRandom } from '../src-main/core/model/prng.ts';
import { SonorityError } from '../src-main/core/errors.ts';
import { buildSimilaritySpace, pathBetween, shuffledStepDistances, similarTracks, stepDistances, type SimilaritySpace, type SpaceTrack } from '../src-main/core/playlists/similarity-space.ts';
import { neighbourPrecision } from '../src-main/core/playlists/neighbour-precision.ts';
import { playlistEntries } from '../src-main/core/playlists/playlist-entries.ts';
import { toM3u8 } from '../src-main/core/playlists/m3u8.ts';
import { GTZAN, readFeatureTable as readColumns } from './helpers/gtzan.ts';
import { shippedModel } from './helpers/model.ts';

const table = readRows(path.join(GTZAN, 'features_30_sec.trainval.csv'));
const lengths = readColumns('features_30_sec.trainval.csv').map((row) => row.length);
const names = new Map(fs.readFileSync(path.join(GTZAN, 'artists.tsv'), 'utf8').trim().split('\n').slice(1).map((line) => {
  const [clip, artist, title] = line.split('\t');
  return [clip!, { artist: artist?.trim() || null, title: title?.trim() || null }];
}));
const [TEMPO, RMS] = [DESCRIPTOR_NAMES.indexOf('tempo'), DESCRIPTOR_NAMES.indexOf('rms_mean')];
/** The 640 GTZAN clips as library tracks: ids 1000 + row, so that ids and rows never coincide. */
const gtzan: SpaceTrack[] = table.ids.map((id, row) => ({
  trackId: 1000 + row, ...names.get(id)!, contentKey: id, descriptors: table.rows[row]!, embedding: null,
  tempo: table.rows[row]![TEMPO]!, durationSec: lengths[row]! / 22050, genres: [table.labels[row]!],
}));
const byId = new Map(gtzan.map((t) => [t.trackId, t]));
/** The track id of a GTZAN clip in the table. */
const clip = (id: string) => {
  const row = table.ids.indexOf(id);
  if (row < 0) throw new Error(`${id} is not in the train+valid table`);
  return 1000 + row;
};
const norm = (s: string | null) => s?.toLowerCase().replace(/\s+/g, '') ?? null;
const distance = (space: SimilaritySpace, a: number, b: number) => {
  const [ra, rb] = [space.rowOf.get(a)!, space.rowOf.get(b)!];
  return Math.hypot(...Array.from({ length: space.dimensions }, (_, j) => space.vectors[ra * space.dimensions + j]! - space.vectors[rb * space.dimensions + j]!));
};
/** No known artist of a track from `first` on is among the `gap` tracks before it. */
const gapHolds = (ids: number[], gap: number, first = 1) => ids.every((id, i) => {
  const artist = norm(byId.get(id)!.artist);
  return i < first || artist === null || !ids.slice(Math.max(0, i - gap), i).some((other) => norm(byId.get(other)!.artist) === artist);
});
const sameRecording = (a: SpaceTrack, b: SpaceTrack) => (a.contentKey && a.contentKey === b.contentKey) || (norm(a.artist) !== null && norm(a.title) !== null && norm(a.artist) === norm(b.artist) && norm(a.title) === norm(b.title));
const ids = (entries: { trackId: number }[]) => entries.map((e) => e.trackId);

describe('similar tracks on the GTZAN table', () => {
  let space: SimilaritySpace;
  beforeAll(() => {
    space = buildSimilaritySpace(gtzan);
  });

  it('returns the nearest tracks, nearest first, without the seed', () => {
    const seed = clip('jazz.00001');
    const result = similarTracks(space, [seed], { length: 15, artistGap: 0 });
    expect(result).toHaveLength(15);
    expect(ids(result)).not.toContain(seed);
    const all = gtzan.filter((t) => t.trackId !== seed).map((t) => distance(space, seed, t.trackId)).sort((a, b) => a - b);
    result.forEach((entry, i) => expect(entry.distance).toBeCloseTo(all[i]!, 4));
  });

  it('leaves out copies: the same content key, or the same artist and title in other case and spacing', () => {
    const row = table.ids.indexOf('blues.00000');
    const original = gtzan[row]!;
    const copies: SpaceTrack[] = [
      { ...original, trackId: 1, artist: 'Someone Else', title: 'Other', contentKey: original.contentKey },
      { ...original, trackId: 2, artist: ` ${original.artist!.toUpperCase().replace(' ', '  ')}`, title: original.title!.toLowerCase(), contentKey: 'other-file', descriptors: Array.from(original.descriptors, (v) => v * 1.01) },
    ];
    const library = buildSimilaritySpace([...gtzan, ...copies]);
    const tracks = new Map([...byId, ...copies.map((c) => [c.trackId, c] as const)]);
    const fromSeed = ids(similarTracks(library, [original.trackId], { length: 30, artistGap: 0 }));
    expect(fromSeed).not.toContain(1);
    expect(fromSeed).not.toContain(2);
    const neighbour = fromSeed[0]!;
    const around = ids(similarTracks(library, [neighbour], { length: 60, artistGap: 0 })).map((id) => tracks.get(id)!);
    expect(around.filter((t) => [original.trackId, 1, 2].includes(t.trackId))).toHaveLength(1);
    around.forEach((a, i) => around.slice(i + 1).forEach((b) => expect(sameRecording(a, b)).toBeFalsy()));
  });

  it('keeps any K consecutive tracks, seeds first, by different artists', () => {
    const seeds = ['reggae.00001', 'reggae.00002'].map(clip);
    for (const gap of [2, 3, 5]) expect(gapHolds([...seeds, ...ids(similarTracks(space, seeds, { length: 40, artistGap: gap }))], gap, seeds.length)).toBe(true);
    expect(gapHolds([...seeds, ...ids(similarTracks(space, seeds, { length: 40, artistGap: 0 }))], 3, seeds.length)).toBe(false);
  });

  it('respects the tempo, duration, genre and energy filters', () => {
    const seed = clip('metal.00003');
    const rms = gtzan.map((t) => t.descriptors[RMS]!);
    const percentile = (id: number) => {
      const own = byId.get(id)!.descriptors[RMS]!;
      return (rms.filter((v) => v < own).length + (rms.filter((v) => v === own).length - 1) / 2) / (rms.length - 1);
    };
    const filters = { genres: ['JAZZ', 'Blues '], tempo: [90, 140] as [number, number], energy: [0.3, 0.9] as [number, number], durationSec: [30.01, 31] as [number, number] };
    const result = ids(similarTracks(space, [seed], { length: 100, artistGap: 0, filters })).map((id) => byId.get(id)!);
    const passing = gtzan.filter((t) => ['jazz', 'blues'].includes(t.genres[0]!) && t.tempo >= 90 && t.tempo <= 140 && t.durationSec >= 30.01 && t.durationSec <= 31 && percentile(t.trackId) >= 0.3 && percentile(t.trackId) <= 0.9);
    expect(passing.length).toBeGreaterThan(5);
    expect(result.map((t) => t.trackId).sort()).toEqual(passing.map((t) => t.trackId).sort());
  });

  it('filters by MusiCNN danceability and moods; a track without MusiCNN output fails any set head filter, and a MusiCNN block of all-missing adds nothing', () => {
    const random = createRandom(3);
    const unique = gtzan.filter((t) => !gtzan.some((o) => o !== t && sameRecording(o, t))); // no duplicate left out in favour of a filtered-out twin
    const withHeads = unique.map((t, i) => ({ ...t, musicnn: i % 7 === 0 ? null : { embedding: Float32Array.from({ length: 8 }, () => random()), heads: Float32Array.from({ length: 4 }, () => random()) } }));
    const heads = new Map(withHeads.map((t) => [t.trackId, t.musicnn?.heads ?? null]));
    const headSpace = buildSimilaritySpace(withHeads);
    const seed = withHeads.find((t) => t.musicnn)!.trackId;
    const kept = (filters: Record<string, [number, number]>) => ids(similarTracks(headSpace, [seed], { length: 1000, artistGap: 0, filters })).sort();
    const passing = (test: (h: ArrayLike<number>) => boolean) => withHeads.filter((t) => t.trackId !== seed && heads.get(t.trackId) && test(heads.get(t.trackId)!)).map((t) => t.trackId).sort();
    expect(kept({ danceability: [0.6, 1] })).toEqual(passing((h) => h[0]! >= 0.6));
    expect(kept({ aggressive: [0, 0.5], happy: [0.2, 0.9], relaxed: [0.1, 1] })).toEqual(passing((h) => h[1]! <= 0.5 && h[2]! >= 0.2 && h[2]! <= 0.9 && h[3]! >= 0.1));
    expect(kept({ relaxed: [0, 1] })).toEqual(passing(() => true));
    expect(kept({}).length).toBe(unique.length - 1);
    expect(kept({ relaxed: [0, 1] }).length).toBeLessThan(unique.length - 1);
    const none = buildSimilaritySpace(gtzan.map((t) => ({ ...t, musicnn: null })));
    expect(none.dimensions).toBe(space.dimensions);
    expect(Array.from(none.vectors)).toEqual(Array.from(space.vectors));
  });

  it('measures several seeds by the root mean square of the distances to each', () => {
    const seeds = ['classical.00002', 'metal.00002', 'disco.00002'].map(clip);
    const result = similarTracks(space, seeds, { length: 20, artistGap: 0 });
    expect(ids(result).filter((id) => seeds.includes(id))).toEqual([]);
    for (const entry of result) expect(entry.distance).toBeCloseTo(Math.sqrt(seeds.reduce((s, seed) => s + distance(space, seed, entry.trackId) ** 2, 0) / seeds.length), 4);
    const rms = (id: number) => Math.sqrt(seeds.reduce((s, seed) => s + distance(space, seed, id) ** 2, 0));
    const worstKept = Math.max(...ids(result).map(rms));
    expect(gtzan.filter((t) => !seeds.includes(t.trackId) && !ids(result).includes(t.trackId)).every((t) => rms(t.trackId) >= worstKept - 1e-6)).toBe(true);
  });

  it('returns fewer tracks when the library runs out, and refuses an unknown seed', () => {
    const seed = clip('classical.00003');
    // GTZAN repeats some recordings (same artist and title): each counts once.
    const recordings = new Set(gtzan.filter((t) => t.genres[0] === 'classical').map((t) => (t.artist && t.title ? norm(t.artist + '|' + t.title) : t.contentKey)));
    const classical = recordings.size - 1;
    expect(similarTracks(space, [seed], { length: 500, artistGap: 0, filters: { genres: ['classical'] } })).toHaveLength(classical);
    const twoArtists = buildSimilaritySpace(gtzan.filter((t) => ['Bob Marley', 'Willie Nelson'].includes(t.artist!)));
    const marley = gtzan.find((t) => t.artist === 'Bob Marley')!.trackId;
    expect(ids(similarTracks(twoArtists, [marley], { length: 40, artistGap: 3 })).map((id) => byId.get(id)!.artist)).toEqual(['Willie Nelson']);
    expect(() => similarTracks(space, [424242], { length: 5 })).toThrow(expect.objectContaining({ code: 'unknown-track' }));
  });

  it('finds other artists\' clips of the same genre far above chance', () => {
    const { precision, random } = neighbourPrecision(space, table.labels as string[], 10);
    // Measured 0.376 against 0.088 at random (npm run eval:playlists).
    expect(precision).toBeGreaterThan(0.33);
    expect(precision).toBeGreaterThan(3.5 * random);
  });

  it('ranks by tempo alone when only the tempo block has weight', () => {
    const tempoOnly = buildSimilaritySpace(gtzan, { timbre: 0, spectrum: 0, harmony: 0, tempo: 1, embedding: 0 });
    const seed = gtzan[100]!;
    const gapOf = (t: SpaceTrack) => Math.abs(Math.log2(t.tempo) - Math.log2(seed.tempo));
    const result = ids(similarTracks(tempoOnly, [seed.trackId], { length: 20, artistGap: 0 })).map((id) => byId.get(id)!);
    const gaps = result.map(gapOf);
    expect(gaps).toEqual([...gaps].sort((a, b) => a - b));
    expect(gtzan.filter((t) => t !== seed && !result.includes(t)).every((t) => gapOf(t) >= gaps.at(-1)! - 1e-6)).toBe(true);
    expect(ids(similarTracks(space, [seed.trackId], { length: 20, artistGap: 0 }))).not.toEqual(result.map((t) => t.trackId));
  });

  it('puts tracks without an embedding at the embedding block\'s mean', async () => {
    const model = await shippedModel();
    const embeddings = model.predictTracks(table.rows.map((row) => ({ windows: [row], frames: [] }))).map((p) => p.embedding);
    model.dispose();
    const mixed = buildSimilaritySpace(gtzan.map((t, row) => ({ ...t, embedding: row % 2 === 0 ? embeddings[row]! : null })));
    expect(mixed.dimensions).toBe(space.dimensions + 64);
    expect(Array.from(mixed.vectors.subarray(mixed.dimensions - 64, mixed.dimensions)).some((v) => v !== 0)).toBe(true);
    expect(Array.from(mixed.vectors.subarray(2 * mixed.dimensions - 64, 2 * mixed.dimensions)).every((v) => v === 0)).toBe(true);
    expect(neighbourPrecision(buildSimilaritySpace(gtzan.map((t, row) => ({ ...t, embedding: embeddings[row]! }))), table.labels as string[], 10).precision)
      .toBeGreaterThan(neighbourPrecision(space, table.labels as string[], 10).precision);
  });
});

describe('paths between two tracks', () => {
  let space: SimilaritySpace;
  beforeAll(() => {
    space = buildSimilaritySpace(gtzan);
  });

  it('has the exact length, its ends in place, no repeat, the artist gap, and smaller steps than shuffled', () => {
    const random = createRandom(7);
    for (let pair = 0; pair < 8; pair++) {
      const [from, to] = [gtzan[Math.floor(random() * 320)]!.trackId, gtzan[320 + Math.floor(random() * 320)]!.trackId];
      for (const length of [2, 5, 12]) {
        const path = ids(pathBetween(space, from, to, { length }));
        expect(path).toHaveLength(length);
        expect([path[0], path.at(-1)]).toEqual([from, to]);
        const tracks = path.map((id) => byId.get(id)!);
        tracks.forEach((a, i) => tracks.slice(i + 1).forEach((b) => expect(sameRecording(a, b)).toBeFalsy()));
        expect(gapHolds(path, 3)).toBe(true);
      }
      const path = ids(pathBetween(space, from, to, { length: 10 }));
      expect(stepDistances(space, path).mean).toBeLessThan(shuffledStepDistances(space, path, { runs: 20, seed: pair, keepEnds: true }).mean);
    }
  });

  it('keeps the tracks in between to the filters, and says when the library cannot fill it', () => {
    const [from, to] = ['rock.00002', 'pop.00002'].map(clip);
    const entries = pathBetween(space, from!, to!, { length: 8, filters: { genres: ['rock', 'pop'], tempo: [80, 160] } });
    entries.slice(1, -1).forEach(({ trackId }) => {
      expect(['rock', 'pop']).toContain(byId.get(trackId)!.genres[0]);
      expect(byId.get(trackId)!.tempo).toBeGreaterThanOrEqual(80);
    });
    entries.forEach((e, i) => expect(e.distance).toBeCloseTo(i === 0 ? 0 : distance(space, entries[i - 1]!.trackId, e.trackId), 4));
    expect(() => pathBetween(space, from!, to!, { length: 30, filters: { tempo: [120, 121] } })).toThrow(expect.objectContaining({ code: 'too-few-tracks' }));
    expect(() => pathBetween(space, from!, from!, { length: 5 })).toThrow(SonorityError);
    expect(() => pathBetween(space, from!, 5, { length: 5 })).toThrow(expect.objectContaining({ code: 'unknown-track' }));
  });

  it('measures the shuffled baseline on the same tracks, ends kept', () => {
    const three = gtzan.slice(0, 3).map((t) => t.trackId);
    expect(shuffledStepDistances(space, three, { runs: 5, seed: 1, keepEnds: true })).toEqual(stepDistances(space, three));
    expect(stepDistances(space, three.slice(0, 2)).max).toBeCloseTo(distance(space, three[0]!, three[1]!), 5);
  });
});

describe('whole playlists: the seeds first', () => {
  let space: SimilaritySpace;
  beforeAll(() => {
    space = buildSimilaritySpace(gtzan);
  });

  it('opens with the seed, then the tracks like it, `length` in all; or without the seed when asked', () => {
    const seed = clip('jazz.00001');
    const entries = playlistEntries(space, { seeds: [seed], length: 10, artistGap: 0 });
    expect(entries).toHaveLength(10);
    expect(entries[0]).toEqual({ trackId: seed, distance: 0 });
    expect(entries.slice(1)).toEqual(similarTracks(space, [seed], { length: 9, artistGap: 0 }));
    const without = playlistEntries(space, { seeds: [seed], length: 10, artistGap: 0, excludeSeeds: true });
    expect(without).toEqual(similarTracks(space, [seed], { length: 10, artistGap: 0 }));
    expect(ids(without)).not.toContain(seed);
  });

  it('puts several seeds first in the order given (a repeat counts once), each at its root mean square distance to the seeds', () => {
    const seeds = ['metal.00002', 'classical.00002', 'disco.00002'].map(clip);
    const entries = playlistEntries(space, { seeds: [...seeds, seeds[0]!], length: 12, artistGap: 0 });
    expect(ids(entries.slice(0, 3))).toEqual(seeds);
    entries.slice(0, 3).forEach((entry) => expect(entry.distance).toBeCloseTo(Math.sqrt(seeds.reduce((s, other) => s + distance(space, entry.trackId, other) ** 2, 0) / 3), 4));
    expect(entries.slice(3)).toEqual(similarTracks(space, seeds, { length: 9, artistGap: 0 }));
    expect(() => playlistEntries(space, { seeds, length: 2 })).toThrow(expect.objectContaining({ code: 'bad-recipe', message: expect.stringMatching(/2 tracks cannot start with its 3 seeds/) }));
    expect(() => playlistEntries(space, { seeds: [], length: 5 })).toThrow(expect.objectContaining({ code: 'bad-recipe' }));
  });

  it('keeps a seed that fails the filters: they choose only the tracks it leads to', () => {
    const seed = clip('metal.00003');
    const entries = playlistEntries(space, { seeds: [seed], length: 6, artistGap: 0, filters: { genres: ['jazz'] } });
    expect(entries[0]!.trackId).toBe(seed);
    expect(entries.slice(1).map((e) => byId.get(e.trackId)!.genres[0])).toEqual(Array(5).fill('jazz'));
  });

  it('a path starts at its seed; without it, it still has `length` tracks and ends at the destination', () => {
    const [from, to] = ['blues.00004', 'pop.00004'].map(clip) as [number, number];
    const path = playlistEntries(space, { seeds: [from], to, length: 6 });
    expect(path).toEqual(pathBetween(space, from, to, { length: 6 }));
    const without = playlistEntries(space, { seeds: [from], to, length: 6, excludeSeeds: true });
    expect(without).toHaveLength(6);
    expect(ids(without)).not.toContain(from);
    expect(without.at(-1)!.trackId).toBe(to);
    expect(without[0]!.distance).toBeCloseTo(distance(space, from, without[0]!.trackId), 4);
    expect(() => playlistEntries(space, { seeds: [from, to], to, length: 6 })).toThrow(expect.objectContaining({ code: 'bad-recipe' }));
  });
});

describe('M3U8 playlists', () => {
  const entries = [
    { path: '/music/lists/a.mp3', durationSec: 215.6, artist: 'Sigur Rós', title: 'Hoppípolla, live' },
    { path: '/music/lists/sub/deep/track 01.flac', durationSec: null, artist: 'Nobody', title: null },
    { path: '/music/Artist/c.ogg', durationSec: 10.2, artist: null, title: 'Line\r\nbreak' },
  ];

  it('writes the header, EXTINF lines and absolute paths', () => {
    expect(toM3u8(entries, {}).split('\n')).toEqual([
      '#EXTM3U', '#EXTINF:216,Sigur Rós - Hoppípolla, live', '/music/lists/a.mp3', '#EXTINF:-1,track 01.flac', '/music/lists/sub/deep/track 01.flac', '#EXTINF:10,Line break', '/music/Artist/c.ogg', '',
    ]);
  });

  it('writes paths relative to the playlist folder, with / separators, and refuses another drive', () => {
    const lines = toM3u8(entries, { relativeTo: '/music/lists' }).split('\n').filter((l) => l && !l.startsWith('#'));
    expect(lines).toEqual(['a.mp3', 'sub/deep/track 01.flac', '../Artist/c.ogg']);
    lines.forEach((line, i) => expect(path.posix.resolve('/music/lists', line)).toBe(entries[i]!.path));
    const windows = [{ path: 'C:\\Music\\Rock\\x.mp3', durationSec: 1, artist: 'A', title: 'B' }, { path: 'c:\\Music\\Lists\\y.mp3', durationSec: 1, artist: 'A', title: 'C' }];
    expect(toM3u8(windows, { relativeTo: 'C:\\Music\\Lists' }).split('\n').filter((l) => l && !l.startsWith('#'))).toEqual(['../Rock/x.mp3', 'y.mp3']);
    expect(() => toM3u8([{ ...windows[0]!, path: 'D:\\Music\\x.mp3' }], { relativeTo: 'C:\\Music\\Lists' })).toThrow(expect.objectContaining({ code: 'playlist-path' }));
    expect(() => toM3u8([{ ...windows[0]!, path: '/music/a\nb.mp3' }], {})).toThrow(expect.objectContaining({ code: 'playlist-path' }));
  });
});

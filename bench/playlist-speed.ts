/**
 * How fast playlists are at library scale (`npm run bench:playlists`).
 * Builds synthetic libraries (1,000 tracks as the baseline, then 100,000 by
 * about 10,000 artists): each artist's tracks scatter around one real GTZAN
 * clip's descriptors and an artist embedding, so neighbourhoods look like a
 * library's. Times `buildSimilaritySpace`, `similarTracks` (1 and 3 seeds,
 * 25 tracks, artist gap 3, with and without filters) and `pathBetween`
 * (20 tracks), p50/p95 over seeded queries, and the memory the space holds,
 * with MusiCNN means (98% of tracks) and, for the build, without the MusiCNN
 * block; and reading the MusiCNN means from a database of such tracks
 * (57 patches each: three 30-s windows). Reports each figure and the ratio
 * 100k / 1k measured in this same run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';
import { readFeatureTable } from '../src-main/core/model/feature-table.ts';
import { createRandom } from '../src-main/core/model/prng.ts';
import { DESCRIPTOR_NAMES } from '../src-main/core/features/descriptors.ts';
import { buildSimilaritySpace, pathBetween, similarTracks, type SimilaritySpace, type SpaceTrack } from '../src-main/core/playlists/similarity-space.ts';
import type { PlaylistFilters } from '../src-main/core/playlists/playlist-rules.ts';
import Database from 'better-sqlite3';
import { sql as MUSICNN_TABLE } from '../src-main/core/db/migrations/008-musicnn.ts';
import { sql as MUSICNN_MEANS_TABLE } from '../src-main/core/db/migrations/009-musicnn-means.ts';
import { float16Blob, probabilityBlob } from '../src-main/core/db/compact-blobs.ts';
import { readMusicnnMeans } from '../src-main/core/db/musicnn-means.ts';
import type { Db } from '../src-main/core/db/open-database.ts';

const TABLE = fileURLToPath(new URL('../../shared/data/gtzan/features_30_sec.trainval.csv', import.meta.url));
const SIZES = [1_000, 100_000];
const TRACKS_PER_ARTIST = 10;
const QUERIES = 60;
const PATHS = 30;
const EMBEDDING = 64;
const MUSICNN = 200;
const PATCHES = 57;
const FILTERS: PlaylistFilters = { genres: ['Rock'], tempo: [90, 140], energy: [0.2, 0.8], danceability: [0.3, 1] };

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const table = readFeatureTable(TABLE);
const TEMPO = DESCRIPTOR_NAMES.indexOf('tempo');
const capitalised = (label: string) => label[0]!.toUpperCase() + label.slice(1);

/** A seeded library of `size` tracks: artists around real clips, 1% of tracks a second copy of another. */
function syntheticLibrary(size: number): SpaceTrack[] {
  const random = createRandom(size);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const spread = DESCRIPTOR_NAMES.map((_, j) => Math.sqrt(table.rows.reduce((s, row) => s + row[j]! ** 2, 0) / table.rows.length - (table.rows.reduce((s, row) => s + row[j]!, 0) / table.rows.length) ** 2));
  const artists = Array.from({ length: Math.ceil(size / TRACKS_PER_ARTIST) }, () => ({
    clip: Math.floor(random() * table.rows.length),
    embedding: Float32Array.from({ length: EMBEDDING }, () => Math.max(0, gaussian())),
    musicnn: Float32Array.from({ length: MUSICNN }, () => Math.max(0, gaussian())),
  }));
  return Array.from({ length: size }, (_, i) => {
    const artist = Math.floor(random() * artists.length);
    const { clip, embedding, musicnn } = artists[artist]!;
    const copyOf = i > 0 && random() < 0.01 ? Math.floor(random() * i) : i;
    const base = table.rows[clip]!;
    return {
      trackId: i + 1, artist: `Artist ${artist}`, title: `Song ${copyOf}`, contentKey: `fp-${copyOf}`,
      descriptors: Float32Array.from(base, (v, j) => Math.max(0, v + 0.3 * spread[j]! * gaussian())),
      embedding: Float32Array.from(embedding, (v) => Math.max(0, v + 0.5 * gaussian())),
      musicnn: random() < 0.02 ? null : { embedding: Float32Array.from(musicnn, (v) => Math.max(0, v + 0.5 * gaussian())), heads: Float32Array.from({ length: 4 }, () => random()) },
      tempo: base[TEMPO]! * (1 + 0.05 * gaussian()), durationSec: 120 + 300 * random(),
      genres: random() < 0.8 ? [capitalised(table.labels[clip]!)] : [],
    };
  });
}

const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;
function timeEach(count: number, seed: number, query: (random: () => number) => unknown): { p50: number; p95: number } {
  const random = createRandom(seed);
  const times = Array.from({ length: count }, () => {
    const start = performance.now();
    query(random);
    return performance.now() - start;
  });
  return { p50: quantile(times, 0.5), p95: quantile(times, 0.95) };
}

/** Time and memory held (heap + array buffers, after collection) of building a space. */
function built(tracks: SpaceTrack[]): { space: SimilaritySpace; ms: number; heldMb: number } {
  gc();
  const before = process.memoryUsage();
  const start = performance.now();
  const space = buildSimilaritySpace(tracks);
  const ms = performance.now() - start;
  gc();
  const after = process.memoryUsage();
  return { space, ms, heldMb: (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / 2 ** 20 };
}

/**
 * Milliseconds to read the MusiCNN means of `size` stored tracks (a scratch
 * database of the `musicnn` tables and the track ids): with their stored mean
 * embeddings, or (`stored` false) as rows analysed before migration 009, whose
 * patches are averaged.
 */
function readMeansMs(size: number, stored: boolean): number {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sonority-bench-')), 'musicnn.db');
  const db = new Database(file);
  db.exec(`CREATE TABLE tracks (id INTEGER PRIMARY KEY); ${MUSICNN_TABLE} ${MUSICNN_MEANS_TABLE}`);
  const random = createRandom(7);
  const blobs = Array.from({ length: 64 }, () => float16Blob(Float32Array.from({ length: PATCHES * MUSICNN }, () => Math.max(0, random() - 0.5))));
  const mean = float16Blob(Float32Array.from({ length: MUSICNN }, () => random()));
  const track = db.prepare('INSERT INTO tracks (id) VALUES (?)');
  const insert = db.prepare(`INSERT INTO musicnn VALUES (?, 'msd-musicnn-1', 'v', NULL, '', ${PATCHES}, x'', x'', x'', x'00', NULL, ?, NULL, ?)`);
  const insertMean = db.prepare("INSERT INTO musicnn_means VALUES (?, 'msd-musicnn-1', ?)");
  db.transaction(() => {
    for (let i = 0; i < size; i++) {
      track.run(i + 1), insert.run(i + 1, probabilityBlob([0.1, 0.2, 0.3, 0.4]), blobs[i % blobs.length]);
      if (stored) insertMean.run(i + 1, mean);
    }
  })();
  const start = performance.now();
  readMusicnnMeans(db as unknown as Db, { model: 'msd-musicnn-1', inputVersion: 'v' });
  const ms = performance.now() - start;
  db.close();
  fs.rmSync(path.dirname(file), { recursive: true });
  return ms;
}

function measure(size: number) {
  const tracks = syntheticLibrary(size);
  const pick = (space: SimilaritySpace, random: () => number) => space.trackIds[Math.floor(random() * size)]!;
  const without = built(tracks.map((t) => ({ ...t, musicnn: null })));
  const { space, ms: buildMs, heldMb } = built(tracks);
  const similar = (seeds: number, filters?: PlaylistFilters) => timeEach(QUERIES, seeds * 7 + (filters ? 1 : 0), (random) =>
    similarTracks(space, Array.from({ length: seeds }, () => pick(space, random)), { length: 25, artistGap: 3, filters }));
  similar(1);
  return {
    size, buildMs, dimensions: space.dimensions, heldMb, vectorsMb: space.vectors.byteLength / 2 ** 20,
    withoutMs: without.ms, withoutMb: without.heldMb, readMs: readMeansMs(size, true), readOldMs: readMeansMs(size, false),
    one: similar(1), three: similar(3), oneFiltered: similar(1, FILTERS), threeFiltered: similar(3, FILTERS),
    path: timeEach(PATHS, 99, (random) => pathBetween(space, pick(space, random), pick(space, random), { length: 20, artistGap: 3 })),
  };
}

const results = SIZES.map(measure);
const [base, big] = results as [(typeof results)[0], (typeof results)[0]];
const fmt = (n: number) => n.toFixed(n < 10 ? 2 : 1);
console.log(`Playlists on synthetic libraries (${TRACKS_PER_ARTIST} tracks per artist, ${base.dimensions} dimensions; ${QUERIES} queries each, ${PATHS} paths; Node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'})\n`);
console.log(`| measure | ${base.size.toLocaleString('en-US')} tracks | ${big.size.toLocaleString('en-US')} tracks | ratio |\n| --- | --- | --- | --- |`);
const rows: [string, (r: typeof base) => number][] = [
  ['buildSimilaritySpace without the MusiCNN block, ms', (r) => r.withoutMs],
  ['buildSimilaritySpace, ms', (r) => r.buildMs],
  ['space held without the MusiCNN block, MB', (r) => r.withoutMb],
  ['space held (heap + array buffers after build), MB', (r) => r.heldMb],
  ['of which the vectors, MB', (r) => r.vectorsMb],
  ...([['1 seed', 'one'], ['3 seeds', 'three'], ['1 seed + filters', 'oneFiltered'], ['3 seeds + filters', 'threeFiltered']] as const).flatMap(([name, key]): [string, (r: typeof base) => number][] => [
    [`similarTracks ${name}, 25 tracks: p50 ms`, (r) => r[key].p50], [`similarTracks ${name}, 25 tracks: p95 ms`, (r) => r[key].p95]]),
  ['pathBetween 20 tracks: p50 ms', (r) => r.path.p50],
  ['pathBetween 20 tracks: p95 ms', (r) => r.path.p95],
  ['readMusicnnMeans (stored means), ms', (r) => r.readMs],
  [`readMusicnnMeans (rows from before migration 009: ${PATCHES} patches a track averaged), ms`, (r) => r.readOldMs],
];
for (const [name, value] of rows) console.log(`| ${name} | ${fmt(value(base))} | ${fmt(value(big))} | ${fmt(value(big) / value(base))}× |`);
console.log(`\nFilters: genres ${FILTERS.genres!.join(', ')}, tempo ${FILTERS.tempo!.join('–')} BPM, energy ${FILTERS.energy!.join('–')}, danceability ${FILTERS.danceability!.join('–')}. Script: ${path.relative(process.cwd(), fileURLToPath(import.meta.url))}`);

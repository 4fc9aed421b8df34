/**
 * Do the library map's neighbourhoods mean anything (`npm run eval:map`)? On
 * the real library built from ../shared/data and analysed by the real scan
 * (the cache `eval:playlists-musicnn` uses, .cache/playlist-musicnn/: the 24
 * songs, the 14 recordings and the 70 GTZAN clips), labelled as the opinion
 * evaluation labels them (`opinionFiles`: songs by their file name through
 * the taxonomy, clips by GTZAN label; the non-music recordings and the music
 * whose genre cannot be told have no label and are left out of the
 * measures, though they are on the map, as in a real library). For k = 5 and
 * 10, the share of a labelled track's k nearest labelled neighbours that
 * share its genre, and that share its broad genre (the genre or its parents:
 * Salsa and Cumbia both Latin), on the map (`fitLayout`, seeded, as stored),
 * in the 200-d MusiCNN embedding it is fitted on (unit vectors, Euclidean),
 * and by chance (the expected share of same-label tracks among the others).
 * Then the same on the map with a fifth of the tracks held out of the fit and
 * placed by their neighbours (`placeByNeighbours`), measured on those.
 * Also without the 62 classical excerpts, which would otherwise dominate.
 * Deterministic given the cache; prints markdown.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../src-main/core/db/open-database.ts';
import { loadTaxonomy } from '../src-main/core/taxonomy/taxonomy-file.ts';
import { broaderGenres } from '../src-main/core/taxonomy/taxonomy.ts';
import { readMapEmbeddings } from '../src-main/core/map/map-embeddings.ts';
import { fitLayout } from '../src-main/core/map/fit-layout.ts';
import { placeByNeighbours } from '../src-main/core/map/place-by-neighbours.ts';
import { mulberry32 } from '../src-main/core/map/seeded-random.ts';
import { opinionFiles } from './opinion-files.ts';
import { analyseSharedLibrary, CACHE, DATA } from './shared-library.ts';

const taxonomy = loadTaxonomy();
const broad = (genre: string) => broaderGenres(taxonomy, genre).at(-1) ?? genre;


/** The labelled files by their cached copy's folder and name. */
const LABELLED = new Map(opinionFiles(DATA).filter((f) => f.genre !== null).map((f) => [`${f.group === 'gtzan-clip' ? 'gtzan' : path.basename(path.dirname(f.file))}/${path.basename(f.file)}`, f] as const));

interface Labelled { row: number; genre: string; broad: string; excerpt: boolean }

/** Mean share of each query's k nearest others (by `distance`, among `pool`) with the same genre and the same broad genre. */
function neighbourShares(queries: Labelled[], pool: Labelled[], k: number, distance: (a: number, b: number) => number): [number, number] {
  let genre = 0, family = 0;
  for (const q of queries) {
    const nearest = pool.filter((p) => p.row !== q.row).map((p) => ({ p, d: distance(q.row, p.row) })).sort((a, b) => a.d - b.d).slice(0, k);
    genre += nearest.filter(({ p }) => p.genre === q.genre).length / k;
    family += nearest.filter(({ p }) => p.broad === q.broad).length / k;
  }
  return [genre / queries.length, family / queries.length];
}

/** The expected shares by chance: each query's same-label share among the pool's other tracks. */
function randomShares(queries: Labelled[], pool: Labelled[]): [number, number] {
  const share = (same: (p: Labelled, q: Labelled) => boolean) => queries.reduce((sum, q) => sum + pool.filter((p) => p.row !== q.row && same(p, q)).length / (pool.filter((p) => p.row !== q.row).length), 0) / queries.length;
  return [share((p, q) => p.genre === q.genre), share((p, q) => p.broad === q.broad)];
}

const euclidean = (vectors: ArrayLike<number>[]) => (a: number, b: number) => {
  let sum = 0;
  for (let d = 0; d < vectors[a]!.length; d++) sum += (vectors[a]![d]! - vectors[b]![d]!) ** 2;
  return sum;
};
const onPlane = (xy: Float32Array) => (a: number, b: number) => (xy[a * 2]! - xy[b * 2]!) ** 2 + (xy[a * 2 + 1]! - xy[b * 2 + 1]!) ** 2;

const dbFile = path.join(CACHE, 'library.db');
fs.mkdirSync(CACHE, { recursive: true });
analyseSharedLibrary(dbFile, true);
const db = openDatabase(dbFile, { access: 'read' });
const embeddings = readMapEmbeddings(db);
const paths = new Map((db.prepare('SELECT id, path FROM tracks').raw().all() as Array<[number, string]>));
db.close();

const labelled: Labelled[] = embeddings.trackIds.flatMap((id, row) => {
  const file = paths.get(id)!;
  const known = LABELLED.get(`${path.basename(path.dirname(file))}/${path.basename(file)}`);
  return known ? [{ row, genre: known.genre!, broad: broad(known.genre!), excerpt: file.endsWith('.first15s.flac') }] : [];
});

const started = performance.now();
const map = fitLayout(embeddings.vectors);
const fitSeconds = (performance.now() - started) / 1000;

// A fifth of the tracks held out of the fit, then placed by their neighbours.
const random = mulberry32(1);
const heldOut = new Set(embeddings.trackIds.map((_, row) => row).filter(() => random() < 0.2));
const fittedRows = embeddings.trackIds.map((_, row) => row).filter((row) => !heldOut.has(row));
const partial = fitLayout(fittedRows.map((row) => embeddings.vectors[row]!));
const placed = placeByNeighbours(fittedRows.map((row) => embeddings.vectors[row]!), partial, [...heldOut].map((row) => embeddings.vectors[row]!));
const incremental = new Float32Array(embeddings.vectors.length * 2);
fittedRows.forEach((row, i) => incremental.set([partial[i * 2]!, partial[i * 2 + 1]!], row * 2));
[...heldOut].forEach((row, i) => incremental.set([placed[i * 2]!, placed[i * 2 + 1]!], row * 2));

const pct = (value: number) => `${(100 * value).toFixed(1)} %`;
console.log(`Library map neighbourhoods: ${embeddings.vectors.length} tracks on the map (${embeddings.model}), ${labelled.length} labelled, fit ${fitSeconds.toFixed(1)} s\n`);
for (const [title, queries, pool] of [
  ['every labelled track', labelled, labelled],
  ['without the 62 classical excerpts', labelled.filter((t) => !t.excerpt), labelled.filter((t) => !t.excerpt)],
  ['held-out fifth placed by neighbours (queries: the placed tracks)', labelled.filter((t) => heldOut.has(t.row)), labelled],
] as const) {
  console.log(`### ${title} (${queries.length} queries)\n`);
  console.log('| k | space | same genre | same broad genre |');
  console.log('|---:|---|---:|---:|');
  for (const k of [5, 10]) {
    const spaces: Array<[string, [number, number]]> = title.startsWith('held-out')
      ? [['map (fit + placed)', neighbourShares(queries, pool, k, onPlane(incremental))], ['map (full fit)', neighbourShares(queries, pool, k, onPlane(map))]]
      : [['map', neighbourShares(queries, pool, k, onPlane(map))]];
    spaces.push(['embedding (200-d)', neighbourShares(queries, pool, k, euclidean(embeddings.vectors))], ['random', randomShares(queries, pool)]);
    for (const [space, [genre, family]] of spaces) console.log(`| ${k} | ${space} | ${pct(genre)} | ${pct(family)} |`);
  }
  console.log('');
}

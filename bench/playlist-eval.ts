/**
 * How good the playlist similarity is (`npm run eval:playlists`), on the 640
 * GTZAN train+valid clips: genre precision@10 of each clip's 10 nearest
 * neighbours by other artists, per weighting, against random; with the shipped
 * model's embedding (leaky: trained on these clips) and with an honest one
 * (the shipped architecture trained on the other artist-grouped half); and
 * the smoothness of paths against shuffled and random playlists.
 * Deterministic; prints markdown.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFeatureTable } from '../src-main/core/model/feature-table.ts';
import { loadTensorFlow } from '../src-main/core/model/tf-runtime.ts';
import { loadGenreModel } from '../src-main/core/model/genre-model.ts';
import { createRandom, permutation } from '../src-main/core/model/prng.ts';
import { DESCRIPTOR_NAMES } from '../src-main/core/features/descriptors.ts';
import { buildSimilaritySpace, pathBetween, shuffledStepDistances, stepDistances, DEFAULT_SPACE_WEIGHTS, type SimilaritySpace, type SpaceTrack, type SpaceWeights } from '../src-main/core/playlists/similarity-space.ts';
import { neighbourPrecision } from '../src-main/core/playlists/neighbour-precision.ts';
import { crossFittedEmbeddings, trainingRecipeOf } from '../src-main/core/learning/cross-fitted-embedding.ts';

const GTZAN = fileURLToPath(new URL('../../shared/data/gtzan/', import.meta.url));
const K = 10;
const PAIRS = 50;
const PATH_LENGTH = 10;
const SHUFFLE_RUNS = 20;
const SEED = 1;

const table = readFeatureTable(path.join(GTZAN, 'features_30_sec.trainval.csv'));
const artists = new Map(fs.readFileSync(path.join(GTZAN, 'artists.tsv'), 'utf8').trim().split('\n').slice(1).map((line) => {
  const [clip, artist, title] = line.split('\t');
  return [clip!, { artist: artist?.trim() || null, title: title?.trim() || null }];
}));
const TEMPO = DESCRIPTOR_NAMES.indexOf('tempo');
const labels = table.labels as string[];

function spaceTracks(rows: readonly number[], embeddings: (Float32Array | null)[]): SpaceTrack[] {
  return rows.map((row, i) => ({
    trackId: row, ...artists.get(table.ids[row]!)!, descriptors: table.rows[row]!, embedding: embeddings[i] ?? null,
    tempo: table.rows[row]![TEMPO]!, durationSec: 30, genres: [labels[row]!],
  }));
}

function precision(rows: readonly number[], embeddings: (Float32Array | null)[], weights: Partial<SpaceWeights>) {
  return neighbourPrecision(buildSimilaritySpace(spaceTracks(rows, embeddings), weights), rows.map((row) => labels[row]!), K);
}

function smoothness(space: SimilaritySpace) {
  const random = createRandom(SEED);
  const n = space.trackIds.length;
  const sums = { path: [0, 0], shuffled: [0, 0], random: [0, 0] };
  const add = (key: keyof typeof sums, steps: { mean: number; max: number }) => {
    sums[key][0]! += steps.mean / PAIRS;
    sums[key][1]! += steps.max / PAIRS;
  };
  for (let pair = 0; pair < PAIRS; pair++) {
    const a = Math.floor(random() * n);
    const b = (a + 1 + Math.floor(random() * (n - 1))) % n;
    const ids = pathBetween(space, a, b, { length: PATH_LENGTH }).map((e) => e.trackId);
    add('path', stepDistances(space, ids));
    add('shuffled', shuffledStepDistances(space, ids, { runs: SHUFFLE_RUNS, seed: SEED + pair, keepEnds: true }));
    const others = Array.from(permutation(n, random)).filter((row) => row !== a && row !== b).slice(0, PATH_LENGTH - 2);
    add('random', stepDistances(space, [a, ...others, b]));
  }
  return sums;
}

const all = table.ids.map((_, row) => row);
const runtime = await loadTensorFlow({ SONORITY_TF_BACKEND: 'wasm' });
const model = await loadGenreModel(runtime);
const shipped = model.predictTracks(table.rows.map((row) => ({ windows: [row], frames: [] }))).map((p) => p.embedding);
model.dispose();
const none = all.map(() => null);
const fmt = (v: number) => v.toFixed(3);
const out: string[] = [];
const only = (block: keyof SpaceWeights): SpaceWeights => ({ timbre: 0, spectrum: 0, harmony: 0, tempo: 0, embedding: 0, musicnn: 0, [block]: 1 });

out.push(`### Genre precision@${K} of artist-excluded neighbours (GTZAN train+valid, ${all.length} clips)\n`);
out.push('| space | precision@10 | random | lift |', '| --- | --- | --- | --- |');
const variants: [string, (Float32Array | null)[], Partial<SpaceWeights>][] = [
  [`descriptors, default weights (${(['timbre', 'spectrum', 'harmony', 'tempo'] as const).map((b) => `${b} ${DEFAULT_SPACE_WEIGHTS[b]}`).join(', ')})`, none, {}],
  ...(['timbre', 'spectrum', 'harmony', 'tempo'] as const).map((b): [string, null[], SpaceWeights] => [`${b} alone`, none, only(b)]),
  ['descriptors, default weights but tempo 0', none, { tempo: 0 }],
  ['descriptors, weights ∝ columns (40, 10, 6, 1)', none, { timbre: 40, spectrum: 10, harmony: 6, tempo: 1 }],
  ['shipped embedding alone (leaky)', shipped, only('embedding')],
  [`descriptors + shipped embedding, default weights (embedding ${DEFAULT_SPACE_WEIGHTS.embedding}) (leaky)`, shipped, {}],
];
for (const [name, embeddings, weights] of variants) {
  const p = precision(all, embeddings, weights);
  out.push(`| ${name} | ${fmt(p.precision)} | ${fmt(p.random)} | ${(p.precision / p.random).toFixed(2)}× |`);
}
out.push(`\nLeaky rows: the shipped model (${model.metadata.id}) was trained on these same ${all.length} clips with their labels, so its embedding has seen every clip and its genre; those figures are optimistic. The honest figures are in the next table.`);
const grid = [1, 2, 4].flatMap((timbre) => [0.5, 1, 2].flatMap((spectrum) => [0.5, 1, 2].flatMap((harmony) => [0, 0.25, 0.5].map((tempo) => ({ timbre, spectrum, harmony, tempo })))));
const best = grid.map((weights) => ({ weights, p: precision(all, none, weights).precision })).reduce((a, b) => (b.p > a.p ? b : a));
out.push(`\nBest of a ${grid.length}-point grid (timbre 1/2/4 × spectrum 0.5/1/2 × harmony 0.5/1/2 × tempo 0/0.25/0.5), descriptors only: ${fmt(best.p)} at ${JSON.stringify(best.weights)}.`);

const recipe = trainingRecipeOf();
const crossFitted = crossFittedEmbeddings(runtime, { rows: table.rows, labels, artists: table.ids.map((id) => artists.get(id)?.artist ?? null) }, recipe.candidate, recipe.epochs, recipe.seed);
const halves = [0, 1].map((h) => all.filter((row) => crossFitted.half[row] === h));
const honest = halves.map((rows) => rows.map((row) => crossFitted.embeddings[row]!));
out.push(`\n### Honest embedding: artist-grouped halves (${halves[0]!.length} / ${halves[1]!.length} clips), neighbours within each half, mean of the two\n`);
out.push(`The honest embedding comes from the shipped architecture (${recipe.candidate.summary}) trained on the other half for the shipped model's ${recipe.epochs} epochs, seed ${recipe.seed}; no artist is in both halves.\n`);
out.push('| space | precision@10 | random |', '| --- | --- | --- |');
const halfVariants: [string, (h: number) => (Float32Array | null)[], Partial<SpaceWeights>][] = [
  ['descriptors, default weights', (h) => halves[h]!.map(() => null), {}],
  ['honest embedding alone (MLP trained on the other half)', (h) => honest[h]!, only('embedding')],
  ...[1, DEFAULT_SPACE_WEIGHTS.embedding, 8, 16].map((embedding): [string, (h: number) => Float32Array[], Partial<SpaceWeights>] => [`descriptors + honest embedding, embedding weight ${embedding}${embedding === DEFAULT_SPACE_WEIGHTS.embedding ? ' (default)' : ''}`, (h) => honest[h]!, { embedding }]),
  ['shipped embedding alone (leaky)', (h) => halves[h]!.map((row) => shipped[row]!), only('embedding')],
  ['descriptors + shipped embedding, default weights (leaky)', (h) => halves[h]!.map((row) => shipped[row]!), {}],
];
for (const [name, embeddings, weights] of halfVariants) {
  const [a, b] = halves.map((rows, h) => precision(rows, embeddings(h), weights));
  out.push(`| ${name} | ${fmt((a!.precision + b!.precision) / 2)} | ${fmt((a!.random + b!.random) / 2)} |`);
}

out.push(`\n### Path smoothness: ${PAIRS} seeded random A→B pairs, ${PATH_LENGTH} tracks, artist gap 3 (step = distance between consecutive tracks)\n`);
out.push('Distances are in each space\'s own units (the mean squared distance between two tracks is twice the sum of the weights): compare rows within a space.\n');
out.push('| space | playlist | mean step | max step |', '| --- | --- | --- | --- |');
for (const [name, embeddings] of [['descriptors, default weights', none], ['descriptors + shipped embedding, default weights', shipped]] as const) {
  const s = smoothness(buildSimilaritySpace(spaceTracks(all, embeddings)));
  out.push(`| ${name} | pathBetween | ${fmt(s.path[0]!)} | ${fmt(s.path[1]!)} |`, `| | same tracks shuffled (ends kept, ${SHUFFLE_RUNS} runs) | ${fmt(s.shuffled[0]!)} | ${fmt(s.shuffled[1]!)} |`, `| | A, ${PATH_LENGTH - 2} random tracks, B | ${fmt(s.random[0]!)} | ${fmt(s.random[1]!)} |`);
}
console.log(out.join('\n'));

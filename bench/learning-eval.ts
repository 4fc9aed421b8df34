/**
 * How well library learning finds wrong genre tags and suggests missing ones:
 * libraries with known genres get 10% of their tags changed to another genre
 * and another 10% removed (5 seeds); `learnLibrary` is scored on finding the
 * changed ones (doubt, flagged) and on its suggestions. `npm run eval:learning`
 * prints markdown tables. Libraries:
 *  1. the GTZAN train+valid feature table (640 clips, artists from
 *     artists.tsv), with descriptors only, with an honest base embedding
 *     (cross-fitted on two artist halves: (b) pools both halves, although
 *     the two networks' units differ; (b′) learns each half alone, in one
 *     network's embedding space, against (a′) the same halves without it),
 *     and with the shipped model's embedding (leaky: it was trained on
 *     these clips);
 *  2. real audio: the 24 songs (genre from the file name) and the 70 GTZAN
 *     clips, analysed as a scan does and embedded by the shipped model, or
 *     instead by MusiCNN (the mean of the track's patch embeddings, as the
 *     scan stores it; MusiCNN never saw these files, so it is not leaky).
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadTensorFlow, describeRuntime, type TfRuntime } from '../src-main/core/model/tf-runtime.ts';
import { readFeatureTable } from '../src-main/core/model/feature-table.ts';
import { loadGenreModel, type GenreModel } from '../src-main/core/model/genre-model.ts';
import { analyseFile, descriptorRows } from '../src-main/core/analysis/analyse-file.ts';
import { meanRows } from '../src-main/core/features/stats.ts';
import { canonicalGenre, createTaxonomy, normaliseGenreKey } from '../src-main/core/taxonomy/taxonomy.ts';
import { DEFAULT_TAXONOMY } from '../src-main/core/taxonomy/default-taxonomy.ts';
import { learnLibrary, type LearningOptions, type LearningTrack } from '../src-main/core/learning/learn-library.ts';
import { crossFittedEmbeddings, trainingRecipeOf } from '../src-main/core/learning/cross-fitted-embedding.ts';
import { scoreTaggingNoise, simulateTaggingNoise, type TaggingNoiseScores } from '../src-main/core/learning/tagging-noise-evaluation.ts';
import { loadMusicnnForAnalysis, type MusicnnModels } from '../src-main/core/musicnn/load-models.ts';
import { oodInputs } from './musicnn-ood-data.ts';

const DATA = path.resolve(import.meta.dirname, '..', '..', 'shared', 'data');
const GTZAN = path.join(DATA, 'gtzan');
const SEEDS = [1, 2, 3, 4, 5];
const COLUMNS: [keyof TaggingNoiseScores, string][] = [
  ['aurocDoubt', 'AUROC doubt (1−p)'], ['aurocMargin', 'AUROC margin'], ['precisionAtK', 'precision@k doubt'], ['precisionAtKMargin', 'precision@k margin'],
  ['flaggedPrecision', 'flagged precision'], ['flaggedRecall', 'flagged recall'],
  ['corruptedSuggestionAccuracy', 'suggestion acc. (changed)'], ['untaggedSuggestionAccuracy', 'suggestion acc. (untagged)'], ['outOfFoldAccuracy', 'out-of-fold acc.'],
];

/** The GTZAN train+valid table as a library: labels as genres, artists from artists.tsv (unknown → null). */
export function gtzanLibrary(): LearningTrack[] {
  const table = readFeatureTable(path.join(GTZAN, 'features_30_sec.trainval.csv'));
  const lines = fs.readFileSync(path.join(GTZAN, 'artists.tsv'), 'utf8').trim().split(/\r?\n/).slice(1);
  const artists = new Map(lines.map((line) => line.split('\t')).map(([clip, artist]) => [clip!, artist?.trim() || null]));
  return table.ids.map((id, i) => ({ trackId: i, artist: artists.get(id) ?? null, descriptors: table.rows[i]!, embedding: null, genre: table.labels[i]! }));
}

/** Learns each seed's noisy copy of each library; the scores and what was learned. */
function evaluate(runtime: TfRuntime, libraries: LearningTrack[][], vocabulary: string[], options: LearningOptions = {}) {
  return libraries.flatMap((tracks) => SEEDS.map((seed) => {
    const library = simulateTaggingNoise(tracks, vocabulary, seed);
    const learning = learnLibrary(runtime, library.tracks, { ...options, seed });
    return { scores: scoreTaggingNoise(library, learning), learning };
  }));
}

/** "a" or "a–b": the range of some counts. */
function range(values: number[]): string {
  const [low, high] = [Math.min(...values), Math.max(...values)];
  return low === high ? String(low) : `${low}–${high}`;
}

/** Mean ± sd of the finite values (a run without wrong tags has no AUROC), with how many there were when not all. */
function meanSd(all: number[]): string {
  const values = all.filter(Number.isFinite);
  if (values.length < 2) return values.length === 1 ? `${values[0]!.toFixed(3)} (1 run)` : 'n/a';
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
  return `${mean.toFixed(3)} ± ${sd.toFixed(3)}${values.length < all.length ? ` (${values.length} runs)` : ''}`;
}

function tableRow(name: string, runs: ReturnType<typeof evaluate>): string {
  const cells = COLUMNS.map(([key]) => meanSd(runs.map((r) => r.scores[key])));
  const seconds = runs.reduce((a, r) => a + r.learning.seconds, 0) / runs.length;
  return `| ${name} | ${runs.length} | ${range(runs.map((r) => r.scores.wrong))} of ${range(runs.map((r) => r.scores.trained))} | ${cells.join(' | ')} | ${seconds.toFixed(2)} |`;
}

const HEADER = `| library | runs | wrong tags trained | ${COLUMNS.map(([, title]) => title).join(' | ')} | s per run |\n|${'---|'.repeat(COLUMNS.length + 4)}`;

/** The cross-fitted base embedding of the GTZAN rows: the shipped architecture and epochs, trained on the other artist half. */
function honestEmbeddings(runtime: TfRuntime, tracks: LearningTrack[]): ReturnType<typeof crossFittedEmbeddings> {
  const { candidate, epochs, seed } = trainingRecipeOf();
  return crossFittedEmbeddings(runtime, { rows: tracks.map((t) => t.descriptors), labels: tracks.map((t) => t.genre!), artists: tracks.map((t) => t.artist) }, candidate, epochs, seed);
}

/** The same tracks with MusiCNN's mean patch embedding in place of the shipped model's (computed once, cached with the OOD study's inputs). */
async function withMusicnnEmbedding(tracks: readonly LearningTrack[], files: readonly string[], model: GenreModel): Promise<LearningTrack[]> {
  let loading: Promise<MusicnnModels> | undefined;
  const musicnn = () => (loading ??= loadMusicnnForAnalysis());
  const out: LearningTrack[] = [];
  for (const [i, track] of tracks.entries()) out.push({ ...track, embedding: meanRows((await oodInputs(files[i]!, model, musicnn)).embeddings) });
  if (loading) await (await loading).dispose();
  return out;
}

/** The songs (genre from the file name) and the GTZAN clips, analysed and embedded by the shipped model; and their files. */
async function audioLibrary(model: GenreModel): Promise<{ tracks: LearningTrack[]; files: string[] }> {
  const songs = fs.readdirSync(path.join(DATA, 'songs')).filter((f) => f.endsWith('.mp3')).sort()
    .map((f) => ({ file: path.join(DATA, 'songs', f), genre: path.basename(f, '.mp3').replaceAll('_', ' '), artist: null }));
  const index = fs.readFileSync(path.join(GTZAN, 'clips', 'index.tsv'), 'utf8').trim().split(/\r?\n/).slice(1).map((line) => line.split('\t'));
  const clips = index.map(([file, , genre, , , artist]) => ({ file: path.join(GTZAN, 'clips', file!), genre: genre!, artist: artist?.trim() || null }));
  const taxonomy = createTaxonomy(DEFAULT_TAXONOMY);
  const tracks: LearningTrack[] = [];
  for (const { file, genre, artist } of [...songs, ...clips]) {
    const analysis = await analyseFile({ path: file });
    const windows = descriptorRows(analysis.windows);
    const descriptors = meanRows(windows);
    const [prediction] = model.predictTracks([{ windows, frames: descriptorRows(analysis.frames) }]);
    tracks.push({ trackId: tracks.length, artist, descriptors, embedding: prediction!.embedding, genre: canonicalGenre(taxonomy, genre) ?? genre });
  }
  return { tracks, files: [...songs, ...clips].map((s) => s.file) };
}

/** The default taxonomy's parent of a genre, as a display name. */
function taxonomyParent(genre: string): string | null {
  const taxonomy = createTaxonomy(DEFAULT_TAXONOMY);
  const parent = taxonomy.byKey.get(normaliseGenreKey(genre))?.parent;
  return parent === undefined ? null : canonicalGenre(taxonomy, parent);
}

/** What each seed's learning decided: the learned genres, roll-ups and exclusions, counted over the seeds. */
function vocabularyReport(runs: ReturnType<typeof evaluate>): string {
  const tally = (items: string[]) => [...new Set(items)].sort().map((item) => `${item} (${items.filter((i) => i === item).length}/${runs.length})`).join(', ');
  return [
    `learned: ${tally(runs.flatMap((r) => r.learning.genres))}`,
    `rolled up: ${tally(runs.flatMap((r) => r.learning.rolledUp.map((u) => `${u.from} → ${u.to}`)))}`,
    `excluded: ${tally(runs.flatMap((r) => r.learning.excluded.map((e) => e.genre)))}`,
  ].map((line) => `- ${line}`).join('\n');
}

if (import.meta.main) {
  const started = performance.now();
  const runtime = await loadTensorFlow();
  const model = await loadGenreModel(runtime);
  const gtzan = gtzanLibrary();
  const labels = [...new Set(gtzan.map((t) => t.genre!))].sort();
  const honest = honestEmbeddings(runtime, gtzan);
  const withHonest = gtzan.map((t, i) => ({ ...t, embedding: honest.embeddings[i]! }));
  const halves = [0, 1].map((h) => withHonest.filter((_, i) => honest.half[i] === h));
  const shipped = model.predictTracks(gtzan.map((t) => ({ windows: [t.descriptors], frames: [] })));
  console.log(`${describeRuntime(runtime)}; seeds ${SEEDS.join(', ')}; mean ± sd over the runs; k = the number of wrong tags among the trained tracks\n`);
  console.log(`GTZAN train+valid table (${gtzan.length} clips)\n\n${HEADER}`);
  console.log(tableRow('(a) descriptors only', evaluate(runtime, [gtzan], labels)));
  console.log(tableRow('(a) with the final fit not pruned of the flagged tags', evaluate(runtime, [gtzan], labels, { prune: false })));
  console.log(tableRow('(b) + cross-fitted embedding, halves pooled', evaluate(runtime, [withHonest], labels)));
  console.log(tableRow('(c) + shipped embedding (leaky)', evaluate(runtime, [gtzan.map((t, i) => ({ ...t, embedding: shipped[i]!.embedding }))], labels)));
  console.log(tableRow('(a′) each artist half alone, descriptors only', evaluate(runtime, halves.map((half) => half.map((t) => ({ ...t, embedding: null }))), labels)));
  console.log(tableRow('(b′) each half alone + the other half\'s base embedding', evaluate(runtime, halves, labels)));
  console.log('\n(b) pools embeddings from two networks, whose hidden units need not mean the same; (b′) against (a′) is the like-for-like measure of an honest embedding.');
  const analysing = performance.now();
  const { tracks: audio, files } = await audioLibrary(model);
  const analysisSeconds = (performance.now() - analysing) / 1000;
  const audioMusicnn = await withMusicnnEmbedding(audio, files, model);
  const tags = [...new Set(audio.map((t) => t.genre!))].sort();
  const anyTag = evaluate(runtime, [audio], tags, { parentOf: taxonomyParent });
  const learned = learnLibrary(runtime, audio, { parentOf: taxonomyParent }).genres;
  const learnedTag = evaluate(runtime, [audio], learned, { parentOf: taxonomyParent });
  console.log(`\nSongs + GTZAN clips (${audio.length} files analysed in ${analysisSeconds.toFixed(0)} s; descriptors + shipped embedding; default taxonomy roll-up).`);
  console.log('The 70 clips are GTZAN train/valid clips, so the shipped model was trained on their table rows (8 bit-exact; the 62 classical files keep only the first 15 s of theirs): their embedding is optimistic.\n');
  console.log(HEADER);
  console.log(tableRow(`changed to any of the ${tags.length} tags`, anyTag));
  console.log(tableRow(`changed to a learned genre (${learned.join(', ')})`, learnedTag));
  const descriptorsOnly = audio.map((t) => ({ ...t, embedding: null }));
  for (const [name, vocabulary] of [['any tag', tags], ['a learned genre', learned]] as const) {
    console.log(tableRow(`descriptors only, changed to ${name}`, evaluate(runtime, [descriptorsOnly], vocabulary, { parentOf: taxonomyParent })));
    console.log(tableRow(`descriptors + MusiCNN mean embedding, changed to ${name}`, evaluate(runtime, [audioMusicnn], vocabulary, { parentOf: taxonomyParent })));
  }
  console.log(`\nChanged to any tag:\n${vocabularyReport(anyTag)}\n\nChanged to a learned genre:\n${vocabularyReport(learnedTag)}`);
  console.log(`\nWall time ${((performance.now() - started) / 1000).toFixed(0)} s`);
  model.dispose();
}

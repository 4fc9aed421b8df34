/**
 * The three library learners side by side on a real library: every file of
 * `../shared/data` whose genre is known (`opinionFiles`: 24 songs, 5
 * recordings, 70 GTZAN clips), each with its descriptors, the GTZAN model's
 * OOD flag and MusiCNN's patch embeddings as a scan computes them (cached by
 * `opinion-experts.ts` and `musicnn-ood-data.ts`). Per seed (5), 10% of the
 * tags are changed to another learned genre and another 10% removed; each
 * learner then learns the noisy library:
 *  - logistic regression on the descriptors (the learner before the CRNN),
 *  - logistic regression on the descriptors + the mean MusiCNN embedding,
 *  - the CRNN (a GRU over the MusiCNN patch sequence);
 * and the first and the last with a final fit on every trusted tag (not
 * pruned of the flagged ones), for the suggestions.
 * Scored: AUROC and precision at k (k = tags changed) of the doubt, flagged
 * precision/recall, suggestion accuracy, and calibration: the ECE of the
 * out-of-fold top genre against the trusted (noisy) tags, which the
 * temperature is fitted to (also before the shrinkage for genres with few
 * examples), and the ECE of the doubt read as the probability
 * that the tag is wrong (10 bins each). `npm run eval:learners`.
 */
import path from 'node:path';
import { describeRuntime, loadTensorFlow } from '../src-main/core/model/tf-runtime.ts';
import { loadGenreModel } from '../src-main/core/model/genre-model.ts';
import { meanRows } from '../src-main/core/features/stats.ts';
import { learnLibrary, type LearningTrack, type LibraryLearning } from '../src-main/core/learning/learn-library.ts';
import type { LearnerName } from '../src-main/core/learning/learners.ts';
import { scoreTaggingNoise, simulateTaggingNoise, type NoisyLibrary } from '../src-main/core/learning/tagging-noise-evaluation.ts';
import { loadMusicnnForAnalysis, type MusicnnModels } from '../src-main/core/musicnn/load-models.ts';
import { createTaxonomy, canonicalGenre, normaliseGenreKey } from '../src-main/core/taxonomy/taxonomy.ts';
import { DEFAULT_TAXONOMY } from '../src-main/core/taxonomy/default-taxonomy.ts';
import { expectedCalibrationError } from '../src-main/core/model/calibration.ts';
import { SHRINK_EXAMPLES } from '../src-main/core/learning/calibration.ts';
import { opinionFiles } from './opinion-files.ts';
import { cachedExpertOutputs, SHARED_DATA } from './opinion-experts.ts';
import { oodInputs } from './musicnn-ood-data.ts';

const SEEDS = [1, 2, 3, 4, 5];
const taxonomy = createTaxonomy(DEFAULT_TAXONOMY);

/** The default taxonomy's parent of a genre, as a display name. */
function taxonomyParent(genre: string): string | null {
  const parent = taxonomy.byKey.get(normaliseGenreKey(genre))?.parent;
  return parent === undefined ? null : canonicalGenre(taxonomy, parent);
}

/** The labelled music files as a library, with every input any learner reads. */
export async function realLibrary(): Promise<{ tracks: LearningTrack[]; files: string[] }> {
  const files = opinionFiles().filter((f) => f.genre !== null && f.music);
  const experts = await cachedExpertOutputs(files.map((f) => f.file));
  const gtzan = await loadGenreModel(await loadTensorFlow());
  let loading: Promise<MusicnnModels> | undefined;
  const tracks: LearningTrack[] = [];
  for (const [i, f] of files.entries()) {
    const e = experts.get(f.file)!;
    const ood = await oodInputs(path.join(SHARED_DATA, f.file), gtzan, () => (loading ??= loadMusicnnForAnalysis()));
    tracks.push({
      trackId: i, artist: f.artist, descriptors: e.descriptors, embedding: null, genre: f.genre,
      sequence: Float32Array.from(ood.embeddings.flat()), outOfDistribution: e.gtzan.outOfDistribution,
    });
  }
  if (loading) await (await loading).dispose();
  gtzan.dispose();
  return { tracks, files: files.map((f) => f.file) };
}

/** Binary ECE (10 equal-width bins) of the doubt as the probability that the trained tag is wrong. */
export function doubtCalibrationError(doubts: number[], wrong: boolean[], bins = 10): number {
  const sums = Array.from({ length: bins }, () => ({ n: 0, doubt: 0, wrong: 0 }));
  doubts.forEach((d, i) => {
    const bin = sums[Math.min(bins - 1, Math.floor(d * bins))]!;
    bin.n++;
    bin.doubt += d;
    bin.wrong += wrong[i] ? 1 : 0;
  });
  return sums.reduce((a, b) => a + Math.abs(b.doubt - b.wrong), 0) / doubts.length;
}

function doubtEce(library: NoisyLibrary, learning: LibraryLearning): number {
  const rolled = new Map(learning.rolledUp.map((r) => [r.from, r.to]));
  const truth = library.truth.map((g) => (learning.genres.includes(g) ? g : rolled.get(g) ?? null));
  const rows = learning.opinions.map((o, i) => [o, i] as const).filter(([o]) => o.doubt !== null);
  return doubtCalibrationError(rows.map(([o]) => o.doubt!), rows.map(([o, i]) => o.givenGenre !== truth[i]));
}

/** The probabilities before the shrinkage towards no opinion (`calibratedProbabilities` undone: it keeps r = n / (n + 10) of the temperature-scaled opinion). */
function beforeShrinking(p: Float32Array, learning: LibraryLearning): Float32Array {
  const n = learning.calibration.examples[p.indexOf(Math.max(...p))]!;
  const r = n / (n + SHRINK_EXAMPLES);
  return p.map((q) => (q - (1 - r) / p.length) / r);
}

/** ECE (10 bins) of the out-of-fold top genre against the genre each trained track was trained as; `raw`: with the temperature only. */
function topGenreEce(learning: LibraryLearning, raw = false): number {
  const trained = learning.opinions.filter((o) => o.outOfFold);
  return expectedCalibrationError(trained.map((o) => (raw ? beforeShrinking(o.probabilities, learning) : o.probabilities)), trained.map((o) => learning.genres.indexOf(o.givenGenre!)), 10);
}

function meanSd(values: number[]): string {
  const finite = values.filter(Number.isFinite);
  const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
  const sd = Math.sqrt(finite.reduce((a, v) => a + (v - mean) ** 2, 0) / Math.max(finite.length - 1, 1));
  return `${mean.toFixed(3)} ± ${sd.toFixed(3)}`;
}

if (import.meta.main) {
  const started = performance.now();
  const runtime = await loadTensorFlow();
  const { tracks } = await realLibrary();
  const withMean = tracks.map((t) => ({ ...t, embedding: t.sequence!.length ? meanRows(Array.from({ length: t.sequence!.length / 200 }, (_, i) => t.sequence!.subarray(i * 200, (i + 1) * 200))) : new Float32Array(200) }));
  const learned = learnLibrary(runtime, tracks, { parentOf: taxonomyParent, learner: 'regression' }).genres;
  console.log(`${describeRuntime(runtime)}; ${tracks.length} labelled music files of ../shared/data; tags changed to a learned genre (${learned.join(', ')}): 10% changed, 10% removed; seeds ${SEEDS.join(', ')}; mean ± sd\n`);
  const learners: [string, LearningTrack[], LearnerName, boolean][] = [
    ['regression, descriptors', tracks, 'regression', true],
    ['regression, descriptors + mean MusiCNN', withMean, 'regression', true],
    ['CRNN (GRU over MusiCNN patches)', tracks, 'crnn', true],
    ['regression, descriptors, final fit not pruned', tracks, 'regression', false],
    ['CRNN, final fit not pruned', tracks, 'crnn', false],
  ];
  console.log('| learner | AUROC doubt | precision@k | flagged precision | flagged recall | suggestion acc. (changed) | suggestion acc. (untagged) | out-of-fold acc. | top-genre ECE | (temperature only) | doubt ECE | temperature | s per run |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const [name, library, learner, prune] of learners) {
    const runs = SEEDS.map((seed) => {
      const noisy = simulateTaggingNoise(library, learned, seed);
      const learning = learnLibrary(runtime, noisy.tracks, { parentOf: taxonomyParent, seed, learner, prune });
      return { scores: scoreTaggingNoise(noisy, learning), ece: doubtEce(noisy, learning), topEce: topGenreEce(learning), topEceTemperatureOnly: topGenreEce(learning, true), learning };
    });
    const cell = (f: (r: (typeof runs)[number]) => number) => meanSd(runs.map(f));
    console.log(`| ${name} | ${cell((r) => r.scores.aurocDoubt)} | ${cell((r) => r.scores.precisionAtK)} | ${cell((r) => r.scores.flaggedPrecision)} | ${cell((r) => r.scores.flaggedRecall)} | ${cell((r) => r.scores.corruptedSuggestionAccuracy)} | ${cell((r) => r.scores.untaggedSuggestionAccuracy)} | ${cell((r) => r.scores.outOfFoldAccuracy)} | ${cell((r) => r.topEce)} | ${cell((r) => r.topEceTemperatureOnly)} | ${cell((r) => r.ece)} | ${cell((r) => r.learning.calibration.temperature)} | ${(runs.reduce((a, r) => a + r.learning.seconds, 0) / runs.length).toFixed(1)} |`);
  }
  console.log(`\nWall time ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

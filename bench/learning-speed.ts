/**
 * How long library learning takes as the library grows, for both learners
 * and on every TensorFlow.js backend available, in one run: a synthetic
 * library of 1,000 and of 10,000 tracks in 20 genres (per-genre Gaussian
 * descriptors, 64-d base embeddings and MusiCNN-like 200-d patch sequences
 * of realistic length, ~5 tracks per artist, 10% untagged, seeded), each
 * learned end to end by `learnLibrary` (5 artist-grouped folds, calibration,
 * the final fit without the flagged tags). Backends: wasm and cpu, and
 * tensorflow (tfjs-node) where it is installed. `npm run bench:learning`.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { TfRuntime } from '../src-main/core/model/tf-runtime.ts';
import { nativeTensorFlowInstalled, loadTensorFlow } from '../src-main/core/model/tf-runtime.ts';
import { createRandom } from '../src-main/core/model/prng.ts';
import { DESCRIPTOR_NAMES } from '../src-main/core/features/descriptors.ts';
import { MUSICNN_EMBEDDING_SIZE } from '../src-main/core/musicnn/model-metadata.ts';
import { learnLibrary, type LearningTrack } from '../src-main/core/learning/learn-library.ts';
import type { LearnerName } from '../src-main/core/learning/learners.ts';

const GENRES = 20;
const TRACKS_PER_ARTIST = 5;
const EMBEDDING_WIDTH = 64;
/** Patches of a track: three 30-s windows give 3 × 18 (most tracks); a track under 70 s gets one window, 18. */
const LONG_TRACK_PATCHES = 54;
const SHORT_TRACK_PATCHES = 18;

/** A standard normal draw (Box–Muller) from a uniform generator. */
function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * `count` tracks: each artist has a genre (10% of its tracks take another)
 * and an offset of its own; a track is its genre's centre + its artist's
 * offset + noise. Variance descriptors are exponentiated so they are positive,
 * as real ones are. Each patch of the sequence is the track's MusiCNN-like
 * centre plus patch noise; 80% of tracks have 54 patches, the rest 18.
 */
export function syntheticLearningLibrary(count: number, seed: number): LearningTrack[] {
  const random = createRandom(seed);
  const width = DESCRIPTOR_NAMES.length + EMBEDDING_WIDTH + MUSICNN_EMBEDDING_SIZE;
  const centres = Array.from({ length: GENRES }, () => Float64Array.from({ length: width }, () => 0.3 * gaussian(random)));
  const artists = Math.ceil(count / TRACKS_PER_ARTIST);
  const offsets = Array.from({ length: artists }, () => Float64Array.from({ length: width }, () => 0.5 * gaussian(random)));
  return Array.from({ length: count }, (_, trackId) => {
    const artist = Math.floor(random() * artists);
    const genre = random() < 0.9 ? artist % GENRES : Math.floor(random() * GENRES);
    const values = centres[genre]!.map((c, j) => c + offsets[artist]![j]! + 1.5 * gaussian(random));
    const descriptors = Float64Array.from(DESCRIPTOR_NAMES, (name, j) => (name.endsWith('_var') ? Math.exp(values[j]!) : values[j]!));
    const musicnn = values.subarray(DESCRIPTOR_NAMES.length + EMBEDDING_WIDTH);
    const patches = random() < 0.8 ? LONG_TRACK_PATCHES : SHORT_TRACK_PATCHES;
    const sequence = Float32Array.from({ length: patches * MUSICNN_EMBEDDING_SIZE }, (_, k) => musicnn[k % MUSICNN_EMBEDDING_SIZE]! + gaussian(random));
    return {
      trackId, artist: `Artist ${artist}`, descriptors, embedding: Float32Array.from(values.subarray(DESCRIPTOR_NAMES.length, DESCRIPTOR_NAMES.length + EMBEDDING_WIDTH)),
      sequence, genre: random() < 0.1 ? null : `Genre ${genre + 1}`,
    };
  });
}

/** One timed run: seconds end to end and the growth of the heap and RSS. */
function timeLearning(runtime: TfRuntime, tracks: LearningTrack[], learner: LearnerName) {
  const before = process.memoryUsage();
  const started = performance.now();
  const learning = learnLibrary(runtime, tracks, { learner });
  const seconds = (performance.now() - started) / 1000;
  const after = process.memoryUsage();
  return { seconds, rssMb: (after.rss - before.rss) / 2 ** 20, accuracy: learning.outOfFoldAccuracy };
}

/** The portable backends, and tfjs-node's where it is installed. */
async function runtimes(): Promise<(() => Promise<TfRuntime>)[]> {
  const portable = (backend: 'wasm' | 'cpu') => async () => {
    tf.enableProdMode();
    await tf.setBackend(backend);
    await tf.ready();
    return { tf, backend, source: '@tensorflow/tfjs' } as TfRuntime;
  };
  return [portable('wasm'), portable('cpu'), ...(nativeTensorFlowInstalled() ? [() => loadTensorFlow()] : [])];
}

if (import.meta.main) {
  const libraries = new Map([1_000, 10_000].map((count) => [count, syntheticLearningLibrary(count, 1)]));
  console.log(`library learning, ${GENRES} genres; CRNN sequences of ${LONG_TRACK_PATCHES} (80%) or ${SHORT_TRACK_PATCHES} patches; tfjs-node ${nativeTensorFlowInstalled() ? 'installed' : 'not installed'}\n`);
  console.log('| backend | learner | tracks | seconds | out-of-fold acc. | RSS growth MB |\n|---|---|---|---|---|---|');
  for (const load of await runtimes()) {
    const runtime = await load();
    for (const learner of ['regression', 'crnn'] as const) {
      learnLibrary(runtime, syntheticLearningLibrary(100, 7), { learner }); // warm-up: the first run compiles kernels
      for (const [count, tracks] of libraries) {
        const r = timeLearning(runtime, tracks, learner);
        console.log(`| ${runtime.backend} | ${learner} | ${count.toLocaleString('en')} | ${r.seconds.toFixed(1)} | ${r.accuracy.toFixed(3)} | ${r.rssMb.toFixed(0)} |`);
      }
    }
  }
}

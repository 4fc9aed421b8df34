/**
 * How long library learning takes as the library grows: a synthetic library
 * (per-genre Gaussian descriptors and 64-d embeddings, ~5 tracks per artist,
 * 10% untagged, seeded) of 1,000 and of 10,000 tracks in 20 genres, each
 * learned end to end by `learnLibrary` (5 artist-grouped folds + the final
 * fit). `npm run bench:learning`; set SONORITY_TF_BACKEND=wasm to time the
 * portable backend whatever is installed.
 */
import { loadTensorFlow, type TfRuntime } from '../src-main/core/model/tf-runtime.ts';
import { createRandom } from '../src-main/core/model/prng.ts';
import { DESCRIPTOR_NAMES } from '../src-main/core/features/descriptors.ts';
import { learnLibrary, type LearningTrack } from '../src-main/core/learning/learn-library.ts';

const GENRES = 20;
const TRACKS_PER_ARTIST = 5;
const EMBEDDING_WIDTH = 64;

/** A standard normal draw (Box–Muller) from a uniform generator. */
function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * `count` tracks: each artist has a genre (10% of its tracks take another)
 * and an offset of its own; a track is its genre's centre + its artist's
 * offset + noise. Variance descriptors are exponentiated so they are positive,
 * as real ones are.
 */
export function syntheticLearningLibrary(count: number, seed: number): LearningTrack[] {
  const random = createRandom(seed);
  const width = DESCRIPTOR_NAMES.length + EMBEDDING_WIDTH;
  const centres = Array.from({ length: GENRES }, () => Float64Array.from({ length: width }, () => 0.3 * gaussian(random)));
  const artists = Math.ceil(count / TRACKS_PER_ARTIST);
  const offsets = Array.from({ length: artists }, () => Float64Array.from({ length: width }, () => 0.5 * gaussian(random)));
  return Array.from({ length: count }, (_, trackId) => {
    const artist = Math.floor(random() * artists);
    const genre = random() < 0.9 ? artist % GENRES : Math.floor(random() * GENRES);
    const values = centres[genre]!.map((c, j) => c + offsets[artist]![j]! + 1.5 * gaussian(random));
    const descriptors = Float64Array.from(DESCRIPTOR_NAMES, (name, j) => (name.endsWith('_var') ? Math.exp(values[j]!) : values[j]!));
    return {
      trackId, artist: `Artist ${artist}`, descriptors, embedding: Float32Array.from(values.subarray(DESCRIPTOR_NAMES.length)),
      genre: random() < 0.1 ? null : `Genre ${genre + 1}`,
    };
  });
}

/** One timed run: seconds end to end and the growth of the heap and RSS. */
function timeLearning(runtime: TfRuntime, tracks: LearningTrack[]): { seconds: number; heapMb: number; rssMb: number; accuracy: number; inputs: number } {
  const before = process.memoryUsage();
  const started = performance.now();
  const learning = learnLibrary(runtime, tracks);
  const seconds = (performance.now() - started) / 1000;
  const after = process.memoryUsage();
  return {
    seconds, heapMb: (after.heapUsed - before.heapUsed) / 2 ** 20, rssMb: (after.rss - before.rss) / 2 ** 20,
    accuracy: learning.outOfFoldAccuracy, inputs: DESCRIPTOR_NAMES.length + (learning.usedEmbedding ? EMBEDDING_WIDTH : 0),
  };
}

if (import.meta.main) {
  const runtime = await loadTensorFlow();
  console.log(`library learning, ${GENRES} genres, ${runtime.backend} backend (${runtime.source})`);
  learnLibrary(runtime, syntheticLearningLibrary(200, 7)); // warm-up: the first run compiles kernels
  const results = [1_000, 10_000].map((count) => {
    const result = timeLearning(runtime, syntheticLearningLibrary(count, 1));
    console.log(`${count.toLocaleString('en')} tracks (${result.inputs} inputs): ${result.seconds.toFixed(2)} s, out-of-fold accuracy ${result.accuracy.toFixed(3)}, heap ${result.heapMb >= 0 ? '+' : ''}${result.heapMb.toFixed(1)} MB, RSS ${result.rssMb >= 0 ? '+' : ''}${result.rssMb.toFixed(1)} MB`);
    return result;
  });
  console.log(`10,000 / 1,000 tracks: ${(results[1]!.seconds / results[0]!.seconds).toFixed(2)}× the time`);
}

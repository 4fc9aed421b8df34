/**
 * Real expert outputs for one audio file, as the combined genre opinion
 * (`src-main/core/opinion/`) reads them: the shipped GTZAN descriptor model's
 * calibrated probabilities and out-of-distribution verdict, and MusiCNN's 50
 * tag probabilities (the mean over its patches). Used by `npm run
 * eval:opinion` (which caches them in `.cache/opinion/`) and by
 * `test/opinion.test.ts` (which computes them).
 *
 * MusiCNN runs on onnxruntime-node from the ONNX model that
 * `scripts/tfjs-to-onnx.ts` converts (50 ms; into `.cache/opinion/` when the
 * repository has no converted model). Its patches are those of the analysed
 * windows (the descriptor stage's windows: the whole track up to 31 s, else
 * three 30-second windows spread over it), so both experts hear the same audio.
 */
import fs from 'node:fs';
import path from 'node:path';
import { analyseFile, descriptorRows } from '../src-main/core/analysis/analyse-file.ts';
import { DECODE_SAMPLE_RATE, decodeAudio } from '../src-main/core/decode/decoder.ts';
import { meanRows } from '../src-main/core/features/stats.ts';
import { planWindows } from '../src-main/core/features/track-windows.ts';
import { loadGenreModel, type GenreModel } from '../src-main/core/model/genre-model.ts';
import { loadTensorFlow } from '../src-main/core/model/tf-runtime.ts';
import { MUSICNN_SAMPLE_RATE } from '../src-main/core/musicnn/input-definition.ts';
import { musicnnMel } from '../src-main/core/musicnn/mel-input.ts';
import { packPatches, patchStarts } from '../src-main/core/musicnn/patches.ts';
import { loadMusicnnOnnx, type MusicnnOnnx } from '../src-main/core/onnx/musicnn-onnx.ts';
import { MUSICNN_TAGS } from '../src-main/core/taxonomy/musicnn-tags.ts';
import { convertMusicnn } from '../scripts/tfjs-to-onnx.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..');
export const SHARED_DATA = path.resolve(REPO_ROOT, '..', 'shared', 'data');
export const OPINION_CACHE = path.join(REPO_ROOT, '.cache', 'opinion');

/** What the two audio experts say about one file. */
export interface FileExperts {
  gtzan: {
    modelId: string;
    /** Model labels, in the order of `probabilities`. */
    labels: string[];
    probabilities: number[];
    oodScore: number;
    outOfDistribution: boolean;
    /** The model's 64-value embedding (mean over windows), an input of the library model. */
    embedding: number[];
  };
  /** The 57 descriptors, mean over the analysed windows (GTZAN column order), an input of the library model. */
  descriptors: number[];
  /** Null when the file is shorter than one MusiCNN patch (about 3 s). */
  musicnn: {
    modelId: string;
    patches: number;
    /** Mean over patches of the 50 tag probabilities, in `MUSICNN_TAGS` order. */
    tags: number[];
  } | null;
}

/** The two loaded experts. */
export interface Experts {
  gtzan: GenreModel;
  musicnn: MusicnnOnnx;
  musicnnId: string;
  run(file: string): Promise<FileExperts>;
  close(): Promise<void>;
}

/** The repository's converted MusiCNN if there is one, else a conversion into `dir`. */
function musicnnOnnxFile(dir: string): string {
  const shipped = path.join(REPO_ROOT, 'models', 'msd-musicnn-1', 'msd-musicnn-1.onnx');
  if (fs.existsSync(shipped)) return shipped;
  const source = fs.existsSync(path.join(REPO_ROOT, 'models', 'msd-musicnn-1', 'model.json'))
    ? path.join(REPO_ROOT, 'models', 'msd-musicnn-1')
    : path.resolve(REPO_ROOT, '..', 'shared', 'models', 'msd-musicnn-1');
  const file = path.join(dir, 'msd-musicnn-1.onnx');
  convertMusicnn(source, file);
  return file;
}

/** MusiCNN's mean tag probabilities over the patches of the analysed windows of 16-kHz `samples`. */
async function musicnnTags(model: MusicnnOnnx, samples: Float32Array): Promise<{ patches: number; tags: number[] } | null> {
  const toRate = (n: number, from: number, to: number) => Math.round((n * to) / from);
  const windows = planWindows(toRate(samples.length, MUSICNN_SAMPLE_RATE, DECODE_SAMPLE_RATE)).map((w) => {
    const start = toRate(w.start, DECODE_SAMPLE_RATE, MUSICNN_SAMPLE_RATE);
    return samples.subarray(start, Math.min(samples.length, start + toRate(w.length, DECODE_SAMPLE_RATE, MUSICNN_SAMPLE_RATE)));
  });
  const sums = new Float64Array(MUSICNN_TAGS.length);
  let patches = 0;
  for (const window of windows) {
    const mel = musicnnMel(window);
    const starts = patchStarts(mel.frames);
    for (let first = 0; first < starts.length; first += 16) {
      const batch = starts.slice(first, first + 16);
      const out = await model.run(packPatches(mel.bands, batch), batch.length);
      for (let i = 0; i < out.tags.length; i++) sums[i % MUSICNN_TAGS.length]! += out.tags[i]!;
      patches += batch.length;
    }
  }
  return patches === 0 ? null : { patches, tags: Array.from(sums, (sum) => sum / patches) };
}

/**
 * Loads the shipped GTZAN model (TensorFlow.js, wasm unless
 * `SONORITY_TF_BACKEND` says otherwise) and MusiCNN on onnxruntime-node
 * (`threads` intra-op threads). `workDir` receives the ONNX conversion when
 * the repository has none.
 */
export async function loadExperts(workDir: string, threads = 1): Promise<Experts> {
  fs.mkdirSync(workDir, { recursive: true });
  const gtzan = await loadGenreModel(await loadTensorFlow({ SONORITY_TF_BACKEND: process.env.SONORITY_TF_BACKEND ?? 'wasm' }));
  const musicnn = await loadMusicnnOnnx(musicnnOnnxFile(workDir), threads);
  const musicnnId = 'msd-musicnn-1';
  return {
    gtzan, musicnn, musicnnId,
    async run(file) {
      const analysis = await analyseFile({ path: file });
      const [prediction] = gtzan.predictTracks([{ windows: descriptorRows(analysis.windows), frames: descriptorRows(analysis.frames) }]);
      const tags = await musicnnTags(musicnn, await decodeAudio(file, { sampleRate: MUSICNN_SAMPLE_RATE }));
      return {
        gtzan: {
          modelId: gtzan.metadata.id, labels: [...gtzan.metadata.labels], probabilities: Array.from(prediction!.probabilities),
          oodScore: prediction!.oodScore, outOfDistribution: prediction!.outOfDistribution, embedding: Array.from(prediction!.embedding),
        },
        descriptors: Array.from(meanRows(descriptorRows(analysis.windows))),
        musicnn: tags && { modelId: musicnnId, ...tags },
      };
    },
    async close() {
      gtzan.dispose();
      await musicnn.release();
    },
  };
}

/** Bump when what `run` computes changes, so cached outputs are recomputed. */
const CACHE_VERSION = 'opinion-experts-v1';

/**
 * The expert outputs of each file (paths relative to `data`), from
 * `.cache/opinion/experts.json` where the file (size, mtime) and the models
 * are unchanged, else computed (loading the experts only then) and cached.
 */
export async function cachedExpertOutputs(files: readonly string[], data: string = SHARED_DATA, log: (line: string) => void = () => {}): Promise<Map<string, FileExperts>> {
  const cacheFile = path.join(OPINION_CACHE, 'experts.json');
  const cached = fs.existsSync(cacheFile) ? (JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as Record<string, { key: string; outputs: FileExperts }>) : {};
  const gtzanId = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'models', 'genre-gtzan', 'genre-model.json'), 'utf8')) as { id: string }).id;
  const keyOf = (file: string) => {
    const stat = fs.statSync(path.join(data, file));
    return `${CACHE_VERSION}|${gtzanId}|msd-musicnn-1|${stat.size}|${stat.mtimeMs}`;
  };
  const result = new Map<string, FileExperts>();
  let experts: Experts | undefined;
  try {
    for (const [i, file] of files.entries()) {
      const key = keyOf(file);
      const hit = cached[file];
      if (hit?.key === key) {
        result.set(file, hit.outputs);
        continue;
      }
      experts ??= await loadExperts(OPINION_CACHE);
      const started = performance.now();
      const outputs = await experts.run(path.join(data, file));
      log(`  [${i + 1}/${files.length}] ${file}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
      cached[file] = { key, outputs };
      result.set(file, outputs);
      fs.mkdirSync(OPINION_CACHE, { recursive: true });
      fs.writeFileSync(cacheFile, JSON.stringify(cached));
    }
  } finally {
    await experts?.close();
  }
  return result;
}

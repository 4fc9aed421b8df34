import fs from 'node:fs';
import path from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { SonorityError } from '../errors.ts';
import { concatFloat32 } from '../typed-arrays.ts';
import { loadTensorFlow, nativeTensorFlowInstalled, type Tf } from '../model/tf-runtime.ts';
import { musicnnPartFiles } from '../onnx/musicnn-files.ts';
import { loadMusicnnSharedFrontEnd } from '../onnx/musicnn-shared-frontend.ts';
import { loadDiskGraphModel } from './graph-model-files.ts';
import { MUSICNN_BANDS, MUSICNN_PATCH_FRAMES } from './input-definition.ts';
import { DEFAULT_MUSICNN_DIR, MUSICNN_NODES } from './model-metadata.ts';
import { packPatches } from './patches.ts';

/** The runtimes that can run the MusiCNN tagger. */
export type MusicnnRuntimeName = 'tfjs' | 'onnx';

/** The tagger's outputs for a batch of patches, row-major by patch. */
export interface TaggerOutputs {
  /** `patches × 50` tag probabilities. */
  tags: Float32Array;
  /** `patches × 200` embedding (the dense layer after its ReLU). */
  embedding: Float32Array;
}

/** The MusiCNN tagger on one runtime: mel patches in, tags and embedding out. */
export interface MusicnnTagger {
  runtime: MusicnnRuntimeName;
  /** The runtime in words, with its backend or threads (stored with each analysis). */
  describe: string;
  /** Why this runtime runs when the preferred one could not (for the log), if so. */
  note?: string;
  /** Patches per model call that suit this runtime: `predictPatches`' default. */
  batchSize: number;
  /** Runs `count` patches laid out one after another (`count × 187 × 96` values). */
  run(patches: Float32Array, count: number): Promise<TaggerOutputs>;
  /**
   * The outputs of the patches starting at `starts` of one mel input
   * (`bands`, row-major `frames × 96`), in `starts` order, at most
   * `batchSize` patches per model call. TensorFlow.js packs the patches and
   * runs the whole graph on each batch; onnxruntime shares the front-end
   * between overlapping patches (`loadMusicnnSharedFrontEnd`).
   */
  predict(bands: Float32Array, starts: readonly number[], batchSize: number): Promise<TaggerOutputs>;
  /** Frees the model. */
  dispose(): Promise<void>;
}

/** The ONNX conversion of the tagger in model folder `dir`, where `npm run convert:musicnn` writes it (run by `npm ci`) with its two parts beside it (`musicnnPartFiles`). */
export function musicnnOnnxFile(dir: string): string {
  return path.join(dir, 'msd-musicnn-1.onnx');
}

/** The shipped tagger's ONNX conversion. */
export const DEFAULT_MUSICNN_ONNX = musicnnOnnxFile(DEFAULT_MUSICNN_DIR);

/** Whether the ONNX parts the onnxruntime tagger runs (`musicnnPartFiles`) are beside `file`. */
export function musicnnOnnxAvailable(file: string = DEFAULT_MUSICNN_ONNX): boolean {
  return Object.values(musicnnPartFiles(file)).every((part) => fs.existsSync(part));
}

/** The environment variable that forces a runtime (`tfjs` or `onnx`). */
const MUSICNN_RUNTIME_SETTING = 'SONORITY_MUSICNN_RUNTIME';

/** The runtime `SONORITY_MUSICNN_RUNTIME` forces, if set; `bad-setting` when it names another. */
export function forcedMusicnnRuntime(env: NodeJS.ProcessEnv): MusicnnRuntimeName | undefined {
  const value = env[MUSICNN_RUNTIME_SETTING];
  if (!value) return undefined;
  if (value === 'tfjs' || value === 'onnx') return value;
  throw new SonorityError('bad-setting', `${MUSICNN_RUNTIME_SETTING} must be "tfjs" or "onnx", not "${value}"`);
}

/** Runs the tagger graph on `count` patches and reads both outputs back, disposing every tensor it made. */
async function runGraph(tf: Tf, graph: TF.GraphModel, patches: Float32Array, count: number): Promise<TaggerOutputs> {
  const outputs = tf.tidy(() => {
    const input = tf.tensor3d(patches, [count, MUSICNN_PATCH_FRAMES, MUSICNN_BANDS]);
    return graph.execute({ [MUSICNN_NODES.input]: input }, [MUSICNN_NODES.tags, MUSICNN_NODES.embedding]) as TF.Tensor[];
  });
  try {
    const [tags, embedding] = await Promise.all(outputs.map((tensor) => tensor.data<'float32'>()));
    return { tags: tags!, embedding: embedding! };
  } finally {
    tf.dispose(outputs);
  }
}

/**
 * Patches per call on TensorFlow.js: on wasm (one thread) the cost per patch
 * is the same at 1, 8 and 32 within noise (`npm run bench:musicnn`); 8 makes
 * fewer calls and keeps each input small (0.6 MB).
 */
const TFJS_BATCH = 8;
/**
 * Patches per back-end call on onnxruntime-node: one. Per patch it is as fast
 * as eight (25.9 against 27.0 ms on one thread, 3 songs), and the worker's
 * peak RSS grows by 100 MB instead of 360 MB (both without the memory arena).
 */
const ONNX_BATCH = 1;

/** Runs `run` on the patches of `bands` starting at `starts`, packed `batchSize` at a time, and joins the outputs. */
async function runPacked(run: MusicnnTagger['run'], bands: Float32Array, starts: readonly number[], batchSize: number): Promise<TaggerOutputs> {
  const outputs: TaggerOutputs[] = [];
  for (let first = 0; first < starts.length; first += batchSize) {
    const batch = starts.slice(first, first + batchSize);
    outputs.push(await run(packPatches(bands, batch), batch.length));
  }
  return { tags: concatFloat32(outputs.map((out) => out.tags)), embedding: concatFloat32(outputs.map((out) => out.embedding)) };
}

/** Loads the tagger (`model.json` in `dir`) on TensorFlow.js, on whatever backend `tf` runs. */
export async function loadTfjsTagger(tf: Tf, dir: string = DEFAULT_MUSICNN_DIR): Promise<MusicnnTagger> {
  const graph = await loadDiskGraphModel(tf, dir, 'the MusiCNN model');
  const run = (patches: Float32Array, count: number) => runGraph(tf, graph, patches, count);
  return {
    runtime: 'tfjs',
    describe: `TensorFlow.js ${tf.getBackend()}`,
    batchSize: TFJS_BATCH,
    run,
    predict: (bands, starts, batchSize) => runPacked(run, bands, starts, batchSize),
    dispose: async () => graph.dispose(),
  };
}

/**
 * Loads the ONNX conversion of the tagger (the two parts beside `file`,
 * `musicnnPartFiles`) on onnxruntime-node's CPU provider with one intra-op
 * thread (each analysis worker is one thread of its own). `model-missing`
 * when a part is not there, `model-invalid` when onnxruntime refuses one.
 */
export async function loadOnnxTagger(file: string = DEFAULT_MUSICNN_ONNX): Promise<MusicnnTagger> {
  const missing = Object.values(musicnnPartFiles(file)).find((part) => !fs.existsSync(part));
  if (missing) throw new SonorityError('model-missing', `no ONNX MusiCNN model at ${missing} (npm run convert:musicnn writes it)`);
  const model = await loadMusicnnSharedFrontEnd(file, 1).catch((error: Error) => {
    throw new SonorityError('model-invalid', `onnxruntime-node cannot load ${file}'s front-end and back-end: ${error.message}`);
  });
  return {
    runtime: 'onnx',
    describe: model.describe,
    batchSize: ONNX_BATCH,
    run: (patches, count) => model.run(patches, count),
    predict: (bands, starts, batchSize) => model.predict(bands, starts, batchSize),
    dispose: () => model.release(),
  };
}

/** TensorFlow.js when it runs natively here (tfjs-node or tfjs-node-gpu installed and loading), else undefined; nothing is loaded without a native package. */
async function nativeTensorFlow(env: NodeJS.ProcessEnv): Promise<Tf | undefined> {
  if (!nativeTensorFlowInstalled(env)) return undefined;
  const runtime = await loadTensorFlow(env);
  return runtime.backend === 'tensorflow' ? runtime.tf : undefined;
}

/**
 * Loads the tagger on the runtime Sonority picks: `SONORITY_MUSICNN_RUNTIME`
 * when set; else TensorFlow.js when it runs natively (tfjs-node or
 * tfjs-node-gpu installed: the product's declared fast path); else
 * onnxruntime-node when the ONNX model exists and loads; else TensorFlow.js
 * on its portable backend (wasm), with the reason the ONNX model was not
 * used as its `note`. TensorFlow.js is loaded only when it runs the tagger.
 */
export async function loadChosenTagger(env: NodeJS.ProcessEnv, dir: string = DEFAULT_MUSICNN_DIR): Promise<MusicnnTagger> {
  const forced = forcedMusicnnRuntime(env);
  if (forced === 'onnx') return loadOnnxTagger(musicnnOnnxFile(dir));
  const tf = forced === 'tfjs' ? (await loadTensorFlow(env)).tf : await nativeTensorFlow(env);
  if (tf) return loadTfjsTagger(tf, dir);
  try {
    return await loadOnnxTagger(musicnnOnnxFile(dir));
  } catch (error) {
    return { ...(await loadTfjsTagger((await loadTensorFlow(env)).tf, dir)), note: `ONNX not used: ${(error as Error).message}` };
  }
}

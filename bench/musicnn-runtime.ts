/**
 * Which runtime should run MusiCNN (issue 14, point 3): ms per patch at
 * batch 1, 8 and 32 for TensorFlow.js wasm (one thread, as in an analysis
 * worker), TensorFlow.js cpu, and onnxruntime-node with 1 intra-op thread (as
 * inside each of 2 analysis workers) and with 2; then the ONNX model's parity
 * on every reference patch, against TensorFlow.js (wasm) and Essentia.
 *
 *   npm run bench:musicnn-runtime
 *
 * The ONNX model is converted into a temporary folder first (scripts/tfjs-to-onnx.ts).
 * Patches are real: the reference mel inputs of ../shared/data/musicnn-reference.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { convertMusicnn } from '../scripts/tfjs-to-onnx.ts';
import { readTfjsGraphModel, tfjsIoHandler } from '../scripts/onnx/tfjs-graph.ts';
import { loadMusicnnOnnx, type MusicnnOutputs } from '../src-main/core/onnx/musicnn-onnx.ts';
import {
  MEL_BANDS, MUSICNN_MODEL_DIR, musicnnReferenceNames, PATCH_FRAMES, patchBatch, readMusicnnReference, type MusicnnReference,
} from '../test/helpers/musicnn-patches.ts';

const BATCHES = [1, 8, 32] as const;
/** Time given to each (runtime, batch) cell; see `timeBatch`. */
const TIME_PER_CELL_MS = 4000;

/** A way to run MusiCNN on a batch of patches. */
interface PatchRunner {
  label: string;
  run(mel: Float32Array, batch: number): Promise<MusicnnOutputs>;
  close(): Promise<void>;
}

/** Wall-clock and process CPU milliseconds per patch. */
export interface PatchCost {
  wall: number;
  cpu: number;
}

/** One row of the speed table: the cost per patch at each batch size. */
export interface RuntimeSpeed {
  label: string;
  perPatch: Record<(typeof BATCHES)[number], PatchCost>;
}

/** Largest absolute differences over every reference patch. */
export interface MusicnnParity {
  patches: number;
  tfjs: { tags: number; embedding: number };
  essentia: { tags: number; embedding: number };
}

async function tfjsRunner(backend: 'wasm' | 'cpu'): Promise<PatchRunner> {
  tf.enableProdMode();
  if (!(await tf.setBackend(backend))) throw new Error(`TensorFlow.js backend ${backend} did not start`);
  await tf.ready();
  const graph = await tf.loadGraphModel(tfjsIoHandler(readTfjsGraphModel(MUSICNN_MODEL_DIR)));
  return {
    label: `TensorFlow.js ${backend}${backend === 'wasm' ? ' (1 thread)' : ''}`,
    async run(mel, batch) {
      const input = tf.tensor3d(mel, [batch, PATCH_FRAMES, MEL_BANDS]);
      const [tags, embedding] = graph.execute({ 'model/Placeholder': input }, ['model/Sigmoid', 'model/dense/Relu']) as tf.Tensor[];
      const out = { tags: (await tags!.data()) as Float32Array, embedding: (await embedding!.data()) as Float32Array };
      tf.dispose([input, tags!, embedding!]);
      return out;
    },
    close: async () => graph.dispose(),
  };
}

async function onnxRunner(file: string, threads: number): Promise<PatchRunner> {
  const model = await loadMusicnnOnnx(file, threads);
  return { label: model.describe, run: (mel, batch) => model.run(mel, batch), close: () => model.release() };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One run's cost per patch; CPU time is the whole process's (every thread), so it stays meaningful on a busy machine. */
async function costPerPatch(runner: PatchRunner, mel: Float32Array, batch: number): Promise<PatchCost> {
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  await runner.run(mel, batch);
  const cpu = process.cpuUsage(cpuStart);
  return { wall: (performance.now() - started) / batch, cpu: (cpu.user + cpu.system) / 1000 / batch };
}

/**
 * The cost per patch of `runner` on `mel` (`batch` patches): the medians of
 * the runs that fit in TIME_PER_CELL_MS (at least 3) after a warm-up run, or
 * the warm-up run itself when one run takes longer than that (TensorFlow.js cpu).
 */
async function timeBatch(runner: PatchRunner, mel: Float32Array, batch: number): Promise<PatchCost> {
  const warmUp = await costPerPatch(runner, mel, batch);
  if (warmUp.wall * batch > TIME_PER_CELL_MS) return warmUp;
  const runs: PatchCost[] = [];
  const started = performance.now();
  while (runs.length < 3 || performance.now() - started < TIME_PER_CELL_MS) runs.push(await costPerPatch(runner, mel, batch));
  return { wall: median(runs.map((r) => r.wall)), cpu: median(runs.map((r) => r.cpu)) };
}

/** The first `count` patches of the references, in order, one after another. */
function firstPatches(references: readonly MusicnnReference[], count: number): Float32Array {
  const size = PATCH_FRAMES * MEL_BANDS;
  const out = new Float32Array(count * size);
  let filled = 0;
  for (const reference of references) {
    const starts = reference.patchStarts.slice(0, count - filled);
    out.set(patchBatch(reference.mel, starts), filled * size);
    filled += starts.length;
  }
  if (filled < count) throw new Error(`the references hold ${filled} patches, not ${count}`);
  return out;
}

/** Times each runner (opened one at a time) at every batch size on the first patches of `references`. */
export async function measureRuntimes(onnxFile: string, references: readonly MusicnnReference[]): Promise<RuntimeSpeed[]> {
  const patches = firstPatches(references, Math.max(...BATCHES));
  const openers = [() => tfjsRunner('wasm'), () => tfjsRunner('cpu'), () => onnxRunner(onnxFile, 1), () => onnxRunner(onnxFile, 2)];
  const rows: RuntimeSpeed[] = [];
  for (const open of openers) {
    const runner = await open();
    const perPatch = {} as RuntimeSpeed['perPatch'];
    for (const batch of BATCHES) perPatch[batch] = await timeBatch(runner, patches.subarray(0, batch * PATCH_FRAMES * MEL_BANDS), batch);
    rows.push({ label: runner.label, perPatch });
    await runner.close();
  }
  return rows;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} ≠ ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** The ONNX model against TensorFlow.js (wasm) and Essentia's outputs on every patch of every reference file. */
export async function measureParity(onnxFile: string, references: readonly MusicnnReference[]): Promise<MusicnnParity> {
  const onnx = await onnxRunner(onnxFile, 2);
  const tfjs = await tfjsRunner('wasm');
  const parity: MusicnnParity = { patches: 0, tfjs: { tags: 0, embedding: 0 }, essentia: { tags: 0, embedding: 0 } };
  for (const reference of references) {
    const batch = reference.patchStarts.length;
    const mel = patchBatch(reference.mel, reference.patchStarts);
    const [ours, theirs] = [await onnx.run(mel, batch), await tfjs.run(mel, batch)];
    parity.patches += batch;
    parity.tfjs.tags = Math.max(parity.tfjs.tags, maxAbsDiff(ours.tags, theirs.tags));
    parity.tfjs.embedding = Math.max(parity.tfjs.embedding, maxAbsDiff(ours.embedding, theirs.embedding));
    parity.essentia.tags = Math.max(parity.essentia.tags, maxAbsDiff(ours.tags, reference.tags.flat()));
    parity.essentia.embedding = Math.max(parity.essentia.embedding, maxAbsDiff(ours.embedding, reference.embedding.flat()));
  }
  await Promise.all([onnx.close(), tfjs.close()]);
  return parity;
}

/** The speed table in Markdown: wall-clock / CPU ms per patch in each cell. */
export function formatRuntimes(rows: readonly RuntimeSpeed[]): string {
  const header = `| runtime | ${BATCHES.map((b) => `batch ${b}`).join(' | ')} |\n|---|${BATCHES.map(() => '---:').join('|')}|`;
  const cell = (cost: PatchCost): string => `${cost.wall.toFixed(1)} / ${cost.cpu.toFixed(1)}`;
  const lines = rows.map((row) => `| ${row.label} | ${BATCHES.map((b) => cell(row.perPatch[b])).join(' | ')} |`);
  return [header, ...lines].join('\n');
}

/** The parity figures, one line each. */
export function formatParity(p: MusicnnParity): string {
  return [
    `ONNX vs TensorFlow.js wasm, ${p.patches} patches: max |Δ| tags ${p.tfjs.tags.toExponential(2)}, embedding ${p.tfjs.embedding.toExponential(2)} (limit 1e-4)`,
    `ONNX vs Essentia reference, ${p.patches} patches: max |Δ| tags ${p.essentia.tags.toExponential(2)}, embedding ${p.essentia.embedding.toExponential(2)} (limit 5e-3)`,
  ].join('\n');
}

if (import.meta.main) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sonority-musicnn-onnx-'));
  try {
    const onnxFile = path.join(dir, 'msd-musicnn-1.onnx');
    const started = performance.now();
    const { nodes, bytes } = convertMusicnn(MUSICNN_MODEL_DIR, onnxFile);
    console.log(`converted in ${(performance.now() - started).toFixed(0)} ms: ${nodes} ONNX nodes, ${(bytes / 1e6).toFixed(2)} MB`);
    const references = musicnnReferenceNames().map(readMusicnnReference);
    console.log(`${os.cpus()[0]?.model ?? 'cpu'} × ${os.availableParallelism()}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log('\nms per patch, wall clock / process CPU (medians):\n' + formatRuntimes(await measureRuntimes(onnxFile, references)));
    console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
    console.log(formatParity(await measureParity(onnxFile, references)));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

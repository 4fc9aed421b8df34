/**
 * MusiCNN converted to ONNX by scripts/tfjs-to-onnx.ts and run on
 * onnxruntime-node gives the TensorFlow.js graph model's outputs (within
 * 1e-4) and Essentia's reference outputs (within 0.005) on the reference mel
 * patches: the first, middle and last patch of each reference file against
 * Essentia (the first and last hold the digital silence of the orchestral
 * recording), the last of each against TensorFlow.js. Every patch of every
 * file is compared by `npm run bench:musicnn-runtime`: too slow for here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Tensor } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertMusicnn } from '../scripts/tfjs-to-onnx.ts';
import { readTfjsGraphModel, tfjsIoHandler } from '../scripts/onnx/tfjs-graph.ts';
import { loadMusicnnOnnx, type MusicnnOnnx } from '../src-main/core/onnx/musicnn-onnx.ts';
import { loadTensorFlow } from '../src-main/core/model/tf-runtime.ts';
import { MEL_BANDS, MUSICNN_MODEL_DIR, musicnnReferenceNames, PATCH_FRAMES, patchBatch, readMusicnnReference } from './helpers/musicnn-patches.ts';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe('MusiCNN on onnxruntime-node', () => {
  let dir: string;
  let onnxFile: string;
  let model: MusicnnOnnx;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sonority-onnx-'));
    onnxFile = path.join(dir, 'msd-musicnn-1.onnx');
    convertMusicnn(MUSICNN_MODEL_DIR, onnxFile);
    model = await loadMusicnnOnnx(onnxFile, 2);
  });

  afterAll(async () => {
    await model?.release();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('converts deterministically to a file about the size of the weights', () => {
    const again = path.join(dir, 'again.onnx');
    convertMusicnn(MUSICNN_MODEL_DIR, again);
    expect(fs.readFileSync(again).equals(fs.readFileSync(onnxFile))).toBe(true);
    const weightBytes = fs.statSync(path.join(MUSICNN_MODEL_DIR, 'group1-shard1of1.bin')).size;
    expect(fs.statSync(onnxFile).size).toBeGreaterThan(weightBytes);
    expect(fs.statSync(onnxFile).size).toBeLessThan(weightBytes * 1.05);
  });

  it("gives Essentia's reference tags and embedding", async () => {
    for (const name of musicnnReferenceNames()) {
      const reference = readMusicnnReference(name);
      const last = reference.patchStarts.length - 1;
      const patches = [0, Math.floor(last / 2), last];
      const out = await model.run(patchBatch(reference.mel, patches.map((i) => reference.patchStarts[i]!)), patches.length);
      expect(maxAbsDiff(out.tags, patches.flatMap((i) => reference.tags[i]!)), `${name} tags`).toBeLessThan(0.005);
      expect(maxAbsDiff(out.embedding, patches.flatMap((i) => reference.embedding[i]!)), `${name} embedding`).toBeLessThan(0.005);
    }
  });

  it('gives the TensorFlow.js graph model’s outputs within 1e-4', async () => {
    const { tf } = await loadTensorFlow({ SONORITY_TF_BACKEND: 'wasm' });
    const graph = await tf.loadGraphModel(tfjsIoHandler(readTfjsGraphModel(MUSICNN_MODEL_DIR)));
    const references = musicnnReferenceNames().map(readMusicnnReference);
    const mel = Float32Array.from(references.flatMap((r) => Array.from(patchBatch(r.mel, [r.patchStarts.at(-1)!]))));
    const out = await model.run(mel, references.length);
    const input = tf.tensor3d(mel, [references.length, PATCH_FRAMES, MEL_BANDS]);
    const [tags, embedding] = graph.execute({ 'model/Placeholder': input }, ['model/Sigmoid', 'model/dense/Relu']) as Tensor[];
    expect(maxAbsDiff(out.tags, tags!.dataSync())).toBeLessThan(1e-4);
    expect(maxAbsDiff(out.embedding, embedding!.dataSync())).toBeLessThan(1e-4);
    tf.dispose([input, tags!, embedding!]);
    graph.dispose();
  });
});

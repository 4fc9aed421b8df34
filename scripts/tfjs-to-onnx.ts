/**
 * Build step: converts the MusiCNN TensorFlow.js graph model (`model.json`
 * and its weight shard) to an ONNX model for onnxruntime-node.
 *
 *   npm run convert:musicnn [-- <model dir> <out.onnx>]
 *
 * Defaults: `models/msd-musicnn-1/` (or `../shared/models/msd-musicnn-1/`
 * while that is not shipped yet) → `models/msd-musicnn-1/msd-musicnn-1.onnx`.
 * The output is deterministic: the same input gives the same bytes.
 */
import fs from 'node:fs';
import path from 'node:path';
import url from 'node:url';
import { convertTfjsGraph, type ConversionSpec } from './onnx/convert-graph.ts';
import { encodeOnnxModel } from './onnx/onnx-proto.ts';
import { readTfjsGraphModel } from './onnx/tfjs-graph.ts';

const REPO_ROOT = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), '..');

/** MusiCNN in ONNX: input `mel` [batch, 187, 96]; outputs `tags` (sigmoid) and `embedding` (the dense layer after its ReLU). */
export const MUSICNN_SPEC: ConversionSpec = {
  graphName: 'msd-musicnn-1',
  inputs: [{ name: 'mel', from: 'model/Placeholder' }],
  outputs: [
    { name: 'tags', from: 'model/Sigmoid', shape: ['batch', 50] },
    { name: 'embedding', from: 'model/dense/Relu', shape: ['batch', 200] },
  ],
  docString:
    "Essentia's msd-musicnn-1 (MusiCNN, Pons & Serra; trained by the Music Technology Group, Universitat Pompeu Fabra, " +
    'on the Million Song Dataset), converted from its TensorFlow.js graph model by Sonority scripts/tfjs-to-onnx.ts. ' +
    'The weights are licensed CC BY-NC-SA 4.0 (attribution, non-commercial, share-alike).',
  metadata: { source: 'msd-musicnn-1 (TensorFlow.js graph model)', licence: 'CC BY-NC-SA 4.0' },
};

/** Converts the MusiCNN graph model in `modelDir` and writes it to `outFile`; returns the ONNX node count and file size. */
export function convertMusicnn(modelDir: string, outFile: string): { nodes: number; bytes: number } {
  const model = convertTfjsGraph(readTfjsGraphModel(modelDir), MUSICNN_SPEC);
  const bytes = encodeOnnxModel(model);
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, bytes);
  return { nodes: model.graph.nodes.length, bytes: bytes.length };
}

function defaultModelDir(): string {
  const shipped = path.join(REPO_ROOT, 'models', 'msd-musicnn-1');
  return fs.existsSync(path.join(shipped, 'model.json')) ? shipped : path.resolve(REPO_ROOT, '..', 'shared', 'models', 'msd-musicnn-1');
}

if (import.meta.main) {
  const [modelDir = defaultModelDir(), outFile = path.join(REPO_ROOT, 'models', 'msd-musicnn-1', 'msd-musicnn-1.onnx')] = process.argv.slice(2);
  const { nodes, bytes } = convertMusicnn(modelDir, outFile);
  console.log(`${outFile}: ${nodes} ONNX nodes, ${(bytes / 1e6).toFixed(2)} MB, from ${modelDir}`);
}

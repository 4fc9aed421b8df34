/**
 * Build step: converts the MusiCNN TensorFlow.js graph model (`model.json`
 * and its weight shard) to ONNX models for onnxruntime-node: the whole
 * model, and the same graph cut in two after the timbral front-end (see
 * `MUSICNN_FRONTEND_SPEC`), written beside it.
 *
 *   npm run convert:musicnn [-- <model dir> <out.onnx>]
 *
 * Defaults: `models/msd-musicnn-1/` (or `../shared/models/msd-musicnn-1/`
 * while that is not shipped yet) → `models/msd-musicnn-1/msd-musicnn-1.onnx`
 * (and `.frontend.onnx`, `.backend.onnx`). The output is deterministic: the
 * same input gives the same bytes.
 */
import fs from 'node:fs';
import path from 'node:path';
import url from 'node:url';
import { musicnnPartFiles } from '../src-main/core/onnx/musicnn-files.ts';
import { convertTfjsGraph, type ConversionSpec } from './onnx/convert-graph.ts';
import { encodeOnnxModel } from './onnx/onnx-proto.ts';
import { readTfjsGraphModel, type TfjsGraphModel } from './onnx/tfjs-graph.ts';

const REPO_ROOT = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), '..');

const LABELS: Pick<ConversionSpec, 'docString' | 'metadata'> = {
  docString:
    "Essentia's msd-musicnn-1 (MusiCNN, Pons & Serra; trained by the Music Technology Group, Universitat Pompeu Fabra, " +
    'on the Million Song Dataset), converted from its TensorFlow.js graph model by Sonority scripts/tfjs-to-onnx.ts. ' +
    'The weights are licensed CC BY-NC-SA 4.0 (attribution, non-commercial, share-alike).',
  metadata: { source: 'msd-musicnn-1 (TensorFlow.js graph model)', licence: 'CC BY-NC-SA 4.0' },
};

/** The two timbral branches (7×38 and 7×67 kernels over the time-padded input, max-pooled over frequency): `[batch, frames, 204]` each. */
const TIMBRAL = [
  { name: 'timbral_38', from: 'model/Squeeze' },
  { name: 'timbral_67', from: 'model/Squeeze_1' },
] as const;

/** MusiCNN in ONNX: input `mel` [batch, 187, 96]; outputs `tags` (sigmoid) and `embedding` (the dense layer after its ReLU). */
export const MUSICNN_SPEC: ConversionSpec = {
  graphName: 'msd-musicnn-1',
  inputs: [{ name: 'mel', from: 'model/Placeholder' }],
  outputs: [
    { name: 'tags', from: 'model/Sigmoid', shape: ['batch', 50] },
    { name: 'embedding', from: 'model/dense/Relu', shape: ['batch', 200] },
  ],
  ...LABELS,
};

/**
 * MusiCNN's timbral front-end: `mel` [batch, frames, 96] (any number of
 * frames) → `timbral_38`, `timbral_67` [batch, frames, 204]. Each output frame
 * depends on the 7 input frames around it, the input being zero-padded by 3
 * frames at each end (after the input batch norm), as in the whole model.
 */
export const MUSICNN_FRONTEND_SPEC: ConversionSpec = {
  graphName: 'msd-musicnn-1-frontend',
  inputs: [{ name: 'mel', from: 'model/Placeholder', shape: ['batch', 'frames', 96] }],
  outputs: TIMBRAL.map((branch) => ({ ...branch, shape: ['batch', 'frames', 204] })),
  ...LABELS,
};

/** The rest of MusiCNN: `mel` [batch, 187, 96] and its two timbral features [batch, 187, 204] → `tags`, `embedding`. */
export const MUSICNN_BACKEND_SPEC: ConversionSpec = {
  graphName: 'msd-musicnn-1-backend',
  inputs: [{ name: 'mel', from: 'model/Placeholder' }, ...TIMBRAL.map((branch) => ({ ...branch, shape: ['batch', 187, 204] }))],
  outputs: MUSICNN_SPEC.outputs,
  ...LABELS,
};

function writeModel(model: TfjsGraphModel, spec: ConversionSpec, file: string): { nodes: number; bytes: number } {
  const onnx = convertTfjsGraph(model, spec);
  const bytes = encodeOnnxModel(onnx);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  return { nodes: onnx.graph.nodes.length, bytes: bytes.length };
}

/**
 * Converts the MusiCNN graph model in `modelDir`, writes it to `outFile` and
 * its front-end and back-end beside it (`musicnnPartFiles`); returns the
 * whole model's ONNX node count and file size.
 */
export function convertMusicnn(modelDir: string, outFile: string): { nodes: number; bytes: number } {
  const model = readTfjsGraphModel(modelDir);
  const parts = musicnnPartFiles(outFile);
  writeModel(model, MUSICNN_FRONTEND_SPEC, parts.frontEnd);
  writeModel(model, MUSICNN_BACKEND_SPEC, parts.backEnd);
  return writeModel(model, MUSICNN_SPEC, outFile);
}

function defaultModelDir(): string {
  const shipped = path.join(REPO_ROOT, 'models', 'msd-musicnn-1');
  return fs.existsSync(path.join(shipped, 'model.json')) ? shipped : path.resolve(REPO_ROOT, '..', 'shared', 'models', 'msd-musicnn-1');
}

if (import.meta.main) {
  const [modelDir = defaultModelDir(), outFile = path.join(REPO_ROOT, 'models', 'msd-musicnn-1', 'msd-musicnn-1.onnx')] = process.argv.slice(2);
  const { nodes, bytes } = convertMusicnn(modelDir, outFile);
  console.log(`${outFile}: ${nodes} ONNX nodes, ${(bytes / 1e6).toFixed(2)} MB, from ${modelDir}; its front-end and back-end beside it`);
}

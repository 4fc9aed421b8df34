import type * as TF from '@tensorflow/tfjs';
import { SonorityError } from '../errors.ts';
import { readGraphModelArtifacts } from './graph-model-files.ts';
import { HEAD_NODES, MUSICNN_EMBEDDING_SIZE, type HeadMetadata } from './model-metadata.ts';

/** One dense layer: `outputs` values from `inputs`, the kernel row-major `inputs × outputs`. */
interface DenseLayer {
  kernel: Float32Array;
  bias: Float32Array;
}

/**
 * A head on the MusiCNN embedding: `softmax(relu(x·W1 + b1)·W2 + b2)`, the
 * graph every shipped head is (200 → 100 → 2), run in plain TypeScript so
 * that the analysis needs no TensorFlow.js beside an ONNX tagger.
 */
export interface DenseHead {
  metadata: HeadMetadata;
  hidden: DenseLayer;
  output: DenseLayer;
}

/** A graph node as far as the check reads it. */
interface GraphNode {
  name: string;
  op: string;
  input?: string[];
  attr?: { fused_ops?: { list?: { s?: string[] } }; transpose_a?: { b?: boolean }; transpose_b?: { b?: boolean } };
}

/** The weights of graph-model artifacts by name (float32, unquantised, in manifest order). */
function weightsByName(artifacts: TF.io.ModelArtifacts, invalid: (why: string) => SonorityError): Map<string, Float32Array> {
  const data = artifacts.weightData as ArrayBuffer;
  const weights = new Map<string, Float32Array>();
  let offset = 0;
  for (const spec of artifacts.weightSpecs ?? []) {
    if (spec.dtype !== 'float32' || spec.quantization) throw invalid(`weight ${spec.name} is not plain float32`);
    const bytes = 4 * spec.shape.reduce((a, b) => a * b, 1);
    weights.set(spec.name, new Float32Array(data.slice(offset, offset + bytes)));
    offset += bytes;
  }
  return weights;
}

/** The `_FusedMatMul` node named `name`, checked to fuse exactly `fused` (e.g. BiasAdd, Relu) without transposes, as a layer of `inputs` inputs. */
function fusedLayer(nodes: Map<string, GraphNode>, weights: Map<string, Float32Array>, name: string, fused: string[], inputs: number, invalid: (why: string) => SonorityError): { node: GraphNode; layer: DenseLayer } {
  const node = nodes.get(name);
  const ops = node?.attr?.fused_ops?.list?.s?.map((op) => Buffer.from(op, 'base64').toString('latin1'));
  if (!node || node.op !== '_FusedMatMul' || ops?.join() !== fused.join() || node.attr?.transpose_a?.b || node.attr?.transpose_b?.b) throw invalid(`${name} is not a dense layer with ${fused.join(' and ')}`);
  const [kernel, bias] = [weights.get(node.input?.[1] ?? ''), weights.get(node.input?.[2] ?? '')];
  if (!kernel || !bias || kernel.length !== inputs * bias.length) throw invalid(`${name} has no ${inputs}-input kernel and bias`);
  return { node, layer: { kernel, bias } };
}

/**
 * Reads a head's graph model from `dir` and checks that its graph is the two
 * dense layers `DenseHead` runs: `model/Softmax` ← `_FusedMatMul`+BiasAdd ←
 * `_FusedMatMul`+BiasAdd+Relu ← `model/Placeholder`, with the 200-value
 * embedding as input and as many outputs as the head has classes.
 * `model-missing` or `model-invalid` naming the head otherwise.
 */
export function readDenseHead(dir: string, metadata: HeadMetadata): DenseHead {
  const what = `the ${metadata.name} head`;
  const invalid = (why: string) => new SonorityError('model-invalid', `${what} in ${dir} is not the graph Sonority runs: ${why}`);
  const artifacts = readGraphModelArtifacts(dir, what);
  const nodes = new Map(((artifacts.modelTopology as { node?: GraphNode[] }).node ?? []).map((node) => [node.name, node]));
  const weights = weightsByName(artifacts, invalid);
  const softmax = nodes.get(HEAD_NODES.output);
  if (softmax?.op !== 'Softmax') throw invalid(`${HEAD_NODES.output} is not a softmax`);
  const secondName = softmax.input?.[0] ?? '';
  const first = fusedLayer(nodes, weights, nodes.get(secondName)?.input?.[0] ?? '', ['BiasAdd', 'Relu'], MUSICNN_EMBEDDING_SIZE, invalid);
  const second = fusedLayer(nodes, weights, secondName, ['BiasAdd'], first.layer.bias.length, invalid);
  if (first.node.input?.[0] !== HEAD_NODES.input) throw invalid(`its first layer does not read ${HEAD_NODES.input}`);
  if (second.layer.bias.length !== metadata.classes.length) throw invalid(`it has ${second.layer.bias.length} outputs for ${metadata.classes.length} classes`);
  return { metadata, hidden: first.layer, output: second.layer };
}

/** `x·W + b` of one input row (double precision), with a ReLU when asked. */
function dense(layer: DenseLayer, x: ArrayLike<number>, relu: boolean): Float64Array {
  const outputs = layer.bias.length;
  const out = Float64Array.from(layer.bias);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    if (xi !== 0) for (let j = 0; j < outputs; j++) out[j]! += xi * layer.kernel[i * outputs + j]!;
  }
  return relu ? out.map((value) => Math.max(0, value)) : out;
}

/** The softmax of logits. */
function softmax(logits: Float64Array): Float64Array {
  const max = Math.max(...logits);
  const exps = logits.map((z) => Math.exp(z - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** The head's class probabilities for each of `count` embeddings (`count × 200`), row-major `count × classes`. */
export function runDenseHead(head: DenseHead, embedding: Float32Array, count: number): Float32Array {
  const classes = head.output.bias.length;
  const out = new Float32Array(count * classes);
  for (let p = 0; p < count; p++) {
    const row = embedding.subarray(p * MUSICNN_EMBEDDING_SIZE, (p + 1) * MUSICNN_EMBEDDING_SIZE);
    out.set(softmax(dense(head.output, dense(head.hidden, row, true), false)), p * classes);
  }
  return out;
}

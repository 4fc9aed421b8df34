/**
 * Reads a TensorFlow.js graph model from disk (`model.json` and its weight
 * shards) into its GraphDef nodes and named weights, and hands the same
 * files to `tf.loadGraphModel` through an in-memory IO handler.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { io } from '@tensorflow/tfjs';

/** One attribute of a GraphDef node, as the converter's JSON writes it (strings base64, int64 as strings). */
export interface TfAttrValue {
  s?: string;
  i?: string | number;
  b?: boolean;
  type?: string;
  list?: { s?: string[]; i?: (string | number)[] };
  shape?: { dim?: { size: string | number }[]; unknownRank?: boolean };
}

/** One GraphDef node: its inputs are tensor references (`name`, `name:1`, `^control`). */
export interface TfNodeDef {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttrValue>;
}

/** A decoded weight (a `Const` node's value). */
export interface TfWeight {
  name: string;
  dtype: 'float32' | 'int32';
  shape: number[];
  values: Float32Array | Int32Array;
}

/** A TensorFlow.js graph model as read from its folder. */
export interface TfjsGraphModel {
  /** `model.json`, parsed. */
  json: {
    format: string;
    generatedBy: string;
    convertedBy: string;
    userDefinedMetadata?: Record<string, object>;
    modelTopology: { node: TfNodeDef[] };
    weightsManifest: { paths: string[]; weights: io.WeightsManifestEntry[] }[];
  };
  /** The shards' bytes, concatenated in manifest order. */
  weightData: ArrayBuffer;
}

/** Reads `dir/model.json` and every weight shard it lists. */
export function readTfjsGraphModel(dir: string): TfjsGraphModel {
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as TfjsGraphModel['json'];
  if (json.format !== 'graph-model') throw new Error(`${dir}: not a TensorFlow.js graph model (format ${json.format})`);
  const shards = json.weightsManifest.flatMap((group) => group.paths.map((p) => fs.readFileSync(path.join(dir, p))));
  const weightData = new Uint8Array(shards.reduce((sum, shard) => sum + shard.length, 0));
  let offset = 0;
  for (const shard of shards) {
    weightData.set(shard, offset);
    offset += shard.length;
  }
  return { json, weightData: weightData.buffer };
}

/** An IO handler for `tf.loadGraphModel` that serves an already-read model. */
export function tfjsIoHandler(model: TfjsGraphModel): io.IOHandler {
  const { json, weightData } = model;
  return {
    load: async () => ({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
      weightData,
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy,
      userDefinedMetadata: json.userDefinedMetadata,
    }),
  };
}

/** The model's weights by name, decoded (float32 and int32 only; quantised weights are refused). */
export function tfjsWeights(model: TfjsGraphModel): Map<string, TfWeight> {
  const weights = new Map<string, TfWeight>();
  let offset = 0;
  for (const spec of model.json.weightsManifest.flatMap((group) => group.weights)) {
    if (spec.quantization) throw new Error(`weight ${spec.name}: quantised weights are not supported`);
    if (spec.dtype !== 'float32' && spec.dtype !== 'int32') throw new Error(`weight ${spec.name}: dtype ${spec.dtype} is not supported`);
    const count = spec.shape.reduce((product, dim) => product * dim, 1);
    const bytes = model.weightData.slice(offset, offset + 4 * count);
    const values = spec.dtype === 'float32' ? new Float32Array(bytes) : new Int32Array(bytes);
    weights.set(spec.name, { name: spec.name, dtype: spec.dtype, shape: spec.shape, values });
    offset += 4 * count;
  }
  return weights;
}

function attr(node: TfNodeDef, key: string): TfAttrValue | undefined {
  return node.attr?.[key];
}

/** A string attribute (`padding`, `data_format`), or `fallback` when absent. */
export function attrString(node: TfNodeDef, key: string, fallback: string): string {
  const value = attr(node, key)?.s;
  return value === undefined ? fallback : Buffer.from(value, 'base64').toString('utf8');
}

/** An int attribute (`axis`, a mask), or `fallback` when absent. */
export function attrInt(node: TfNodeDef, key: string, fallback: number): number {
  const value = attr(node, key)?.i;
  return value === undefined ? fallback : Number(value);
}

/** A bool attribute (`keep_dims`, `transpose_a`), or `fallback` when absent. */
export function attrBool(node: TfNodeDef, key: string, fallback: boolean): boolean {
  return attr(node, key)?.b ?? fallback;
}

/** An int-list attribute (`strides`, `ksize`, `squeeze_dims`); empty when absent. */
export function attrInts(node: TfNodeDef, key: string): number[] {
  return (attr(node, key)?.list?.i ?? []).map(Number);
}

/** A string-list attribute (`fused_ops`); empty when absent. */
export function attrStrings(node: TfNodeDef, key: string): string[] {
  return (attr(node, key)?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));
}

/** A float `Placeholder`'s declared shape, -1 for unknown dimensions; throws on other dtypes or unknown rank. */
export function placeholderShape(node: TfNodeDef): number[] {
  const dtype = attr(node, 'dtype')?.type;
  if (dtype !== 'DT_FLOAT') throw new Error(`placeholder ${node.name}: dtype ${dtype} is not supported`);
  const shape = attr(node, 'shape')?.shape;
  if (!shape?.dim) throw new Error(`placeholder ${node.name}: unknown rank`);
  return shape.dim.map((dim) => Number(dim.size));
}

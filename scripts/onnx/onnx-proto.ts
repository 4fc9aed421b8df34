/**
 * The part of the ONNX protobuf schema (onnx/onnx.proto) that a converted
 * inference graph needs, as plain objects, and their encoding. Field numbers
 * are the schema's.
 */
import { ProtoWriter } from './protobuf.ts';

/** `TensorProto.DataType` values used here. */
export const DataType = { FLOAT: 1, INT64: 7 } as const;
export type DataType = (typeof DataType)[keyof typeof DataType];

/** `AttributeProto.AttributeType` values used here. */
const AttributeType = { INT: 2, STRING: 3, INTS: 7 } as const;

/** A node attribute: an int, a list of ints or a string. */
export type OnnxAttribute =
  | { name: string; int: number }
  | { name: string; ints: readonly (number | bigint)[] }
  | { name: string; string: string };

/** A tensor of the graph's initializers, little-endian `raw` bytes. */
export interface OnnxTensor {
  name: string;
  dataType: DataType;
  dims: readonly number[];
  raw: Uint8Array;
}

/** One operator application; `name` must be unique in the graph. */
export interface OnnxNode {
  name: string;
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes: readonly OnnxAttribute[];
}

/** A graph input or output: element type and shape (a string names a symbolic dimension). */
export interface OnnxValueInfo {
  name: string;
  dataType: DataType;
  shape: readonly (number | string)[];
}

/** A graph: nodes in topological order, weights as initializers. */
export interface OnnxGraph {
  name: string;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxTensor[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
}

/** A model: one graph and its labels. */
export interface OnnxModel {
  graph: OnnxGraph;
  /** The default-domain operator set the nodes follow. */
  opset: number;
  /** The IR version matching `opset` (8 for opsets up to 17). */
  irVersion: number;
  producerName: string;
  docString: string;
  metadata: Readonly<Record<string, string>>;
}

function writeAttribute(w: ProtoWriter, attribute: OnnxAttribute): void {
  w.string(1, attribute.name);
  if ('int' in attribute) w.int(3, attribute.int).int(20, AttributeType.INT);
  else if ('ints' in attribute) w.ints(8, attribute.ints).int(20, AttributeType.INTS);
  else w.string(4, attribute.string).int(20, AttributeType.STRING);
}

function writeNode(w: ProtoWriter, node: OnnxNode): void {
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  w.string(3, node.name).string(4, node.op);
  for (const attribute of node.attributes) w.message(5, (a) => writeAttribute(a, attribute));
}

function writeTensor(w: ProtoWriter, tensor: OnnxTensor): void {
  w.ints(1, tensor.dims).int(2, tensor.dataType).string(8, tensor.name).bytes(9, tensor.raw);
}

function writeValueInfo(w: ProtoWriter, value: OnnxValueInfo): void {
  w.string(1, value.name);
  w.message(2, (type) =>
    type.message(1, (tensorType) => {
      tensorType.int(1, value.dataType);
      tensorType.message(2, (shape) => {
        for (const dim of value.shape) {
          shape.message(1, (d) => (typeof dim === 'number' ? d.int(1, dim) : d.string(2, dim)));
        }
      });
    }),
  );
}

function writeGraph(w: ProtoWriter, graph: OnnxGraph): void {
  for (const node of graph.nodes) w.message(1, (n) => writeNode(n, node));
  w.string(2, graph.name);
  for (const tensor of graph.initializers) w.message(5, (t) => writeTensor(t, tensor));
  for (const input of graph.inputs) w.message(11, (v) => writeValueInfo(v, input));
  for (const output of graph.outputs) w.message(12, (v) => writeValueInfo(v, output));
}

/** Encodes `model` as an ONNX `ModelProto` (the bytes of a `.onnx` file). */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, model.irVersion).string(2, model.producerName).string(6, model.docString);
  w.message(7, (g) => writeGraph(g, model.graph));
  w.message(8, (opset) => opset.string(1, '').int(2, model.opset));
  for (const [key, value] of Object.entries(model.metadata)) {
    w.message(14, (entry) => entry.string(1, key).string(2, value));
  }
  return w.finish();
}

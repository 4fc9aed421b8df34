/**
 * Converts the part of a TensorFlow.js graph model that computes the chosen
 * outputs from the chosen placeholders into an ONNX model.
 */
import { OnnxGraphBuilder, tensorNode } from './graph-builder.ts';
import { DataType, type OnnxModel, type OnnxValueInfo } from './onnx-proto.ts';
import { convertNode, SUPPORTED_OPS } from './tf-ops.ts';
import { placeholderShape, tfjsWeights, type TfjsGraphModel, type TfNodeDef } from './tfjs-graph.ts';

/** An ONNX graph input or output and the TensorFlow node it stands for. */
export interface TensorBinding {
  /** The ONNX name. */
  name: string;
  /** The TensorFlow node (a `Placeholder` for inputs). */
  from: string;
}

/** A float output: its ONNX name, TensorFlow node and declared shape (strings name symbolic dimensions). */
export interface OutputBinding extends TensorBinding {
  shape: readonly (number | string)[];
}

/** What to convert and how to label it. */
export interface ConversionSpec {
  graphName: string;
  inputs: readonly TensorBinding[];
  outputs: readonly OutputBinding[];
  /** The model's description (provenance, licence), stored as the ONNX doc string. */
  docString: string;
  /** Stored as the ONNX metadata properties. */
  metadata: Readonly<Record<string, string>>;
}

/** The default-domain opset the converted nodes follow, and its IR version. */
const OPSET = 17;
const IR_VERSION = 8;

/** The nodes the outputs depend on, inputs before their consumers. */
function reachableNodes(nodes: ReadonlyMap<string, TfNodeDef>, outputs: readonly string[]): TfNodeDef[] {
  const order: TfNodeDef[] = [];
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const node = nodes.get(name);
    if (!node) throw new Error(`the graph has no node ${name}`);
    for (const ref of node.input ?? []) if (!ref.startsWith('^')) visit(tensorNode(ref));
    order.push(node);
  };
  outputs.forEach(visit);
  return order;
}

function checkSupported(order: readonly TfNodeDef[], inputs: readonly TensorBinding[]): void {
  const unsupported = [...new Set(order.map((node) => node.op).filter((op) => !SUPPORTED_OPS.includes(op)))];
  if (unsupported.length > 0) throw new Error(`unsupported TensorFlow ops: ${unsupported.join(', ')}`);
  const unfed = order.filter((node) => node.op === 'Placeholder' && !inputs.some((input) => input.from === node.name));
  if (unfed.length > 0) throw new Error(`the outputs need placeholders that are not inputs: ${unfed.map((node) => node.name).join(', ')}`);
}

/** A graph input with the placeholder's shape; unknown dimensions become `batch` (the first) or `<name>_<axis>`. */
function inputInfo(binding: TensorBinding, nodes: ReadonlyMap<string, TfNodeDef>): OnnxValueInfo {
  const node = nodes.get(binding.from);
  if (node?.op !== 'Placeholder') throw new Error(`input ${binding.name}: ${binding.from} is not a placeholder`);
  const shape = placeholderShape(node).map((dim, axis) => (dim >= 0 ? dim : axis === 0 ? 'batch' : `${binding.name}_${axis}`));
  return { name: binding.name, dataType: DataType.FLOAT, shape };
}

/** Converts `model`'s subgraph from `spec.inputs` to `spec.outputs` into an ONNX model (opset 17). */
export function convertTfjsGraph(model: TfjsGraphModel, spec: ConversionSpec): OnnxModel {
  const nodes = new Map(model.json.modelTopology.node.map((node) => [node.name, node]));
  const order = reachableNodes(nodes, spec.outputs.map((output) => output.from));
  checkSupported(order, spec.inputs);
  const renames = new Map([...spec.inputs, ...spec.outputs].map((binding) => [binding.from, binding.name]));
  const g = new OnnxGraphBuilder(tfjsWeights(model), renames);
  for (const node of order) convertNode(node, g);
  return {
    graph: {
      name: spec.graphName,
      nodes: g.nodes,
      initializers: g.initializers,
      inputs: spec.inputs.map((binding) => inputInfo(binding, nodes)),
      outputs: spec.outputs.map((output) => ({ name: output.name, dataType: DataType.FLOAT, shape: output.shape })),
    },
    opset: OPSET,
    irVersion: IR_VERSION,
    producerName: 'sonority scripts/tfjs-to-onnx.ts',
    docString: spec.docString,
    metadata: spec.metadata,
  };
}

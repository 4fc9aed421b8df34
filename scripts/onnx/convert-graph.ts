/**
 * Converts the part of a TensorFlow.js graph model that computes the chosen
 * outputs from the chosen inputs into an ONNX model. An input may stand for
 * any node, not only a placeholder: the graph is then cut there, and what
 * computes that node is left out.
 */
import { OnnxGraphBuilder, tensorNode } from './graph-builder.ts';
import { DataType, type OnnxModel, type OnnxValueInfo } from './onnx-proto.ts';
import { convertNode, SUPPORTED_OPS } from './tf-ops.ts';
import { placeholderShape, tfjsWeights, type TfjsGraphModel, type TfNodeDef } from './tfjs-graph.ts';

/** An ONNX graph input or output and the TensorFlow node it stands for. */
export interface TensorBinding {
  /** The ONNX name. */
  name: string;
  /** The TensorFlow node (any node: the graph is cut at an input). */
  from: string;
}

/** A float input: its declared shape (strings name symbolic dimensions) may be left out for a `Placeholder`, which declares its own. */
export interface InputBinding extends TensorBinding {
  shape?: readonly (number | string)[];
}

/** A float output: its ONNX name, TensorFlow node and declared shape (strings name symbolic dimensions). */
export interface OutputBinding extends TensorBinding {
  shape: readonly (number | string)[];
}

/** What to convert and how to label it. */
export interface ConversionSpec {
  graphName: string;
  inputs: readonly InputBinding[];
  outputs: readonly OutputBinding[];
  /** The model's description (provenance, licence), stored as the ONNX doc string. */
  docString: string;
  /** Stored as the ONNX metadata properties. */
  metadata: Readonly<Record<string, string>>;
}

/** The default-domain opset the converted nodes follow, and its IR version. */
const OPSET = 17;
const IR_VERSION = 8;

/** The nodes the outputs depend on short of the `cut` nodes (the graph inputs), inputs before their consumers. */
function reachableNodes(nodes: ReadonlyMap<string, TfNodeDef>, outputs: readonly string[], cut: ReadonlySet<string>): TfNodeDef[] {
  const order: TfNodeDef[] = [];
  const seen = new Set<string>(cut);
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

function checkSupported(order: readonly TfNodeDef[]): void {
  const unfed = order.filter((node) => node.op === 'Placeholder');
  if (unfed.length > 0) throw new Error(`the outputs need placeholders that are not inputs: ${unfed.map((node) => node.name).join(', ')}`);
  const unsupported = [...new Set(order.map((node) => node.op).filter((op) => !SUPPORTED_OPS.includes(op)))];
  if (unsupported.length > 0) throw new Error(`unsupported TensorFlow ops: ${unsupported.join(', ')}`);
}

/** A graph input with its declared shape, else the placeholder's; unknown placeholder dimensions become `batch` (the first) or `<name>_<axis>`. */
function inputInfo(binding: InputBinding, nodes: ReadonlyMap<string, TfNodeDef>): OnnxValueInfo {
  const node = nodes.get(binding.from);
  if (!node) throw new Error(`input ${binding.name}: the graph has no node ${binding.from}`);
  if (binding.shape) return { name: binding.name, dataType: DataType.FLOAT, shape: binding.shape };
  if (node.op !== 'Placeholder') throw new Error(`input ${binding.name}: ${binding.from} is not a placeholder, so its shape must be given`);
  const shape = placeholderShape(node).map((dim, axis) => (dim >= 0 ? dim : axis === 0 ? 'batch' : `${binding.name}_${axis}`));
  return { name: binding.name, dataType: DataType.FLOAT, shape };
}

/** Converts `model`'s subgraph from `spec.inputs` to `spec.outputs` into an ONNX model (opset 17). */
export function convertTfjsGraph(model: TfjsGraphModel, spec: ConversionSpec): OnnxModel {
  const nodes = new Map(model.json.modelTopology.node.map((node) => [node.name, node]));
  const inputs = spec.inputs.map((binding) => inputInfo(binding, nodes));
  const order = reachableNodes(nodes, spec.outputs.map((output) => output.from), new Set(spec.inputs.map((input) => input.from)));
  checkSupported(order);
  const renames = new Map([...spec.inputs, ...spec.outputs].map((binding) => [binding.from, binding.name]));
  const g = new OnnxGraphBuilder(tfjsWeights(model), renames);
  for (const node of order) convertNode(node, g);
  return {
    graph: {
      name: spec.graphName,
      nodes: g.nodes,
      initializers: g.initializers,
      inputs,
      outputs: spec.outputs.map((output) => ({ name: output.name, dataType: DataType.FLOAT, shape: output.shape })),
    },
    opset: OPSET,
    irVersion: IR_VERSION,
    producerName: 'sonority scripts/tfjs-to-onnx.ts',
    docString: spec.docString,
    metadata: spec.metadata,
  };
}

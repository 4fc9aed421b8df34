/**
 * Collects the ONNX nodes and initializers of a graph converted from a
 * TensorFlow GraphDef: names values after the TensorFlow nodes (or the
 * caller's renames), turns `Const` nodes into initializers on first use and
 * mints names for the extra values a conversion needs.
 */
import { DataType, type OnnxAttribute, type OnnxNode, type OnnxTensor } from './onnx-proto.ts';
import type { TfWeight } from './tfjs-graph.ts';

/** The node a GraphDef tensor reference (`name`, `name:0`) points at; other output indices are refused. */
export function tensorNode(ref: string): string {
  const [name, index] = ref.split(':') as [string, string?];
  if (index !== undefined && index !== '0') throw new Error(`tensor ${ref}: only first outputs are supported`);
  return name;
}

function floatTensor(name: string, dims: readonly number[], values: Float32Array): OnnxTensor {
  return { name, dataType: DataType.FLOAT, dims, raw: new Uint8Array(values.buffer, values.byteOffset, values.byteLength) };
}

function int64Tensor(name: string, dims: readonly number[], values: ArrayLike<number | bigint>): OnnxTensor {
  const wide = BigInt64Array.from(Array.from(values, (v) => BigInt(v)));
  return { name, dataType: DataType.INT64, dims, raw: new Uint8Array(wide.buffer) };
}

/** The ONNX graph under construction. */
export class OnnxGraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  readonly #weights: ReadonlyMap<string, TfWeight>;
  readonly #renames: ReadonlyMap<string, string>;
  readonly #initialised = new Set<string>();
  #count = 0;

  /** `weights`: the `Const` values by node name; `renames`: TensorFlow node → ONNX value name (graph inputs and outputs). */
  constructor(weights: ReadonlyMap<string, TfWeight>, renames: ReadonlyMap<string, string>) {
    this.#weights = weights;
    this.#renames = renames;
  }

  /** The ONNX value that holds the output of the TensorFlow node `tfName`. */
  name(tfName: string): string {
    return this.#renames.get(tfName) ?? tfName;
  }

  /** The ONNX value a node input refers to; a `Const` becomes an initializer on first use (int32 widened to int64, as ONNX shape operands are). */
  input(ref: string): string {
    const tfName = tensorNode(ref);
    const weight = this.#weights.get(tfName);
    if (weight && !this.#initialised.has(tfName)) {
      this.#initialised.add(tfName);
      const name = this.name(tfName);
      this.initializers.push(
        weight.values instanceof Float32Array
          ? floatTensor(name, weight.shape, weight.values)
          : int64Tensor(name, weight.shape, weight.values),
      );
    }
    return this.name(tfName);
  }

  /** The value of a `Const` input, for operands that ONNX takes as attributes or in another layout. */
  constant(ref: string): TfWeight {
    const weight = this.#weights.get(tensorNode(ref));
    if (!weight) throw new Error(`${ref} must be a constant`);
    return weight;
  }

  /** Adds an `op` node named after the TensorFlow node `base`; returns its output (`output`, or a fresh name). */
  add(base: string, op: string, inputs: readonly string[], attributes: readonly OnnxAttribute[] = [], output?: string): string {
    const name = `${base}/${op}_${++this.#count}`;
    const result = output ?? name;
    this.nodes.push({ name, op, inputs, outputs: [result], attributes });
    return result;
  }

  /** Adds a float initializer named `name`; returns the name. */
  floats(name: string, dims: readonly number[], values: Float32Array): string {
    this.initializers.push(floatTensor(name, dims, values));
    return name;
  }

  /** Adds a 1-D int64 initializer under a fresh name derived from `base`; returns the name. */
  int64s(base: string, values: readonly (number | bigint)[]): string {
    const name = `${base}/const_${++this.#count}`;
    this.initializers.push(int64Tensor(name, [values.length], values));
    return name;
  }
}

/**
 * TensorFlow → ONNX (opset 17) for the ops of the MusiCNN graph as the
 * TensorFlow.js converter leaves it (fused conv/matmul, batch norms folded
 * into Mul/Add). Tensors stay in TensorFlow's NHWC layout; the ops ONNX only
 * has in NCHW (Conv, MaxPool) are wrapped in Transposes, which ONNX Runtime's
 * graph optimiser cancels or folds. Integer tensors (shapes, axes) are int64.
 */
import type { OnnxAttribute } from './onnx-proto.ts';
import { attrBool, attrInt, attrInts, attrString, attrStrings, type TfNodeDef } from './tfjs-graph.ts';
import type { OnnxGraphBuilder } from './graph-builder.ts';

type Converter = (node: TfNodeDef, g: OnnxGraphBuilder) => void;

const NHWC_TO_NCHW = [0, 3, 1, 2];
const NCHW_TO_NHWC = [0, 2, 3, 1];
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** The node's data inputs (control inputs `^x` dropped). */
function refs(node: TfNodeDef): string[] {
  return (node.input ?? []).filter((ref) => !ref.startsWith('^'));
}

function ref(node: TfNodeDef, index: number): string {
  const found = refs(node)[index];
  if (found === undefined) throw new Error(`${node.name} (${node.op}): missing input ${index}`);
  return found;
}

function constInts(g: OnnxGraphBuilder, node: TfNodeDef, index: number): number[] {
  return Array.from(g.constant(ref(node, index)).values);
}

function ints(name: string, values: readonly (number | bigint)[]): OnnxAttribute {
  return { name, ints: values };
}

/** The H and W entries of an NHWC 4-vector attribute (`strides`, `ksize`, `dilations`); batch and channel must be 1. */
function spatial(node: TfNodeDef, key: string): number[] {
  const values = attrInts(node, key);
  if (values.length === 0) return [1, 1];
  const [n, h, w, c] = values;
  if (values.length !== 4 || n !== 1 || c !== 1) throw new Error(`${node.name}: unsupported ${key} ${values.join(',')}`);
  return [h!, w!];
}

/** ONNX `auto_pad` for TensorFlow's `padding`: SAME puts the odd pixel at the end, as SAME_UPPER does. */
function autoPad(node: TfNodeDef): OnnxAttribute {
  const padding = attrString(node, 'padding', 'VALID');
  if (padding !== 'SAME' && padding !== 'VALID') throw new Error(`${node.name}: unsupported padding ${padding}`);
  return { name: 'auto_pad', string: padding === 'SAME' ? 'SAME_UPPER' : 'VALID' };
}

/** Whether a fused op ends in a Relu; only BiasAdd and BiasAdd+Relu with one extra argument are supported. */
function fusedRelu(node: TfNodeDef): boolean {
  const fused = attrStrings(node, 'fused_ops').join('+');
  if (attrInt(node, 'num_args', 1) !== 1 || (fused !== 'BiasAdd' && fused !== 'BiasAdd+Relu')) {
    throw new Error(`${node.name}: unsupported fused ops ${fused}`);
  }
  return fused === 'BiasAdd+Relu';
}

/** Transposes the NHWC input to NCHW, runs `body` on it and writes the NCHW result back as the node's NHWC output. */
function inNchw(node: TfNodeDef, g: OnnxGraphBuilder, body: (nchw: string) => string): void {
  if (attrString(node, 'data_format', 'NHWC') !== 'NHWC') throw new Error(`${node.name}: only NHWC is supported`);
  const nchw = g.add(node.name, 'Transpose', [g.input(ref(node, 0))], [ints('perm', NHWC_TO_NCHW)]);
  g.add(node.name, 'Transpose', [body(nchw)], [ints('perm', NCHW_TO_NHWC)], g.name(node.name));
}

/** TensorFlow's HWIO conv kernel as ONNX's OIHW. */
function kernelOihw(values: Float32Array, [kh, kw, ci, co]: readonly [number, number, number, number]): Float32Array {
  const out = new Float32Array(values.length);
  for (let h = 0; h < kh; h++) {
    for (let w = 0; w < kw; w++) {
      for (let i = 0; i < ci; i++) {
        for (let o = 0; o < co; o++) out[((o * ci + i) * kh + h) * kw + w] = values[((h * kw + w) * ci + i) * co + o]!;
      }
    }
  }
  return out;
}

const fusedConv2d: Converter = (node, g) => {
  const relu = fusedRelu(node);
  const kernel = g.constant(ref(node, 1));
  if (!(kernel.values instanceof Float32Array) || kernel.shape.length !== 4) throw new Error(`${node.name}: the kernel must be a 4-D float constant`);
  const [kh, kw, ci, co] = kernel.shape as [number, number, number, number];
  const weights = g.floats(`${kernel.name}/OIHW`, [co, ci, kh, kw], kernelOihw(kernel.values, [kh, kw, ci, co]));
  const bias = g.input(ref(node, 2));
  inNchw(node, g, (x) => {
    const conv = g.add(node.name, 'Conv', [x, weights, bias], [
      ints('kernel_shape', [kh, kw]), ints('strides', spatial(node, 'strides')), ints('dilations', spatial(node, 'dilations')), autoPad(node),
    ]);
    return relu ? g.add(node.name, 'Relu', [conv]) : conv;
  });
};

const maxPool: Converter = (node, g) => {
  inNchw(node, g, (x) =>
    g.add(node.name, 'MaxPool', [x], [ints('kernel_shape', spatial(node, 'ksize')), ints('strides', spatial(node, 'strides')), autoPad(node)]),
  );
};

const fusedMatMul: Converter = (node, g) => {
  const relu = fusedRelu(node);
  const transposes = [
    { name: 'transA', int: Number(attrBool(node, 'transpose_a', false)) },
    { name: 'transB', int: Number(attrBool(node, 'transpose_b', false)) },
  ];
  const inputs = [0, 1, 2].map((i) => g.input(ref(node, i)));
  const gemm = g.add(node.name, 'Gemm', inputs, transposes, relu ? undefined : g.name(node.name));
  if (relu) g.add(node.name, 'Relu', [gemm], [], g.name(node.name));
};

/** Elementwise ops that mean the same in both (binary ones broadcast as NumPy does in both). */
function elementwise(op: string): Converter {
  return (node, g) => {
    g.add(node.name, op, refs(node).map((r) => g.input(r)), [], g.name(node.name));
  };
}

/** Max/Mean over constant axes, as ReduceMax/ReduceMean with the axes as an attribute (opset 17). */
function reduce(op: string): Converter {
  return (node, g) => {
    const attributes = [ints('axes', constInts(g, node, 1)), { name: 'keepdims', int: Number(attrBool(node, 'keep_dims', false)) }];
    g.add(node.name, op, [g.input(ref(node, 0))], attributes, g.name(node.name));
  };
}

const expandDims: Converter = (node, g) => {
  g.add(node.name, 'Unsqueeze', [g.input(ref(node, 0)), g.int64s(node.name, constInts(g, node, 1))], [], g.name(node.name));
};

const squeeze: Converter = (node, g) => {
  const axes = attrInts(node, 'squeeze_dims');
  const inputs = [g.input(ref(node, 0)), ...(axes.length > 0 ? [g.int64s(node.name, axes)] : [])];
  g.add(node.name, 'Squeeze', inputs, [], g.name(node.name));
};

/** TensorFlow's `[rank, 2]` paddings as ONNX's `[begin_0 … begin_n, end_0 … end_n]`. */
const pad: Converter = (node, g) => {
  const paddings = constInts(g, node, 1);
  const pads = [...paddings.filter((_, i) => i % 2 === 0), ...paddings.filter((_, i) => i % 2 === 1)];
  g.add(node.name, 'Pad', [g.input(ref(node, 0)), g.int64s(node.name, pads)], [], g.name(node.name));
};

const concat: Converter = (node, g) => {
  const inputs = refs(node);
  const axis = Array.from(g.constant(inputs.at(-1)!).values)[0]!;
  g.add(node.name, 'Concat', inputs.slice(0, -1).map((r) => g.input(r)), [{ name: 'axis', int: axis }], g.name(node.name));
};

const transpose: Converter = (node, g) => {
  g.add(node.name, 'Transpose', [g.input(ref(node, 0))], [ints('perm', constInts(g, node, 1))], g.name(node.name));
};

const shape: Converter = (node, g) => {
  g.add(node.name, 'Shape', [g.input(ref(node, 0))], [], g.name(node.name));
};

const reshape: Converter = (node, g) => {
  g.add(node.name, 'Reshape', [g.input(ref(node, 0)), g.input(ref(node, 1))], [], g.name(node.name));
};

/** Constant begin/end/strides with begin, end and shrink-axis masks: a Slice, then a Squeeze of the shrunk axes. */
const stridedSlice: Converter = (node, g) => {
  if (attrInt(node, 'ellipsis_mask', 0) !== 0 || attrInt(node, 'new_axis_mask', 0) !== 0) {
    throw new Error(`${node.name}: ellipsis and new-axis masks are not supported`);
  }
  const [begin, end, strides] = [1, 2, 3].map((i) => constInts(g, node, i)) as [number[], number[], number[]];
  const [beginMask, endMask, shrinkMask] = ['begin_mask', 'end_mask', 'shrink_axis_mask'].map((key) => attrInt(node, key, 0)) as [number, number, number];
  const shrunk = begin.map((_, axis) => axis).filter((axis) => shrinkMask & (1 << axis));
  const starts = begin.map((b, axis) => (beginMask & (1 << axis) && !shrunk.includes(axis) ? (strides[axis]! > 0 ? 0n : INT64_MAX) : BigInt(b)));
  const ends = end.map((e, axis) => {
    if (shrunk.includes(axis)) return begin[axis] === -1 ? INT64_MAX : BigInt(begin[axis]! + 1);
    return endMask & (1 << axis) ? (strides[axis]! > 0 ? INT64_MAX : INT64_MIN) : BigInt(e);
  });
  const steps = strides.map((s, axis) => (shrunk.includes(axis) ? 1 : s));
  const sliceInputs = [starts, ends, begin.map((_, axis) => axis), steps].map((values) => g.int64s(node.name, values));
  const output = g.name(node.name);
  const sliced = g.add(node.name, 'Slice', [g.input(ref(node, 0)), ...sliceInputs], [], shrunk.length > 0 ? undefined : output);
  if (shrunk.length > 0) g.add(node.name, 'Squeeze', [sliced, g.int64s(node.name, shrunk)], [], output);
};

/** Stacks its inputs along a new `axis`: an Unsqueeze of each, then a Concat. */
const pack: Converter = (node, g) => {
  const axis = attrInt(node, 'axis', 0);
  const axes = g.int64s(node.name, [axis]);
  const parts = refs(node).map((r) => g.add(node.name, 'Unsqueeze', [g.input(r), axes]));
  g.add(node.name, 'Concat', parts, [{ name: 'axis', int: axis }], g.name(node.name));
};

/** A `Const` becomes an initializer when first used; this only checks that its value is among the weights. */
const constant: Converter = (node, g) => {
  g.constant(node.name);
};

const CONVERTERS: Readonly<Record<string, Converter>> = {
  Const: constant,
  Add: elementwise('Add'),
  Mul: elementwise('Mul'),
  Sigmoid: elementwise('Sigmoid'),
  _FusedConv2D: fusedConv2d,
  _FusedMatMul: fusedMatMul,
  MaxPool: maxPool,
  Max: reduce('ReduceMax'),
  Mean: reduce('ReduceMean'),
  ExpandDims: expandDims,
  Squeeze: squeeze,
  Pad: pad,
  ConcatV2: concat,
  Transpose: transpose,
  Shape: shape,
  StridedSlice: stridedSlice,
  Pack: pack,
  Reshape: reshape,
};

/** The TensorFlow ops this converter handles. */
export const SUPPORTED_OPS: readonly string[] = Object.keys(CONVERTERS);

/** Appends the ONNX nodes for one TensorFlow node (inputs already converted). */
export function convertNode(node: TfNodeDef, g: OnnxGraphBuilder): void {
  const convert = CONVERTERS[node.op];
  if (!convert) throw new Error(`${node.name}: unsupported TensorFlow op ${node.op}`);
  convert(node, g);
}

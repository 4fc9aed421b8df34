import type * as TF from '@tensorflow/tfjs';
import type { Tf } from '../model/tf-runtime.ts';
import { createRandom, permutation } from '../model/prng.ts';
import type { PackedSequences } from './patch-sequences.ts';
import { adamStep } from './adam.ts';

/**
 * The recurrent back-end of Sonority's CRNN: MusiCNN (the convolutional
 * front-end) embeds each 3-s patch; a GRU reads the track's patch sequence,
 * its states are averaged over the real (unmasked) steps, and a dense layer
 * scores the user's genres. Several such networks (one per out-of-fold
 * split) train at once as one tensor program, on shared batches.
 */
export const SEQUENCE_SETTINGS = {
  /** GRU units. */
  hidden: 32,
  /** Adam steps (the rate falling to 0 on a cosine): fixed, so training time does not grow with the library. */
  steps: 240,
  learningRate: 0.01,
  /** Tracks per step, shared by the networks (each learns from those it does not hold out). */
  batchSize: 32,
  /** Weight of the sum of squared weights, added to the mean cross-entropy. */
  l2: 1e-3,
} as const;

/** One trained network's weights, row-major (GRU gates in the order update, reset, candidate). */
export interface SequenceWeights {
  /** [width, 3·hidden] and [3·hidden]: the input's contribution to the gates. */
  inputKernel: Float32Array;
  inputBias: Float32Array;
  /** [hidden, 3·hidden] and [3·hidden]: the previous state's. */
  recurrentKernel: Float32Array;
  recurrentBias: Float32Array;
  /** [hidden, classes] and [classes]: the pooled state's genre scores (logits). */
  outputKernel: Float32Array;
  outputBias: Float32Array;
  width: number;
  hidden: number;
  classes: number;
}

/** Networks to train on one set of sequences. */
export interface SequenceFitsProblem {
  sequences: PackedSequences;
  classes: number;
  /** Per row and class: the target probability (one-hot, or spread over a track's several genres); rows × classes. */
  targets: Float32Array;
  /** Per row: whether it has a target. */
  labelled: Uint8Array;
  /** Per row: the fit that holds it out (−1: none). Every fit trains on the labelled rows it does not hold out. */
  heldOutBy: Int32Array;
  fits: number;
  seed: number;
  /** Called after each step with steps done and total. */
  onStep?: (done: number, total: number) => void;
  /** Checked before each step; training stops with `signal.reason` once it is aborted. */
  signal?: AbortSignal;
}

type NetworkVariables = Record<'wx' | 'bx' | 'wh' | 'bh' | 'wo' | 'bo', TF.Variable>;

/**
 * The fits side by side as one wide network: fit f's state is units
 * f·H…(f+1)·H, its part of gate g the columns (g·fits + f)·H…, and its
 * genres the output columns f·C…(f+1)·C; the recurrent and output kernels are block
 * diagonal (`blocks` masks their gradients, so the off-block zeros stay).
 * Plain 2-D matrix products throughout: on the wasm backend a batched or
 * transposed product is an order of magnitude slower.
 */
function initialParameters(tf: Tf, fits: number, width: number, classes: number, seed: number): { params: NetworkVariables; blocks: Partial<Record<keyof NetworkVariables, TF.Tensor>> } {
  const { hidden } = SEQUENCE_SETTINGS;
  const random = createRandom(seed);
  /** [rows (× fits when diagonal), gates · fits · cols]: fit f's block of gate g is columns (g·fits + f)·cols…, gate-major so the gates split without a reshape. */
  const glorotBlocks = (rows: number, gates: number, cols: number, diagonal: boolean) => {
    const width = gates * fits * cols;
    const values = new Float32Array((diagonal ? fits * rows : rows) * width);
    const mask = new Float32Array(values.length);
    const limit = Math.sqrt(6 / (rows + gates * cols));
    for (let f = 0; f < fits; f++) for (let i = 0; i < rows; i++) for (let g = 0; g < gates; g++) for (let j = 0; j < cols; j++) {
      const at = ((diagonal ? f * rows : 0) + i) * width + (g * fits + f) * cols + j;
      values[at] = (2 * random() - 1) * limit;
      mask[at] = 1;
    }
    return { values, mask, shape: [diagonal ? fits * rows : rows, width] as [number, number] };
  };
  const [wx, wh, wo] = [glorotBlocks(width, 3, hidden, false), glorotBlocks(hidden, 3, hidden, true), glorotBlocks(hidden, 1, classes, true)];
  const variable = (values: Float32Array, shape: [number, number]) => tf.tidy(() => tf.variable(tf.tensor2d(values, shape)));
  return {
    params: {
      wx: variable(wx.values, wx.shape), bx: variable(new Float32Array(fits * 3 * hidden), [1, fits * 3 * hidden]),
      wh: variable(wh.values, wh.shape), bh: variable(new Float32Array(fits * 3 * hidden), [1, fits * 3 * hidden]),
      wo: variable(wo.values, wo.shape), bo: variable(new Float32Array(fits * classes), [1, fits * classes]),
    },
    blocks: { wh: tf.tensor2d(wh.mask, wh.shape), wo: tf.tensor2d(wo.mask, wo.shape) },
  };
}

/** Products whose gradients use explicit transposes and plain products (autodiff's transposed products are the slow kind on wasm). */
function fastProducts(tf: Tf) {
  type GradientFunction = Parameters<Tf['customGrad']>[0];
  const state = tf.customGrad(((a: TF.Tensor, b: TF.Tensor, save: TF.GradSaveFunc) => {
    save([a, b]);
    return {
      value: tf.matMul(a as TF.Tensor2D, b as TF.Tensor2D),
      gradFunc: (dy: TF.Tensor, [sa, sb]: TF.Tensor[]) => [tf.matMul(dy as TF.Tensor2D, tf.transpose(sb!) as TF.Tensor2D), tf.matMul(tf.transpose(sa!) as TF.Tensor2D, dy as TF.Tensor2D)],
    };
  }) as unknown as GradientFunction) as unknown as (a: TF.Tensor, b: TF.Tensor) => TF.Tensor2D;
  /** x·w for an input x that needs no gradient, with xᵀ built on the host. */
  const input = tf.customGrad(((x: TF.Tensor, xT: TF.Tensor, w: TF.Tensor, save: TF.GradSaveFunc) => {
    save([xT]);
    return {
      value: tf.matMul(x as TF.Tensor2D, w as TF.Tensor2D),
      gradFunc: (dy: TF.Tensor, [sxT]: TF.Tensor[]) => [tf.zerosLike(x), tf.zerosLike(xT), tf.matMul(sxT as TF.Tensor2D, dy as TF.Tensor2D)],
    };
  }) as unknown as GradientFunction) as unknown as (x: TF.Tensor, xT: TF.Tensor, w: TF.Tensor) => TF.Tensor2D;
  return { state, input };
}

type Products = ReturnType<typeof fastProducts>;

/** One batch, time-major: per step the inputs [batch, width] and their transpose, and the mask [batch, 1] (1 for a real step). */
interface Batch {
  x: TF.Tensor2D[];
  xT: TF.Tensor2D[];
  mask: TF.Tensor2D[];
}

/**
 * Logits [batch, fits·classes] of the wide network. The GRU's states are
 * averaged over each row's real steps; a row with no real step pools to
 * zeros and scores each fit's output bias. Padding is at the end, so a
 * padded step never feeds a real one and only the pooling reads the mask.
 */
function forward(tf: Tf, p: NetworkVariables, batch: Batch, products: Products): TF.Tensor2D {
  const units = p.wh.shape[0]!;
  let state: TF.Tensor = tf.zeros([batch.x[0]!.shape[0], units]);
  let pooled: TF.Tensor = state;
  batch.x.forEach((x, t) => {
    const [xGates, xn] = tf.split(tf.add(products.input(x, batch.xT[t]!, p.wx), p.bx), [2 * units, units], 1);
    const [hGates, hn] = tf.split(tf.add(products.state(state, p.wh), p.bh), [2 * units, units], 1);
    const [update, reset] = tf.split(tf.sigmoid(tf.add(xGates!, hGates!)), 2, 1);
    const candidate = tf.tanh(tf.add(xn!, tf.mul(reset!, hn!)));
    state = tf.add(candidate, tf.mul(update!, tf.sub(state, candidate)));
    pooled = tf.add(pooled, tf.mul(batch.mask[t]!, state));
  });
  const lengths = tf.maximum(tf.addN(batch.mask), 1);
  return tf.add(products.state(tf.div(pooled, lengths), p.wo), p.bo) as TF.Tensor2D;
}

/** The steps of rows `picked`, time-major and padded to the longest, as tensors built on the host (uploading is cheaper than slicing on the wasm backend). */
function stepTensors(tf: Tf, sequences: PackedSequences, picked: Int32Array, transposed: boolean): Batch {
  const { values, lengths, steps: stride, width } = sequences;
  const size = picked.length;
  const steps = Math.max(1, ...Array.from(picked, (r) => lengths[r]!));
  const batch: Batch = { x: [], xT: [], mask: [] };
  for (let t = 0; t < steps; t++) {
    const [x, xT, mask] = [new Float32Array(size * width), new Float32Array(transposed ? size * width : 0), new Float32Array(size)];
    picked.forEach((row, b) => {
      if (t >= lengths[row]!) return;
      const at = (row * stride + t) * width;
      x.set(values.subarray(at, at + width), b * width);
      if (transposed) for (let j = 0; j < width; j++) xT[j * size + b] = values[at + j]!;
      mask[b] = 1;
    });
    batch.x.push(tf.tensor2d(x, [size, width]));
    if (transposed) batch.xT.push(tf.tensor2d(xT, [width, size]));
    batch.mask.push(tf.tensor2d(mask, [size, 1]));
  }
  return batch;
}

/** Targets [batch, 1, classes] of rows `picked`, and each row's weight in each fit's mean loss [batch, fits, 1] (0 where the fit holds the row out). */
function targetTensors(tf: Tf, problem: SequenceFitsProblem, picked: Int32Array): { y: TF.Tensor3D; weight: TF.Tensor3D } {
  const { classes, fits } = problem;
  const size = picked.length;
  const y = new Float32Array(size * classes);
  const weight = new Float32Array(size * fits);
  const counts = new Float32Array(fits);
  picked.forEach((row, b) => {
    y.set(problem.targets.subarray(row * classes, (row + 1) * classes), b * classes);
    for (let f = 0; f < fits; f++) if (problem.heldOutBy[row] !== f) (weight[b * fits + f] = 1), counts[f]!++;
  });
  weight.forEach((w, k) => (weight[k] = w / Math.max(counts[k % fits]!, 1)));
  return { y: tf.tensor3d(y, [size, 1, classes]), weight: tf.tensor3d(weight, [size, fits, 1]) };
}

/** One Adam update of every parameter at step t (1-based); `blocks` masks the block-diagonal kernels' gradients. */
function adamUpdate(tf: Tf, p: NetworkVariables, blocks: Partial<Record<keyof NetworkVariables, TF.Tensor>>, grads: Record<string, TF.Tensor>, moments: Map<string, [TF.Variable, TF.Variable]>, t: number, rate: number): void {
  for (const [name, variable] of Object.entries(p) as [keyof NetworkVariables, TF.Variable][]) {
    const gradient = blocks[name] ? tf.mul(grads[variable.name]!, blocks[name]!) : grads[variable.name]!;
    adamStep(tf, variable, moments.get(name)!, gradient, t, rate);
  }
}

/** Fit f's weights out of the wide network's (gates update, reset, candidate side by side). */
function weightsOf(values: Record<keyof NetworkVariables, Float32Array>, f: number, fits: number, width: number, classes: number): SequenceWeights {
  const hidden = SEQUENCE_SETTINGS.hidden;
  const block = (array: Float32Array, rows: number, rowFrom: number, gates: number, cols: number) => {
    const out = new Float32Array(rows * gates * cols);
    for (let i = 0; i < rows; i++) for (let g = 0; g < gates; g++) {
      const from = (rowFrom + i) * gates * fits * cols + (g * fits + f) * cols;
      out.set(array.subarray(from, from + cols), (i * gates + g) * cols);
    }
    return out;
  };
  return {
    inputKernel: block(values.wx, width, 0, 3, hidden), inputBias: block(values.bx, 1, 0, 3, hidden),
    recurrentKernel: block(values.wh, hidden, f * hidden, 3, hidden), recurrentBias: block(values.bh, 1, 0, 3, hidden),
    outputKernel: block(values.wo, hidden, f * hidden, 1, classes), outputBias: block(values.bo, 1, 0, 1, classes),
    width, hidden, classes,
  };
}

/**
 * Trains `fits` GRU networks at once, each on the labelled rows it does not
 * hold out, by Adam on shared mini-batches (each fit's soft-target
 * cross-entropy over its rows, plus L2) for a fixed number of steps from
 * seeded Glorot weights; deterministic for a seed on one backend. Gradients
 * of the products are written with explicit transposes (see
 * `fastProducts`). Returns each fit's weights. Disposes every
 * tensor it makes.
 */
export function fitSequenceNetworks(tf: Tf, problem: SequenceFitsProblem): SequenceWeights[] {
  const { fits, classes, seed } = problem;
  const { width } = problem.sequences;
  const { steps, batchSize, learningRate, l2 } = SEQUENCE_SETTINGS;
  const labelled = Int32Array.from(problem.labelled.keys()).filter((r) => problem.labelled[r] === 1);
  for (let f = 0; f < fits; f++) if (!labelled.some((r) => problem.heldOutBy[r] !== f)) throw new RangeError(`fit ${f} holds out every labelled row`);
  const { params, blocks } = initialParameters(tf, fits, width, classes, seed);
  const moments = new Map(Object.entries(params).map(([name, v]) => [name, tf.tidy(() => [tf.variable(tf.zerosLike(v)), tf.variable(tf.zerosLike(v))]) as [TF.Variable, TF.Variable]]));
  const products = fastProducts(tf);
  const random = createRandom(seed + 1);
  const batch = Math.min(batchSize, labelled.length);
  let order = permutation(labelled.length, random);
  let cursor = 0;
  try {
    for (let t = 1; t <= steps; t++) {
      problem.signal?.throwIfAborted();
      if (cursor + batch > order.length) [order, cursor] = [permutation(labelled.length, random), 0];
      const picked = order.subarray(cursor, (cursor += batch)).map((k) => labelled[k]!);
      tf.tidy(() => {
        const tensors = stepTensors(tf, problem.sequences, picked, true);
        const { y, weight } = targetTensors(tf, problem, picked);
        const { grads } = tf.variableGrads(() => {
          const logProbabilities = tf.logSoftmax(tf.reshape(forward(tf, params, tensors, products), [batch, fits, classes]));
          const crossEntropy = tf.neg(tf.sum(tf.mul(weight, tf.mul(y, logProbabilities))));
          const decay = tf.addN([params.wx, params.wh, params.wo].map((w) => tf.sum(tf.square(w))));
          return tf.add(crossEntropy, tf.mul(decay, l2)) as TF.Scalar;
        }, Object.values(params));
        adamUpdate(tf, params, blocks, grads, moments, t, learningRate * 0.5 * (1 + Math.cos((Math.PI * (t - 1)) / steps)));
      });
      problem.onStep?.(t, steps);
    }
    const values = Object.fromEntries(Object.entries(params).map(([name, v]) => [name, v.dataSync() as Float32Array])) as Record<keyof NetworkVariables, Float32Array>;
    return Array.from({ length: fits }, (_, f) => weightsOf(values, f, fits, width, classes));
  } finally {
    for (const v of [...Object.values(params), ...Object.values(blocks), ...[...moments.values()].flat()]) v!.dispose();
  }
}

/** Rows scored per call by `sequenceNetworkLogits`. */
const INFERENCE_ROWS = 256;

/**
 * One trained network's logits for rows `rows` of `sequences` (rows.length ×
 * classes, in that order), in chunks of 256 rows. Disposes every tensor it
 * makes.
 */
export function sequenceNetworkLogits(tf: Tf, weights: SequenceWeights, sequences: PackedSequences, rows: Int32Array): Float32Array {
  const { width, hidden, classes } = weights;
  const out = new Float32Array(rows.length * classes);
  tf.tidy(() => {
    const p = {
      wx: tf.tensor2d(weights.inputKernel, [width, 3 * hidden]), bx: tf.tensor2d(weights.inputBias, [1, 3 * hidden]),
      wh: tf.tensor2d(weights.recurrentKernel, [hidden, 3 * hidden]), bh: tf.tensor2d(weights.recurrentBias, [1, 3 * hidden]),
      wo: tf.tensor2d(weights.outputKernel, [hidden, classes]), bo: tf.tensor2d(weights.outputBias, [1, classes]),
    } as unknown as NetworkVariables;
    const products: Products = { input: (x, _xT, w) => tf.matMul(x as TF.Tensor2D, w as TF.Tensor2D), state: (a, b) => tf.matMul(a as TF.Tensor2D, b as TF.Tensor2D) };
    for (let from = 0; from < rows.length; from += INFERENCE_ROWS) {
      const picked = rows.subarray(from, from + INFERENCE_ROWS);
      tf.tidy(() => out.set(forward(tf, p, stepTensors(tf, sequences, picked, false), products).dataSync() as Float32Array, from * classes));
    }
  });
  return out;
}

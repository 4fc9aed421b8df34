import type * as TF from '@tensorflow/tfjs';
import type { Tf } from '../model/tf-runtime.ts';
import { createRandom, permutation } from '../model/prng.ts';
import { adamStep } from './adam.ts';

/** Several multinomial logistic regressions fitted at once on one input matrix. */
export interface FitsProblem {
  /** Standardised inputs, row-major [rows, width]. */
  x: Float32Array;
  width: number;
  classes: number;
  /** Per row: its class, or −1 for a row no fit trains on. */
  labels: Int32Array;
  /** Per row and class, the target probabilities (rows × classes; default one-hot of `labels`): a track with several genres spreads its target over them. */
  targets?: Float32Array;
  /** Per row: the fit that holds it out (−1: none). Fit `fits − 1` is the final fit on every labelled row. */
  heldOutBy: Int32Array;
  fits: number;
  seed: number;
  /** Called after each step with steps done and total. */
  onStep?: (done: number, total: number) => void;
  /** Checked before each step; fitting stops with `signal.reason` once it is aborted. */
  signal?: AbortSignal;
}

/**
 * Optimisation settings, fixed: the L2 weight of the genre model's
 * logistic-regression candidate; steps, rate and batch size such that the
 * out-of-fold log-loss is within 0.001 of longer full-batch fits' (GTZAN
 * table; 10,000 synthetic tracks) while a step costs the same at any
 * library size.
 */
export const REGRESSION_SETTINGS = {
  /** Weight of each fit's sum of squared weights, added to its mean cross-entropy. */
  l2: 1e-2,
  /** Adam steps, the learning rate falling from `learningRate` to 0 on a cosine. */
  steps: 300,
  learningRate: 0.05,
  /** Rows per step (all labelled rows when fewer): the cost of a step does not grow with the library. */
  batchSize: 512,
} as const;

/** The rows with a constant 1 appended to each (the bias input), [rows, width + 1]. */
function withBiasInput(x: Float32Array, width: number): Float32Array {
  const rows = x.length / width;
  const out = new Float32Array(rows * (width + 1));
  for (let i = 0; i < rows; i++) {
    out.set(x.subarray(i * width, (i + 1) * width), i * (width + 1));
    out[i * (width + 1) + width] = 1;
  }
  return out;
}

/**
 * One batch as tensors, built on the host (uploading is much cheaper than a
 * gather on the wasm backend): inputs [B, D] and transposed [D, B], one-hot
 * classes [B, C], and each row's weight in each fit's mean loss [B, F].
 */
function batchTensors(tf: Tf, problem: FitsProblem, x: Float32Array, picked: Int32Array): TF.Tensor2D[] {
  const { classes, fits } = problem;
  const [b, d] = [picked.length, problem.width + 1];
  const [xb, xt] = [new Float32Array(b * d), new Float32Array(b * d)];
  const [oneHot, weight] = [new Float32Array(b * classes), new Float32Array(b * fits)];
  const counts = new Float32Array(fits);
  picked.forEach((row, i) => {
    xb.set(x.subarray(row * d, (row + 1) * d), i * d);
    for (let j = 0; j < d; j++) xt[j * b + i] = x[row * d + j]!;
    if (problem.targets) oneHot.set(problem.targets.subarray(row * classes, (row + 1) * classes), i * classes);
    else oneHot[i * classes + problem.labels[row]!] = 1;
    for (let f = 0; f < fits; f++) {
      if (problem.heldOutBy[row] === f) continue;
      weight[i * fits + f] = 1;
      counts[f]!++;
    }
  });
  weight.forEach((w, k) => (weight[k] = w / Math.max(counts[k % fits]!, 1))); // k % fits: the fit of entry k
  return [tf.tensor2d(xb, [b, d]), tf.tensor2d(xt, [d, b]), tf.tensor2d(oneHot, [b, classes]), tf.tensor2d(weight, [b, fits])];
}

/**
 * Fits `fits` L2-regularised multinomial logistic regressions as one tensor
 * program: the weights of all fits side by side ([width + 1, fits · classes],
 * the last row the biases), every fit trained on the labelled rows it does
 * not hold out, by full- or large-batch Adam for a fixed number of steps from
 * zero weights, so the result depends only on the data and the seed (which
 * orders the batches). The gradient is written out (Xᵀ·(softmax − one-hot),
 * weighted per fit) rather than taken by autodiff, which on the wasm backend
 * multiplies by a transposed matrix an order of magnitude more slowly.
 * Returns each fit's probabilities for every row, [rows, fits, classes] flat.
 * Disposes every tensor it makes.
 */
export function fitSoftmaxRegressions(tf: Tf, problem: FitsProblem): Float32Array {
  problem.signal?.throwIfAborted();
  const { width, classes, fits } = problem;
  const x = withBiasInput(problem.x, width);
  const rows = problem.labels.length;
  const labelled = Int32Array.from(problem.labels.keys()).filter((row) => problem.labels[row]! >= 0);
  const { steps, batchSize, learningRate, l2 } = REGRESSION_SETTINGS;
  const zeros = (shape: number[]) => {
    const initial = tf.zeros(shape);
    const variable = tf.variable(initial);
    initial.dispose();
    return variable;
  };
  const weights = zeros([width + 1, fits * classes]);
  const moments: [TF.Variable, TF.Variable] = [zeros(weights.shape), zeros(weights.shape)];
  const decay = tf.tensor2d(Float32Array.from({ length: width + 1 }, (_, j) => (j < width ? 2 * l2 : 0)), [width + 1, 1]);
  const batch = Math.min(batchSize, labelled.length);
  const random = createRandom(problem.seed);
  let order = permutation(labelled.length, random);
  let cursor = 0;
  for (let t = 1; t <= steps; t++) {
    if (problem.signal?.aborted) {
      [weights, ...moments, decay].forEach((tensor) => tensor.dispose());
      problem.signal.throwIfAborted();
    }
    if (cursor + batch > order.length) [order, cursor] = [permutation(labelled.length, random), 0];
    const picked = order.subarray(cursor, (cursor += batch)).map((k) => labelled[k]!);
    tf.tidy(() => {
      const [xb, xt, yb, wb] = batchTensors(tf, problem, x, picked);
      const probabilities = tf.softmax(tf.reshape(tf.matMul(xb!, weights), [batch, fits, classes]));
      const error = tf.mul(tf.sub(probabilities, tf.expandDims(yb!, 1)), tf.expandDims(wb!, 2));
      const gradient = tf.add(tf.matMul(xt!, tf.reshape(error, [batch, fits * classes])), tf.mul(weights, decay));
      adamStep(tf, weights, moments, gradient, t, learningRate * 0.5 * (1 + Math.cos((Math.PI * (t - 1)) / steps)));
    });
    problem.onStep?.(t, steps);
  }
  const probabilities = tf.tidy(() => tf.softmax(tf.reshape(tf.matMul(tf.tensor2d(x, [rows, width + 1]), weights), [rows, fits, classes])));
  const values = probabilities.dataSync() as Float32Array;
  [weights, ...moments, decay, probabilities].forEach((tensor) => tensor.dispose());
  return values;
}

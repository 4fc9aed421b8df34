import type * as TF from '@tensorflow/tfjs';
import type { Tf } from './tf-runtime.ts';
import { memberLogits, type MemberLayers } from './network.ts';
import { createRandom, permutation } from './prng.ts';

/** Optimisation settings of one member. */
export interface TrainingSpec {
  dropout: number;
  /** Weight of the sum of squared kernel weights added to the loss. */
  l2: number;
  learningRate: number;
  batchSize: number;
  maxEpochs: number;
  /** Early stopping: epochs without a better valid loss before stopping. */
  patience: number;
}

/** Standardised inputs with class indices. */
export interface Examples {
  x: TF.Tensor2D;
  y: number[];
}

/** What training one member did: the epochs kept (the best valid epoch, or all of them without valid). */
export interface MemberTraining {
  epochs: number;
}

function loss(tf: Tf, layers: MemberLayers, spec: TrainingSpec, x: TF.Tensor2D, oneHot: TF.Tensor2D, dropoutSeed?: number): TF.Scalar {
  const dropout = dropoutSeed === undefined ? undefined : { rate: spec.dropout, seed: dropoutSeed };
  const crossEntropy = tf.losses.softmaxCrossEntropy(oneHot, memberLogits(tf, layers, x, dropout));
  if (dropoutSeed === undefined || spec.l2 === 0) return crossEntropy as TF.Scalar;
  const kernels = layers.map((layer) => tf.sum(tf.square(layer.getWeights()[0]!)));
  return tf.add(crossEntropy, tf.mul(spec.l2, tf.addN(kernels))) as TF.Scalar;
}

function snapshot(layers: MemberLayers): TF.Tensor[][] {
  return layers.map((layer) => layer.getWeights().map((w) => w.clone()));
}

function restore(layers: MemberLayers, weights: TF.Tensor[][]): void {
  layers.forEach((layer, i) => layer.setWeights(weights[i]!));
  weights.flat().forEach((w) => w.dispose());
}

/**
 * Trains one member with Adam on seeded mini-batches. With `valid`, keeps
 * the weights of the epoch with the lowest valid loss and stops after
 * `patience` epochs without improvement; without it, runs `epochs` epochs
 * (the refit on all data). Deterministic for a given seed and backend.
 */
export function trainMember(tf: Tf, layers: MemberLayers, spec: TrainingSpec, train: Examples, seed: number, stop: { valid: Examples } | { epochs: number }): MemberTraining {
  const random = createRandom(seed);
  const optimizer = tf.train.adam(spec.learningRate);
  const variables = layers.flatMap((layer) => layer.trainableWeights.map((w) => w.read() as TF.Variable));
  const classes = layers.at(-1)!.getConfig().units as number;
  // Built as int32 and cast: the wasm backend's OneHot returns zeros when asked for float32 (tfjs 4.22).
  const floatOneHot = (y: number[]) => tf.tidy(() => tf.oneHot(y, classes).toFloat() as TF.Tensor2D);
  const oneHot = floatOneHot(train.y);
  const validHot = 'valid' in stop ? floatOneHot(stop.valid.y) : null;
  const maxEpochs = 'valid' in stop ? spec.maxEpochs : stop.epochs;
  let best = { epoch: 'valid' in stop ? 0 : maxEpochs, loss: Infinity, weights: null as TF.Tensor[][] | null };
  for (let epoch = 1; epoch <= maxEpochs; epoch++) {
    const order = permutation(train.y.length, random);
    for (let start = 0; start < order.length; start += spec.batchSize) {
      const dropoutSeed = Math.floor(random() * 2 ** 31);
      tf.tidy(() => {
        const index = tf.tensor1d(order.subarray(start, start + spec.batchSize), 'int32');
        const [xb, yb] = [tf.gather(train.x, index), tf.gather(oneHot, index)] as TF.Tensor2D[];
        optimizer.minimize(() => loss(tf, layers, spec, xb!, yb!, dropoutSeed), false, variables);
      });
    }
    if (!validHot || !('valid' in stop)) continue;
    const current = tf.tidy(() => loss(tf, layers, spec, stop.valid.x, validHot).dataSync()[0]!);
    if (!Number.isFinite(current)) throw new Error(`training diverged: the valid loss is ${current} after epoch ${epoch}`);
    if (current < best.loss) {
      best.weights?.flat().forEach((w) => w.dispose());
      best = { epoch, loss: current, weights: snapshot(layers) };
    } else if (epoch - best.epoch >= spec.patience) break;
  }
  if (best.weights) restore(layers, best.weights);
  oneHot.dispose();
  validHot?.dispose();
  optimizer.dispose();
  return { epochs: best.epoch };
}

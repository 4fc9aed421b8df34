import type * as TF from '@tensorflow/tfjs';
import type { Tf } from './tf-runtime.ts';

/** A window classifier: one or more identical MLP members whose logits are averaged. */
export interface NetworkSpec {
  /** Units of each hidden layer; none makes a multinomial logistic regression. */
  hidden: number[];
  /** Members trained from different seeds; their logits are averaged. */
  members: number;
  inputs: number;
  classes: number;
}

/** The Dense layers of one member, input to logits. */
export type MemberLayers = TF.layers.Layer[];

/** A built network: the whole model and each member's layers, for training one member at a time. */
export interface Network {
  /** Input: standardised descriptors [n, inputs]. Outputs: [logits [n, classes], embedding [n, d]]. */
  model: TF.LayersModel;
  members: MemberLayers[];
}

function memberLayers(tf: Tf, spec: NetworkSpec, seed: number, member: number): MemberLayers {
  const units = [...spec.hidden, spec.classes];
  return units.map((size, i) => tf.layers.dense({
    units: size,
    activation: i < spec.hidden.length ? 'relu' : 'linear',
    kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1000 * member + i }),
    name: `member${member}_dense${i}`,
  }));
}

/**
 * Builds the network with seeded initial weights. The embedding is the last
 * hidden layer (members' concatenated); without hidden layers it is the logits.
 */
export function buildNetwork(tf: Tf, spec: NetworkSpec, seed: number): Network {
  const input = tf.input({ shape: [spec.inputs], name: 'descriptors' });
  const members = Array.from({ length: spec.members }, (_, m) => memberLayers(tf, spec, seed, m));
  const outputs = members.map((layers) => {
    const hidden = layers.slice(0, -1).reduce<TF.SymbolicTensor>((h, layer) => layer.apply(h) as TF.SymbolicTensor, input);
    return { hidden, logits: layers.at(-1)!.apply(hidden) as TF.SymbolicTensor };
  });
  const combine = (tensors: TF.SymbolicTensor[], merge: (tensors: TF.SymbolicTensor[]) => TF.SymbolicTensor) => (tensors.length === 1 ? tensors[0]! : merge(tensors));
  const logits = combine(outputs.map((o) => o.logits), (t) => tf.layers.average({ name: 'logits' }).apply(t) as TF.SymbolicTensor);
  const embedding = spec.hidden.length === 0
    ? (tf.layers.activation({ activation: 'linear', name: 'embedding' }).apply(logits) as TF.SymbolicTensor)
    : combine(outputs.map((o) => o.hidden), (t) => tf.layers.concatenate({ name: 'embedding' }).apply(t) as TF.SymbolicTensor);
  return { model: tf.model({ inputs: input, outputs: [logits, embedding] }), members };
}

/**
 * One member's logits, with inverted dropout after each hidden layer when
 * `dropout` is given (a seeded mask per call: training stays reproducible).
 */
export function memberLogits(tf: Tf, layers: MemberLayers, x: TF.Tensor2D, dropout?: { rate: number; seed: number }): TF.Tensor2D {
  return layers.reduce<TF.Tensor2D>((h, layer, i) => {
    const out = layer.apply(h) as TF.Tensor2D;
    if (!dropout || dropout.rate === 0 || i === layers.length - 1) return out;
    const keep = tf.greaterEqual(tf.randomUniform(out.shape, 0, 1, 'float32', dropout.seed + i), dropout.rate);
    return tf.mul(out, tf.div(tf.cast(keep, 'float32'), 1 - dropout.rate)) as TF.Tensor2D;
  }, x);
}

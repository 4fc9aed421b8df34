import type * as TF from '@tensorflow/tfjs';
import type { Tf } from '../model/tf-runtime.ts';

/** Adam's constants: Kingma & Ba's defaults. */
const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/** One Adam update of `variable` (with its moment estimates) by `gradient` at step t (1-based). */
export function adamStep(tf: Tf, variable: TF.Variable, moments: [TF.Variable, TF.Variable], gradient: TF.Tensor, t: number, rate: number): void {
  const [m, v] = moments;
  m.assign(tf.add(tf.mul(m, ADAM.beta1), tf.mul(gradient, 1 - ADAM.beta1)));
  v.assign(tf.add(tf.mul(v, ADAM.beta2), tf.mul(tf.square(gradient), 1 - ADAM.beta2)));
  const step = tf.div(tf.div(m, 1 - ADAM.beta1 ** t), tf.add(tf.sqrt(tf.div(v, 1 - ADAM.beta2 ** t)), ADAM.epsilon));
  variable.assign(tf.sub(variable, tf.mul(step, rate)));
}

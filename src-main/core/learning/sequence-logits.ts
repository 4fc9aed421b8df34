import type { SequenceWeights } from './sequence-network.ts';

/**
 * One trained network's logits (as `sequenceNetworkLogits` computes them
 * in TensorFlow.js) in plain JavaScript for one track (its kept
 * steps, standardised, row-major `steps × width`): what a scan uses to give
 * a new track the library's opinion without loading TensorFlow.js.
 */
export function sequenceLogitsOf(weights: SequenceWeights, steps: Float32Array): Float32Array {
  const { width, hidden, classes } = weights;
  const count = steps.length / width;
  let state = new Float32Array(hidden);
  const pooled = new Float64Array(hidden);
  const gates = new Float64Array(3 * hidden);
  const recurrent = new Float64Array(3 * hidden);
  for (let t = 0; t < count; t++) {
    gates.set(weights.inputBias);
    recurrent.set(weights.recurrentBias);
    for (let i = 0; i < width; i++) {
      const v = steps[t * width + i]!;
      if (v !== 0) for (let j = 0; j < 3 * hidden; j++) gates[j]! += v * weights.inputKernel[i * 3 * hidden + j]!;
    }
    for (let i = 0; i < hidden; i++) for (let j = 0; j < 3 * hidden; j++) recurrent[j]! += state[i]! * weights.recurrentKernel[i * 3 * hidden + j]!;
    const next = new Float32Array(hidden);
    for (let j = 0; j < hidden; j++) {
      const update = 1 / (1 + Math.exp(-(gates[j]! + recurrent[j]!)));
      const reset = 1 / (1 + Math.exp(-(gates[hidden + j]! + recurrent[hidden + j]!)));
      const candidate = Math.tanh(gates[2 * hidden + j]! + reset * recurrent[2 * hidden + j]!);
      next[j] = candidate + update * (state[j]! - candidate);
      pooled[j]! += next[j]!;
    }
    state = next;
  }
  const logits = Float32Array.from(weights.outputBias);
  for (let i = 0; i < hidden; i++) for (let c = 0; c < classes; c++) logits[c]! += (pooled[i]! / Math.max(count, 1)) * weights.outputKernel[i * classes + c]!;
  return logits;
}

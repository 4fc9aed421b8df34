import type { KeptNetwork } from './learners.ts';
import type { LearningCalibration } from './calibration.ts';
import { calibratedProbabilities } from './calibration.ts';
import { packSequences, SEQUENCE_INPUT } from './patch-sequences.ts';
import { sequenceLogitsOf } from './sequence-logits.ts';

/** A stored CRNN with what it needs to score a track on its own. */
export interface LibraryNetwork extends KeptNetwork {
  /** The MusiCNN model whose patch embeddings it reads. */
  musicnnModel: string;
  calibration: LearningCalibration;
  /** Per-genre confident-learning thresholds of the training's out-of-fold pass. */
  thresholds: number[];
}

/** The network as one float32 blob: scaler mean and scale, then the GRU's and the output's weights, in `SequenceWeights` order. */
export function encodeNetwork(network: KeptNetwork): Float32Array {
  const w = network.weights;
  const parts = [network.scaler.mean, network.scaler.scale, w.inputKernel, w.inputBias, w.recurrentKernel, w.recurrentBias, w.outputKernel, w.outputBias];
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, part) => (out.set(part, at), at + part.length), 0);
  return out;
}

/**
 * Reads back `encodeNetwork`'s blob for a network of `hidden` units over
 * `classes` genres; throws a RangeError when the sizes do not add up.
 */
export function decodeNetwork(values: Float32Array, hidden: number, classes: number): KeptNetwork {
  const width = SEQUENCE_INPUT.width;
  const sizes = [width, width, width * 3 * hidden, 3 * hidden, hidden * 3 * hidden, 3 * hidden, hidden * classes, classes];
  const total = sizes.reduce((a, b) => a + b, 0);
  if (values.length !== total) throw new RangeError(`a stored library network of ${hidden} units and ${classes} genres has ${total} values, not ${values.length}`);
  let at = 0;
  const [mean, scale, inputKernel, inputBias, recurrentKernel, recurrentBias, outputKernel, outputBias] = sizes.map((n) => values.slice(at, (at += n)));
  return { scaler: { mean: mean!, scale: scale! }, weights: { inputKernel: inputKernel!, inputBias: inputBias!, recurrentKernel: recurrentKernel!, recurrentBias: recurrentBias!, outputKernel: outputKernel!, outputBias: outputBias!, width, hidden, classes } };
}

/**
 * The stored network's calibrated probabilities for one track from its
 * MusiCNN patch embeddings (row-major `patches × 200`, as the scan stores
 * them): the same steps, standardisation and calibration as in training.
 */
export function networkProbabilities(network: LibraryNetwork, embeddings: Float32Array): Float32Array {
  const packed = packSequences([embeddings], network.scaler);
  return calibratedProbabilities(sequenceLogitsOf(network.weights, packed.values.subarray(0, packed.lengths[0]! * packed.width)), network.calibration);
}

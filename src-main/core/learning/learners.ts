import type { Tf } from '../model/tf-runtime.ts';
import { fitSoftmaxRegressions, REGRESSION_SETTINGS } from './batched-softmax-regression.ts';
import { learningInputs } from './learning-inputs.ts';
import { fitSequenceScaler, packSequences, type PackedSequences, type SequenceScaler } from './patch-sequences.ts';
import { fitSequenceNetworks, sequenceNetworkLogits, SEQUENCE_SETTINGS, type SequenceWeights } from './sequence-network.ts';

/**
 * The models library learning can fit, behind one interface: `crnn` (a GRU
 * over the MusiCNN patch sequence: the CRNN), `regression` (multinomial
 * logistic regression on the descriptors, with the track's embedding when
 * every track has one).
 */
export type LearnerName = 'crnn' | 'regression';

/** What a learner reads of a track. */
export interface LearnerTrack {
  descriptors: ArrayLike<number>;
  embedding: ArrayLike<number> | null;
  /** MusiCNN patch embeddings, row-major `patches × 200`; empty or null without a patch. */
  sequence?: Float32Array | null;
}

/** A fitting job: per row its class (−1: no fit trains on it), its target probabilities, and the fit that holds it out (−1: none). */
export interface LearnerJob {
  classes: number;
  labels: Int32Array;
  /** rows × classes: one-hot, or spread over a track's several genres. */
  targets: Float32Array;
  heldOutBy: Int32Array;
  fits: number;
  seed: number;
  onStep?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** A network kept to score tracks scanned later: the scaler its input was standardised with and its weights. */
export interface KeptNetwork {
  scaler: SequenceScaler;
  weights: SequenceWeights;
}

/** A learner prepared on one library: its inputs are computed once (unsupervised: no label is read). */
export interface PreparedLearner {
  name: LearnerName;
  /** Whether the base model's embedding is an input (regression only). */
  usedEmbedding: boolean;
  /** Steps one call of `fit` takes (for progress). */
  steps: number;
  /**
   * Log-probabilities (rows × fits × classes), and the last fit's network when
   * the learner is the CRNN. Filled at least for each row under the fit that
   * holds it out, and for the rows no fit holds out under the last fit (the
   * regression fills every entry).
   */
  fit(tf: Tf, job: LearnerJob): { logits: Float32Array; kept: KeptNetwork | null };
}

function regression(tracks: readonly LearnerTrack[]): PreparedLearner {
  const inputs = learningInputs(tracks);
  return {
    name: 'regression', usedEmbedding: inputs.usedEmbedding, steps: REGRESSION_SETTINGS.steps,
    fit(tf, job) {
      const probabilities = fitSoftmaxRegressions(tf, { x: inputs.values, width: inputs.width, ...job });
      return { logits: probabilities.map((p) => Math.log(Math.max(p, 1e-12))), kept: null };
    },
  };
}

/** The rows fit f is read for: those it holds out, and for the last fit those no fit holds out. */
function scoredBy(job: LearnerJob, f: number): Int32Array {
  return Int32Array.from(job.heldOutBy.keys()).filter((row) => job.heldOutBy[row] === f || (f === job.fits - 1 && job.heldOutBy[row] === -1));
}

function crnn(tracks: readonly LearnerTrack[]): PreparedLearner {
  const sequences = tracks.map((t) => t.sequence ?? new Float32Array(0));
  const scaler = fitSequenceScaler(sequences);
  const packed: PackedSequences = packSequences(sequences, scaler);
  return {
    name: 'crnn', usedEmbedding: false, steps: SEQUENCE_SETTINGS.steps,
    fit(tf, job) {
      const labelled = Uint8Array.from(job.labels, (label) => (label >= 0 ? 1 : 0));
      const networks = fitSequenceNetworks(tf, { sequences: packed, labelled, ...job });
      const logits = new Float32Array(job.labels.length * job.fits * job.classes);
      networks.forEach((weights, f) => {
        const rows = scoredBy(job, f);
        const scores = sequenceNetworkLogits(tf, weights, packed, rows);
        rows.forEach((row, k) => logits.set(scores.subarray(k * job.classes, (k + 1) * job.classes), (row * job.fits + f) * job.classes));
      });
      return { logits, kept: { scaler, weights: networks.at(-1)! } };
    },
  };
}

/** Prepares the named learner on the library's tracks. */
export function prepareLearner(name: LearnerName, tracks: readonly LearnerTrack[]): PreparedLearner {
  return name === 'crnn' ? crnn(tracks) : regression(tracks);
}

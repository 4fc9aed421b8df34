import type * as TF from '@tensorflow/tfjs';
import type { TfRuntime } from './tf-runtime.ts';
import { DEFAULT_MODEL_DIR, readGenreModel, type GenreModelMetadata } from './model-files.ts';
import { standardise } from './standardiser.ts';
import { softmax } from './calibration.ts';
import { oodDistance } from './ood.ts';
import { DESCRIPTOR_NAMES } from '../features/descriptors.ts';
import { meanRows, median } from '../features/stats.ts';
import { FEATURE_SET_VERSION } from '../analysis/analyse-file.ts';
import { SonorityError } from '../errors.ts';

/**
 * A track as the model sees it: rows of 57 descriptors (GTZAN order) for each
 * analysed 30-second window and each 3-second frame. A window model reads the
 * windows; a scan stores no frames (none is read), so `frames` is empty for
 * scanned tracks and has rows only from `sonority features`' analysis.
 */
export interface TrackDescriptors {
  windows: ArrayLike<number>[];
  frames: ArrayLike<number>[];
}

/** A genre with its calibrated probability. */
export interface GenreProbability {
  label: string;
  probability: number;
}

/** The model's opinion of one track. */
export interface TrackPrediction {
  /** Calibrated probabilities per window, in window order (the timeline). */
  windows: Float32Array[];
  /** Track probabilities: the mean of the windows'. */
  probabilities: Float32Array;
  /** Labels by decreasing probability, the three most likely. */
  top: GenreProbability[];
  /** The top two are within the model's ambiguity margin. */
  ambiguous: boolean;
  /** Median window distance from the training distribution (about 1 for training windows). */
  oodScore: number;
  /** Not music of the kind the model was trained on: no genre is suggested for it. */
  outOfDistribution: boolean;
  /** The top genre may be suggested: in distribution and above the confidence threshold. */
  confident: boolean;
  /** The mean over windows of the model's penultimate layer. */
  embedding: Float32Array;
}

/** A loaded genre model: architecture-independent inference over tracks. */
export interface GenreModel {
  metadata: GenreModelMetadata;
  /** Predicts a batch of tracks in one pass over all their windows. */
  predictTracks(tracks: readonly TrackDescriptors[]): TrackPrediction[];
  dispose(): void;
}

function decide(metadata: GenreModelMetadata, windows: Float32Array[], embeddings: Float32Array[], distances: number[]): TrackPrediction {
  const probabilities = meanRows(windows);
  const top = Array.from(probabilities, (probability, i) => ({ label: metadata.labels[i]!, probability }))
    .sort((a, b) => b.probability - a.probability).slice(0, 3);
  const oodScore = median(distances);
  const outOfDistribution = oodScore > metadata.ood.threshold;
  return {
    windows, probabilities, top, oodScore, outOfDistribution,
    ambiguous: top[0]!.probability - top[1]!.probability < metadata.decision.ambiguousMargin,
    confident: !outOfDistribution && top[0]!.probability >= metadata.decision.confidentProbability,
    embedding: meanRows(embeddings),
  };
}

function rowsOf(tensor: TF.Tensor): Float32Array[] {
  const [n, d] = tensor.shape as [number, number];
  const data = tensor.dataSync() as Float32Array;
  return Array.from({ length: n }, (_, i) => data.slice(i * d, (i + 1) * d));
}

/** Loads the shipped genre model (or the one in `dir`) on the given TensorFlow.js runtime. */
export async function loadGenreModel(runtime: TfRuntime, dir: string = DEFAULT_MODEL_DIR): Promise<GenreModel> {
  const { tf } = runtime;
  const { model, metadata } = await readGenreModel(tf, dir);
  if (metadata.featureSet !== FEATURE_SET_VERSION) {
    model.dispose();
    throw new SonorityError('model-invalid', `the genre model ${metadata.id} reads descriptors "${metadata.featureSet}", but this version of Sonority computes "${FEATURE_SET_VERSION}"; train a model for it (npm run train)`);
  }
  return {
    metadata,
    predictTracks(tracks) {
      const rows = tracks.flatMap((track) => track.windows);
      if (rows.length === 0) return [];
      const inputs = standardise(metadata.standardiser, rows);
      const flat = new Float32Array(rows.length * DESCRIPTOR_NAMES.length);
      inputs.forEach((row, i) => flat.set(row, i * DESCRIPTOR_NAMES.length));
      const outputs = tf.tidy(() => model.predict(tf.tensor2d(flat, [rows.length, DESCRIPTOR_NAMES.length])) as TF.Tensor[]);
      const [logits, embedding] = outputs.map(rowsOf);
      outputs.forEach((t) => t.dispose());
      let offset = 0;
      return tracks.map((track) => {
        const range = [offset, (offset += track.windows.length)] as const;
        const windows = logits!.slice(...range).map((row) => Float32Array.from(softmax(row, metadata.temperature)));
        return decide(metadata, windows, embedding!.slice(...range), inputs.slice(...range).map((row) => oodDistance(metadata.ood, row)));
      });
    },
    dispose: () => model.dispose(),
  };
}

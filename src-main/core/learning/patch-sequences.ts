import { MUSICNN_EMBEDDING_SIZE } from '../musicnn/model-metadata.ts';

/**
 * How a track's MusiCNN patch embeddings become the recurrent network's
 * input. Patches are 3 s long every 1.5 s, so every other one is kept (they
 * tile the windows without overlap), and at most `maxSteps` of those, taken
 * evenly across the track.
 */
export const SEQUENCE_INPUT = { stride: 2, maxSteps: 16, width: MUSICNN_EMBEDDING_SIZE } as const;

/** Per-dimension centre and scale of the embeddings, fitted on the library's own patches (no label is read). */
export interface SequenceScaler {
  mean: Float32Array;
  scale: Float32Array;
}

/** Variable-length sequences packed into one padded tensor's worth of values. */
export interface PackedSequences {
  /** [rows, steps, width] row-major, standardised; padding is 0. */
  values: Float32Array;
  /** Real steps per row (0 for a track without a patch). */
  lengths: Int32Array;
  steps: number;
  width: number;
}

/** The patch rows a track contributes: every `stride`-th patch, then at most `maxSteps` spread evenly. */
export function sequenceSteps(patches: number): number[] {
  const kept = Array.from({ length: Math.ceil(patches / SEQUENCE_INPUT.stride) }, (_, i) => i * SEQUENCE_INPUT.stride);
  if (kept.length <= SEQUENCE_INPUT.maxSteps) return kept;
  return Array.from({ length: SEQUENCE_INPUT.maxSteps }, (_, i) => kept[Math.floor((i * kept.length) / SEQUENCE_INPUT.maxSteps)]!);
}

/**
 * The centre and scale of every embedding dimension over the steps the
 * network reads from `sequences` (row-major `patches × 200` each); a
 * dimension that never varies gets scale 1.
 */
export function fitSequenceScaler(sequences: readonly Float32Array[]): SequenceScaler {
  const width = SEQUENCE_INPUT.width;
  const sum = new Float64Array(width);
  const squares = new Float64Array(width);
  let count = 0;
  for (const sequence of sequences) {
    for (const step of sequenceSteps(sequence.length / width)) {
      for (let j = 0; j < width; j++) {
        const v = sequence[step * width + j]!;
        sum[j]! += v;
        squares[j]! += v * v;
      }
      count++;
    }
  }
  const mean = Float32Array.from(sum, (s) => s / Math.max(count, 1));
  const scale = Float32Array.from(squares, (s, j) => Math.sqrt(Math.max(s / Math.max(count, 1) - mean[j]! ** 2, 0)) || 1);
  return { mean, scale };
}

/**
 * Packs the sequences (row-major `patches × 200` each) into a padded,
 * standardised block `[rows, steps, 200]`, `steps` the longest kept length
 * (at least 1). Throws a RangeError for a sequence that is not whole rows.
 */
export function packSequences(sequences: readonly Float32Array[], scaler: SequenceScaler): PackedSequences {
  const width = SEQUENCE_INPUT.width;
  sequences.forEach((s, i) => {
    if (s.length % width !== 0) throw new RangeError(`sequence ${i} has ${s.length} values, not a whole number of ${width}-value patches`);
  });
  const kept = sequences.map((s) => sequenceSteps(s.length / width));
  const steps = Math.max(1, ...kept.map((k) => k.length));
  const values = new Float32Array(sequences.length * steps * width);
  kept.forEach((rows, i) => rows.forEach((row, t) => {
    const at = (i * steps + t) * width;
    for (let j = 0; j < width; j++) values[at + j] = (sequences[i]![row * width + j]! - scaler.mean[j]!) / scaler.scale[j]!;
  }));
  return { values, lengths: Int32Array.from(kept, (k) => k.length), steps, width };
}

/**
 * MusiCNN on onnxruntime-node: the ONNX model that `scripts/tfjs-to-onnx.ts`
 * writes, run on the CPU execution provider.
 */
import * as ort from 'onnxruntime-node';

/** MusiCNN's patch: 187 frames of 96 mel bands. */
export const MUSICNN_PATCH_FRAMES = 187;
export const MUSICNN_MEL_BANDS = 96;
/** Values per patch of the `tags` and `embedding` outputs. */
export const MUSICNN_TAGS = 50;
export const MUSICNN_EMBEDDING = 200;

/** Outputs for a batch of patches, row-major: `tags` [batch, 50], `embedding` [batch, 200]. */
export interface MusicnnOutputs {
  tags: Float32Array;
  embedding: Float32Array;
}

/** A loaded MusiCNN session. */
export interface MusicnnOnnx {
  /** Runs `batch` patches laid out one after another (`batch × 187 × 96` values). */
  run(mel: Float32Array, batch: number): Promise<MusicnnOutputs>;
  /** Frees the native session. */
  release(): Promise<void>;
  /** One line for logs: the runtime, its version and threads. */
  describe: string;
}

/**
 * Opens an ONNX model at `file` with `threads` intra-op threads (1 inside
 * each analysis worker) and no inter-op parallelism. Idle pool threads sleep
 * instead of spinning: the cores are shared with the other analysis workers
 * (with 2 threads on a busy machine, spinning cost 25% more CPU per patch).
 * No memory arena: it keeps the largest call's activations for the life of
 * the session, for no measurable gain in speed (a worker's peak RSS, one
 * patch per back-end call: +100 MB without it, +133 MB with it; at eight
 * patches: +360 MB and +444 MB).
 */
export function openMusicnnSession(file: string, threads: number): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(file, {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    enableCpuMemArena: false,
    enableMemPattern: false,
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
}

/** The runtime and its threads in words, for logs. */
export function describeMusicnnRuntime(threads: number): string {
  return `onnxruntime-node ${ort.env.versions.node} (cpu, ${threads} thread${threads === 1 ? '' : 's'})`;
}

/** Opens the whole ONNX model at `file` (`openMusicnnSession`). */
export async function loadMusicnnOnnx(file: string, threads: number): Promise<MusicnnOnnx> {
  const session = await openMusicnnSession(file, threads);
  return {
    async run(mel, batch) {
      checkPatches(mel, batch);
      const input = new ort.Tensor('float32', mel, [batch, MUSICNN_PATCH_FRAMES, MUSICNN_MEL_BANDS]);
      const out = await session.run({ mel: input });
      return { tags: outputFloats(out.tags, batch * MUSICNN_TAGS), embedding: outputFloats(out.embedding, batch * MUSICNN_EMBEDDING) };
    },
    release: () => session.release(),
    describe: describeMusicnnRuntime(threads),
  };
}

/** Throws unless `mel` holds `batch` patches of 187×96. */
export function checkPatches(mel: Float32Array, batch: number): void {
  if (mel.length !== batch * MUSICNN_PATCH_FRAMES * MUSICNN_MEL_BANDS) throw new Error(`expected ${batch} patches of ${MUSICNN_PATCH_FRAMES}×${MUSICNN_MEL_BANDS}, got ${mel.length} values`);
}

/** A float output of `length` values; throws on anything else. */
export function outputFloats(tensor: ort.Tensor | undefined, length: number): Float32Array {
  if (!(tensor?.data instanceof Float32Array) || tensor.data.length !== length) throw new Error('MusiCNN: unexpected output');
  return tensor.data;
}

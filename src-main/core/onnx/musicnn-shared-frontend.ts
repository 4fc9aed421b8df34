/**
 * MusiCNN on onnxruntime-node as its two parts (`musicnnPartFiles`), so that
 * overlapping patches of one mel input share the timbral front-end: about
 * 80% of the model's arithmetic (70% of its time on one thread), and local in
 * time (each output frame depends on the 7 input frames around it).
 *
 * The front-end runs once over the frames the patches span, in chunks that
 * each also read the 3 frames either side of their rows, so that the rows
 * are those of one run. A patch's rows of that run equal the rows the whole
 * model computes for the patch alone, except its first and last 3: there the
 * patch alone sees the model's zero padding where the shared run sees
 * neighbouring frames. Those rows come instead from the front-end run on the
 * patch's first 6 (last 6) frames, whose first 3 (last 3) rows see exactly
 * the patch's frames and padding. The back-end (the temporal branches,
 * mid-end and back-end, which depend on the whole patch) then runs per patch
 * as in the whole model. The outputs equal the whole model's bit for bit on
 * the x86-64 machines measured; `test/musicnn-shared-frontend.test.ts` allows
 * 1e-5, for kernels that sum in another order.
 */
import * as ort from 'onnxruntime-node';
import { packPatches } from '../musicnn/patches.ts';
import { musicnnPartFiles } from './musicnn-files.ts';
import {
  checkPatches, describeMusicnnRuntime, MUSICNN_EMBEDDING, MUSICNN_MEL_BANDS, MUSICNN_PATCH_FRAMES, MUSICNN_TAGS, openMusicnnSession, outputFloats,
  type MusicnnOutputs,
} from './musicnn-onnx.ts';

/** The front-end's outputs, `[batch, frames, 204]` each. */
const TIMBRAL = ['timbral_38', 'timbral_67'] as const;
const TIMBRAL_WIDTH = 204;
/** Frames of zero padding the front-end adds at each end: half its 7-frame kernel. */
const PAD = 3;
/** Frames of each edge run: its first (last) `PAD` output rows see only these frames and the padding. */
const EDGE = 2 * PAD;
/**
 * Output frames per front-end call over the shared frames: a call's
 * activations stay near 30 MB (a whole 30-s window's would be about 380 MB),
 * for `2 × PAD` frames more work per call (5 %).
 */
const CHUNK = 128;

/** MusiCNN as front-end and back-end sessions. */
export interface MusicnnSharedFrontEnd {
  /** Runs `batch` patches laid out one after another (`batch × 187 × 96` values), each on its own as the whole model does. */
  run(mel: Float32Array, batch: number): Promise<MusicnnOutputs>;
  /**
   * The outputs of the patches starting at `starts` of `bands` (row-major
   * `frames × 96`), in `starts` order: the front-end run once over the frames
   * the patches span, the edge runs and the back-end `batchSize` patches per call.
   */
  predict(bands: Float32Array, starts: readonly number[], batchSize: number): Promise<MusicnnOutputs>;
  /** Frees both sessions. */
  release(): Promise<void>;
  /** One line for logs: the runtime, its version and threads. */
  describe: string;
}

/** The front-end's two outputs for `batch` inputs of `frames` frames. */
async function runFrontEnd(session: ort.InferenceSession, mel: Float32Array, batch: number, frames: number): Promise<Float32Array[]> {
  const out = await session.run({ mel: new ort.Tensor('float32', mel, [batch, frames, MUSICNN_MEL_BANDS]) });
  return TIMBRAL.map((name) => outputFloats(out[name], batch * frames * TIMBRAL_WIDTH));
}

async function runBackEnd(session: ort.InferenceSession, mel: Float32Array, timbral: readonly Float32Array[], batch: number): Promise<MusicnnOutputs> {
  const feeds: Record<string, ort.Tensor> = { mel: new ort.Tensor('float32', mel, [batch, MUSICNN_PATCH_FRAMES, MUSICNN_MEL_BANDS]) };
  TIMBRAL.forEach((name, i) => (feeds[name] = new ort.Tensor('float32', timbral[i]!, [batch, MUSICNN_PATCH_FRAMES, TIMBRAL_WIDTH])));
  const out = await session.run(feeds);
  return { tags: outputFloats(out.tags, batch * MUSICNN_TAGS), embedding: outputFloats(out.embedding, batch * MUSICNN_EMBEDDING) };
}

/**
 * The front-end's outputs over all `frames` frames of `mel` as one run would
 * give them (zero padding at the ends only), at most `CHUNK` output frames per
 * call: a call also reads the `PAD` frames each side of its rows.
 */
async function runFrontEndChunked(session: ort.InferenceSession, mel: Float32Array, frames: number): Promise<Float32Array[]> {
  const out = TIMBRAL.map(() => new Float32Array(frames * TIMBRAL_WIDTH));
  for (let first = 0; first < frames; first += CHUNK) {
    const end = Math.min(first + CHUNK, frames);
    const [from, to] = [Math.max(0, first - PAD), Math.min(frames, end + PAD)];
    const rows = await runFrontEnd(session, mel.subarray(from * MUSICNN_MEL_BANDS, to * MUSICNN_MEL_BANDS), 1, to - from);
    rows.forEach((part, i) => out[i]!.set(part.subarray((first - from) * TIMBRAL_WIDTH, (end - from) * TIMBRAL_WIDTH), first * TIMBRAL_WIDTH));
  }
  return out;
}

/** Each patch's first and last `EDGE` frames, `[2 × patches, EDGE, 96]`: patch `i`'s head at `2i`, its tail at `2i + 1`. */
function edgeFrames(bands: Float32Array, starts: readonly number[]): Float32Array {
  const size = EDGE * MUSICNN_MEL_BANDS;
  const out = new Float32Array(2 * starts.length * size);
  starts.forEach((start, i) => {
    for (const [part, first] of [[0, start], [1, start + MUSICNN_PATCH_FRAMES - EDGE]] as const) {
      out.set(bands.subarray(first * MUSICNN_MEL_BANDS, first * MUSICNN_MEL_BANDS + size), (2 * i + part) * size);
    }
  });
  return out;
}

/**
 * One timbral output for `starts` (the patches of one back-end call),
 * `[patches, 187, 204]`: their rows of the shared run (which starts at frame
 * `spanStart`), the first and last `PAD` rows taken from their edge runs.
 */
function patchFeatures(shared: Float32Array, spanStart: number, edges: Float32Array, starts: readonly number[]): Float32Array {
  const row = TIMBRAL_WIDTH;
  const patch = MUSICNN_PATCH_FRAMES * row;
  const out = new Float32Array(starts.length * patch);
  starts.forEach((start, p) => {
    const from = (start - spanStart) * row;
    out.set(shared.subarray(from, from + patch), p * patch);
    out.set(edges.subarray(2 * p * EDGE * row, (2 * p * EDGE + PAD) * row), p * patch);
    out.set(edges.subarray(((2 * p + 1) * EDGE + EDGE - PAD) * row, (2 * p + 2) * EDGE * row), (p + 1) * patch - PAD * row);
  });
  return out;
}

/**
 * Opens the front-end and back-end beside the whole model `file`
 * (`musicnnPartFiles`) with `threads` intra-op threads each
 * (`openMusicnnSession`).
 */
export async function loadMusicnnSharedFrontEnd(file: string, threads: number): Promise<MusicnnSharedFrontEnd> {
  const parts = musicnnPartFiles(file);
  const frontEnd = await openMusicnnSession(parts.frontEnd, threads);
  const backEnd = await openMusicnnSession(parts.backEnd, threads).catch(async (error: Error) => {
    await frontEnd.release();
    throw error;
  });
  return {
    async run(mel, batch) {
      checkPatches(mel, batch);
      return runBackEnd(backEnd, mel, await runFrontEnd(frontEnd, mel, batch, MUSICNN_PATCH_FRAMES), batch);
    },
    async predict(bands, starts, batchSize) {
      const perCall = Math.max(1, Math.floor(batchSize));
      const frames = bands.length / MUSICNN_MEL_BANDS;
      if (starts.some((start) => !Number.isInteger(start) || start < 0 || start + MUSICNN_PATCH_FRAMES > frames)) throw new Error(`MusiCNN: a patch start is outside the ${frames}-frame input`);
      const result = { tags: new Float32Array(starts.length * MUSICNN_TAGS), embedding: new Float32Array(starts.length * MUSICNN_EMBEDDING) };
      if (starts.length === 0) return result;
      const spanStart = Math.min(...starts);
      const spanFrames = Math.max(...starts) + MUSICNN_PATCH_FRAMES - spanStart;
      const span = bands.subarray(spanStart * MUSICNN_MEL_BANDS, (spanStart + spanFrames) * MUSICNN_MEL_BANDS);
      const shared = await runFrontEndChunked(frontEnd, span, spanFrames);
      for (let first = 0; first < starts.length; first += perCall) {
        const batch = starts.slice(first, first + perCall);
        const edges = await runFrontEnd(frontEnd, edgeFrames(bands, batch), 2 * batch.length, EDGE);
        const timbral = shared.map((features, b) => patchFeatures(features, spanStart, edges[b]!, batch));
        const out = await runBackEnd(backEnd, packPatches(bands, batch), timbral, batch.length);
        result.tags.set(out.tags, first * MUSICNN_TAGS);
        result.embedding.set(out.embedding, first * MUSICNN_EMBEDDING);
      }
      return result;
    },
    release: async () => {
      await Promise.all([frontEnd.release(), backEnd.release()]);
    },
    describe: describeMusicnnRuntime(threads),
  };
}

import { decodeWindowsAt, positionAtRate } from '../analysis/decode-windows.ts';
import { matrixRows, meanRows } from '../features/stats.ts';
import { concatFloat32 } from '../typed-arrays.ts';
import type { SampleRange } from '../features/track-windows.ts';
import { MUSICNN_HOP_SIZE, MUSICNN_SAMPLE_RATE } from './input-definition.ts';
import type { MusicnnModels } from './load-models.ts';
import { musicnnMel } from './mel-input.ts';
import { currentMusicnnVersion, MUSICNN_HEAD_NAMES, MUSICNN_TAG_COUNT } from './model-metadata.ts';
import { patchStarts } from './patches.ts';
import { predictPatches, type PatchPredictions } from './predict.ts';
import type { MusicnnTagger } from './tagger-runtime.ts';

/**
 * What the MusiCNN stage computes for one track, over the windows the
 * descriptors use. Positions are 16 kHz samples from the start of the track;
 * a patch starts at the centre of its first frame (`256·frame` into its
 * window). With no patch at all (every window under about 3 s) MusiCNN
 * abstains: the windows are kept, every per-patch and summary array is empty.
 */
export interface MusicnnAnalysis {
  model: string;
  inputVersion: string;
  /** The tagger's runtime (`MusicnnTagger.describe`); null when no patch needed the models. */
  runtime: string | null;
  /** Why that runtime ran rather than the preferred one (`MusicnnTagger.note`), for the log; not stored. */
  runtimeNote?: string;
  windowStarts: Int32Array;
  /** Patches in each window, in order. */
  windowPatches: Int32Array;
  patchStarts: Int32Array;
  /** Track mean over every patch of the 50 tag probabilities. */
  tags: Float32Array;
  /** The mean of each window's patches, `windows × 50` (zeros for a window without patches): the timeline. */
  windowTags: Float32Array;
  /** Track mean over every patch of the four head probabilities (`MUSICNN_HEAD_NAMES` order). */
  heads: Float32Array;
  /** `patches × 4` head probabilities. */
  patchHeads: Float32Array;
  /** `patches × 200` embedding, in patch order. */
  embeddings: Float32Array;
}

/** How the stage decodes and where it gets its models (loaded once, on the first patch). */
export interface MusicnnStageOptions {
  ffmpegPath?: string;
  signal?: AbortSignal;
  models: () => Promise<MusicnnModels>;
}

/** A window decoded at 16 kHz: its first sample's position (16 kHz) and its samples. */
export interface MusicnnWindow {
  start: number;
  samples: Float32Array;
}

/** One window's patches (first frames) and the models' outputs for them (none without patches). */
interface WindowOutputs {
  start: number;
  frames: number[];
  predictions: PatchPredictions | null;
  tagger: MusicnnTagger | null;
}

/** The 16 kHz position of a 22050-Hz sample position. */
export function at16k(position: number): number {
  return positionAtRate(position, MUSICNN_SAMPLE_RATE);
}

/** The analysed windows (22050-Hz ranges) decoded at 16 kHz as the analysis stage decoded them (`decodeWindowsAt`), so a one-window track's input is exactly Essentia's for that file. */
async function decodeWindows(filePath: string, windows: readonly SampleRange[], options: MusicnnStageOptions): Promise<MusicnnWindow[]> {
  const decoded = await decodeWindowsAt(filePath, windows, MUSICNN_SAMPLE_RATE, { ffmpegPath: options.ffmpegPath, signal: options.signal });
  return windows.map((range, i) => ({ start: at16k(range.start), samples: decoded[i]! }));
}

/** The mel input of one window, its patches, and the models run on them (loading the models only when there is a patch). */
async function windowOutputs(window: MusicnnWindow, loadModels: () => Promise<MusicnnModels>): Promise<WindowOutputs> {
  const mel = musicnnMel(window.samples);
  const frames = patchStarts(mel.frames);
  if (frames.length === 0) return { start: window.start, frames, predictions: null, tagger: null };
  const models = await loadModels();
  return { start: window.start, frames, predictions: await predictPatches(models, mel, { starts: frames }), tagger: models.tagger };
}

/** The four head probabilities of each patch of a window, `patches × 4`. */
function patchHeadRows(predictions: PatchPredictions): Float32Array {
  const count = predictions.starts.length;
  const rows = new Float32Array(count * MUSICNN_HEAD_NAMES.length);
  for (let p = 0; p < count; p++) MUSICNN_HEAD_NAMES.forEach((name, h) => (rows[p * MUSICNN_HEAD_NAMES.length + h] = predictions.heads[name][p]!));
  return rows;
}

/** The mean of the rows of a row-major matrix, or `width` zeros when it has none. */
function meanOfRows(values: Float32Array, width: number): Float32Array {
  return values.length > 0 ? meanRows(matrixRows(values, width)) : new Float32Array(width);
}

/** Gathers the windows' outputs into the track's analysis: means, the timeline, the patch sequence. */
function summarise(windows: readonly WindowOutputs[]): MusicnnAnalysis {
  const found = windows.filter((window) => window.predictions);
  const tags = concatFloat32(found.map((window) => window.predictions!.tags));
  const patchHeads = concatFloat32(found.map((window) => patchHeadRows(window.predictions!)));
  const anyPatch = found.length > 0;
  const tagger = found[0]?.tagger;
  return {
    ...currentMusicnnVersion(),
    runtime: tagger?.describe ?? null,
    ...(tagger?.note ? { runtimeNote: tagger.note } : {}),
    windowStarts: Int32Array.from(windows, (window) => window.start),
    windowPatches: Int32Array.from(windows, (window) => window.frames.length),
    patchStarts: Int32Array.from(windows.flatMap((window) => window.frames.map((frame) => window.start + frame * MUSICNN_HOP_SIZE))),
    tags: anyPatch ? meanOfRows(tags, MUSICNN_TAG_COUNT) : new Float32Array(0),
    windowTags: anyPatch ? concatFloat32(windows.map((window) => meanOfRows(window.predictions?.tags ?? new Float32Array(0), MUSICNN_TAG_COUNT))) : new Float32Array(0),
    heads: anyPatch ? meanOfRows(patchHeads, MUSICNN_HEAD_NAMES.length) : new Float32Array(0),
    patchHeads,
    embeddings: concatFloat32(found.map((window) => window.predictions!.embedding)),
  };
}

/**
 * The MusiCNN stage on windows already decoded at 16 kHz: the mel input of
 * each, its patches (187 frames every 93) and the tagger and the four heads
 * on them in batches; then the track means, the per-window timeline and the
 * patch sequence. The models are loaded only when some window has a patch.
 */
export async function analyseMusicnnWindows(windows: readonly MusicnnWindow[], models: () => Promise<MusicnnModels>): Promise<MusicnnAnalysis> {
  const outputs: WindowOutputs[] = [];
  for (const window of windows) outputs.push(await windowOutputs(window, models));
  return summarise(outputs);
}

/** The MusiCNN stage for one track on its own: decodes each analysed window (22050-Hz ranges, as the descriptors use them) at 16 kHz, then `analyseMusicnnWindows`. */
export async function analyseMusicnn(filePath: string, windows: readonly SampleRange[], options: MusicnnStageOptions): Promise<MusicnnAnalysis> {
  return analyseMusicnnWindows(await decodeWindows(filePath, windows, options), options.models);
}

/** The buffers of an analysis, to move it to another thread instead of copying it. */
export function musicnnBuffers(analysis: MusicnnAnalysis): ArrayBuffer[] {
  const arrays = [analysis.windowStarts, analysis.windowPatches, analysis.patchStarts, analysis.tags, analysis.windowTags, analysis.heads, analysis.patchHeads, analysis.embeddings];
  return arrays.map((array) => array.buffer as ArrayBuffer);
}


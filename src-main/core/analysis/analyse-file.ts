import { SonorityError } from '../errors.ts';
import { DECODE_SAMPLE_RATE, decodeAudio } from '../decode/decoder.ts';
import { DESCRIPTOR_NAMES, computeDescriptors } from '../features/descriptors.ts';
import { MAX_WINDOWS, MIN_SAMPLES, WINDOW_SAMPLES, planFrames, planWindows, type SampleRange } from '../features/track-windows.ts';
import { createLevelMeter } from './level.ts';

/**
 * Version of what the analysis stage stores: the 57 GTZAN descriptors with
 * librosa 0.7's definitions, on the windows of `track-windows.ts`. Bump it
 * whenever stored values would change; the next scan then re-analyses.
 */
export const FEATURE_SET_VERSION = 'gtzan57-v1';

/** Rows of 57 descriptors (GTZAN column order) with the start sample of each row. */
export interface DescriptorMatrix {
  starts: Int32Array;
  values: Float32Array;
}

/** What the analysis stage stores for one track. */
export interface TrackAnalysis {
  featureSet: string;
  sampleRate: number;
  /** Samples analysed (the windows), not the whole track. */
  sampleCount: number;
  durationSec: number;
  /** Level of the analysed audio, linear full scale. */
  rms: number;
  peak: number;
  windows: DescriptorMatrix;
  frames: DescriptorMatrix;
  /** Track tempo: the median of the windows' librosa tempi. */
  tempo: number;
}

export interface AnalyseRequest {
  path: string;
  /** Duration the container declares, if known: it places the windows, and a much shorter decode means a truncated file. */
  declaredDurationSec?: number | null;
  ffmpegPath?: string;
}

const TRUNCATION_TOLERANCE = { seconds: 1, fraction: 0.02 };

/** Throws `truncated` when the decoded length falls clearly short of the declared length. */
export function checkNotTruncated(decodedSec: number, declaredSec: number | null | undefined): void {
  if (!declaredSec || !Number.isFinite(declaredSec)) return;
  const missing = declaredSec - decodedSec;
  if (missing > TRUNCATION_TOLERANCE.seconds && missing > TRUNCATION_TOLERANCE.fraction * declaredSec) {
    throw new SonorityError('truncated', `truncated file: only ${decodedSec.toFixed(1)} s of the ${declaredSec.toFixed(1)} s its header declares could be decoded`);
  }
}

/** Decodes one planned window; a lone window is the whole file, decoded without seeking. */
async function decodeWindow(request: AnalyseRequest, range: SampleRange, whole: boolean, signal?: AbortSignal): Promise<Float32Array> {
  const options = { ffmpegPath: request.ffmpegPath, signal };
  if (whole) return decodeAudio(request.path, options);
  return decodeAudio(request.path, { ...options, startSec: range.start / DECODE_SAMPLE_RATE, durationSec: range.length / DECODE_SAMPLE_RATE }).catch((error) => {
    if ((error as SonorityError).code === 'no-audio' && range.start > 0) return new Float32Array(0);
    throw error;
  });
}

function toMatrix(rows: Array<{ start: number; values: number[] }>): DescriptorMatrix {
  const values = new Float32Array(rows.length * DESCRIPTOR_NAMES.length);
  rows.forEach((row, i) => values.set(row.values, i * DESCRIPTOR_NAMES.length));
  return { starts: Int32Array.from(rows, (row) => row.start), values };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The analysis stage (runs in a worker thread): decodes the planned windows
 * of a track and computes the 57 descriptors of each window and of each of
 * its 3-second frames. Without a declared duration, the first windows are
 * taken back to back.
 */
export async function analyseFile(request: AnalyseRequest, signal?: AbortSignal): Promise<TrackAnalysis> {
  const declared = request.declaredDurationSec && Number.isFinite(request.declaredDurationSec) ? request.declaredDurationSec : null;
  const plan = declared !== null ? planWindows(Math.round(declared * DECODE_SAMPLE_RATE)) : Array.from({ length: MAX_WINDOWS }, (_, i) => ({ start: i * WINDOW_SAMPLES, length: WINDOW_SAMPLES }));
  const level = createLevelMeter();
  const windowRows: Array<{ start: number; values: number[] }> = [];
  const frameRows: Array<{ start: number; values: number[] }> = [];
  const tempi: number[] = [];
  let decodedEnd = 0;
  let sampleCount = 0;
  for (const range of plan) {
    const y = await decodeWindow(request, range, plan.length === 1 && declared !== null, signal);
    decodedEnd = range.start + y.length;
    if (declared !== null) checkNotTruncated(decodedEnd / DECODE_SAMPLE_RATE, Math.min(declared, (range.start + range.length) / DECODE_SAMPLE_RATE));
    if (y.length < MIN_SAMPLES) {
      if (windowRows.length > 0) break;
      throw new SonorityError('too-short', `too short to analyse: ${(y.length / DECODE_SAMPLE_RATE).toFixed(3)} s of audio (at least 0.05 s needed)`);
    }
    level.add(y);
    sampleCount += y.length;
    const window = computeDescriptors(y);
    tempi.push(window.tempo);
    windowRows.push({ start: range.start, values: DESCRIPTOR_NAMES.map((name) => window[name]) });
    for (const frame of planFrames(y.length)) {
      const descriptors = computeDescriptors(y.subarray(frame.start, frame.start + frame.length));
      frameRows.push({ start: range.start + frame.start, values: DESCRIPTOR_NAMES.map((name) => descriptors[name]) });
    }
    if (declared === null && y.length < range.length) break;
  }
  return {
    featureSet: FEATURE_SET_VERSION,
    sampleRate: DECODE_SAMPLE_RATE,
    sampleCount,
    durationSec: declared ?? decodedEnd / DECODE_SAMPLE_RATE,
    ...level.result(),
    windows: toMatrix(windowRows),
    frames: toMatrix(frameRows),
    tempo: median(tempi),
  };
}

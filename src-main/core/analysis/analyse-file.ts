import { SonorityError } from '../errors.ts';
import { DECODE_SAMPLE_RATE, decodeAudio } from '../decode/decoder.ts';
import { DESCRIPTOR_NAMES, computeDescriptors } from '../features/descriptors.ts';
import { WindowAnalysis } from '../features/window-analysis.ts';
import { matrixRows, median } from '../features/stats.ts';
import { MIN_SAMPLES, planFrames, planWindows } from '../features/track-windows.ts';
import { createLevelMeter } from './level.ts';
import { measureDuration } from '../tags/read-tags.ts';

/**
 * Version of what the analysis stage stores: the 57 GTZAN descriptors with
 * librosa 0.7's definitions, on the windows of `track-windows.ts`. Bump it
 * whenever stored values would change; the next scan then re-analyses.
 */
export const FEATURE_SET_VERSION = 'gtzan57-v1';

/** Rows of 57 descriptors (GTZAN column order) with the start and length in samples of each row. */
export interface DescriptorMatrix {
  starts: Int32Array;
  lengths: Int32Array;
  values: Float32Array;
}

/** The rows of a descriptor matrix, one view of 57 values per window or frame. */
export function descriptorRows(matrix: DescriptorMatrix): Float32Array[] {
  return matrixRows(matrix.values, DESCRIPTOR_NAMES.length);
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
  /** Track tempo: the median of the windows' refined tempi (the `tempo` descriptor keeps librosa's value). */
  tempo: number;
}

export interface AnalyseRequest {
  path: string;
  /** Duration the container declares, if known: it places the windows, and a much shorter decode means a truncated file. */
  declaredDurationSec?: number | null;
  ffmpegPath?: string;
}

const TRUNCATION_TOLERANCE = { seconds: 1, fraction: 0.02 };

function isShort(decodedSec: number, declaredSec: number): boolean {
  const missing = declaredSec - decodedSec;
  return missing > TRUNCATION_TOLERANCE.seconds && missing > TRUNCATION_TOLERANCE.fraction * declaredSec;
}

/**
 * Throws `truncated` when the decoded audio ends clearly before `expectedSec`.
 * A header's duration can be an estimate (VBR MP3 without a Xing header), so
 * a shortfall is confirmed against the measured duration first.
 */
async function checkNotTruncated(filePath: string, decodedSec: number, expectedSec: number | null): Promise<void> {
  if (expectedSec === null || !isShort(decodedSec, expectedSec)) return;
  const measured = await measureDuration(filePath).catch(() => null);
  const declared = measured ?? expectedSec;
  if (isShort(decodedSec, Math.min(declared, expectedSec))) {
    throw new SonorityError('truncated', `truncated file: only ${decodedSec.toFixed(1)} s of the ${declared.toFixed(1)} s its header declares could be decoded`);
  }
}

/** Tracks up to this long are decoded whole (≤ 53 MB of samples) and windowed on their real length; longer ones are read window by window. */
const WHOLE_DECODE_LIMIT_SEC = 600;

function tooShort(samples: number): SonorityError {
  return new SonorityError('too-short', `too short to analyse: ${(samples / DECODE_SAMPLE_RATE).toFixed(3)} s of audio (at least 0.05 s needed)`);
}

/**
 * The analysis windows of a track with their samples. Tracks of unknown or
 * moderate length are decoded whole, so the windows rest on the real sample
 * count; a longer one has each window decoded on its own (seeking), placed
 * by the declared duration. Throws `truncated` or `too-short`.
 */
async function* decodedWindows(request: AnalyseRequest, declared: number | null, signal?: AbortSignal): AsyncGenerator<{ start: number; samples: Float32Array }> {
  const options = { ffmpegPath: request.ffmpegPath, signal };
  if (declared === null || declared <= WHOLE_DECODE_LIMIT_SEC) {
    const y = await decodeAudio(request.path, options);
    await checkNotTruncated(request.path, y.length / DECODE_SAMPLE_RATE, declared);
    if (y.length < MIN_SAMPLES) throw tooShort(y.length);
    for (const range of planWindows(y.length)) yield { start: range.start, samples: y.subarray(range.start, range.start + range.length) };
    return;
  }
  for (const range of planWindows(Math.round(declared * DECODE_SAMPLE_RATE))) {
    const y = await decodeAudio(request.path, { ...options, startSec: range.start / DECODE_SAMPLE_RATE, durationSec: range.length / DECODE_SAMPLE_RATE }).catch((error: SonorityError) => {
      if (error.code === 'no-audio') return new Float32Array(0);
      throw error;
    });
    await checkNotTruncated(request.path, (range.start + y.length) / DECODE_SAMPLE_RATE, Math.min(declared, (range.start + range.length) / DECODE_SAMPLE_RATE));
    if (y.length < MIN_SAMPLES) throw tooShort(y.length);
    yield { start: range.start, samples: y };
  }
}

interface Row {
  start: number;
  length: number;
  values: number[];
}

function toMatrix(rows: Row[]): DescriptorMatrix {
  const values = new Float32Array(rows.length * DESCRIPTOR_NAMES.length);
  rows.forEach((row, i) => values.set(row.values, i * DESCRIPTOR_NAMES.length));
  return { starts: Int32Array.from(rows, (row) => row.start), lengths: Int32Array.from(rows, (row) => row.length), values };
}

/**
 * The analysis stage (runs in a worker thread): decodes the windows of a
 * track (`track-windows.ts`) and computes the 57 descriptors of each window
 * and of each of its 3-second frames.
 */
export async function analyseFile(request: AnalyseRequest, signal?: AbortSignal): Promise<TrackAnalysis> {
  const declared = request.declaredDurationSec && Number.isFinite(request.declaredDurationSec) ? request.declaredDurationSec : null;
  const level = createLevelMeter();
  const windowRows: Row[] = [];
  const frameRows: Row[] = [];
  const tempi: number[] = [];
  let sampleCount = 0;
  let decodedEnd = 0;
  for await (const { start, samples } of decodedWindows(request, declared, signal)) {
    level.add(samples);
    sampleCount += samples.length;
    decodedEnd = start + samples.length;
    const analysis = new WindowAnalysis(samples);
    const window = computeDescriptors(analysis);
    tempi.push(analysis.tempi().improved);
    windowRows.push({ start, length: samples.length, values: DESCRIPTOR_NAMES.map((name) => window[name]) });
    for (const frame of planFrames(samples.length)) {
      const descriptors = computeDescriptors(samples.subarray(frame.start, frame.start + frame.length));
      frameRows.push({ start: start + frame.start, length: frame.length, values: DESCRIPTOR_NAMES.map((name) => descriptors[name]) });
    }
  }
  return {
    featureSet: FEATURE_SET_VERSION,
    sampleRate: DECODE_SAMPLE_RATE,
    sampleCount,
    durationSec: declared !== null && declared > WHOLE_DECODE_LIMIT_SEC ? declared : decodedEnd / DECODE_SAMPLE_RATE,
    ...level.result(),
    windows: toMatrix(windowRows),
    frames: toMatrix(frameRows),
    tempo: median(tempi),
  };
}

import { SonorityError } from '../errors.ts';
import { DECODE_SAMPLE_RATE, decodeAudio, decodeBlocks } from '../decode/decoder.ts';
import { DESCRIPTOR_NAMES, computeDescriptors } from '../features/descriptors.ts';
import { WindowAnalysis } from '../features/window-analysis.ts';
import { matrixRows, median } from '../features/stats.ts';
import { MIN_SAMPLES, planFrames, planWindows, type SampleRange } from '../features/track-windows.ts';
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

interface DecodedWindow {
  start: number;
  samples: Float32Array;
}

/** The decoded analysis windows of a track and the track's duration they were placed on. */
interface DecodedTrack {
  durationSec: number;
  windows: DecodedWindow[];
}

type WindowOptions = { ffmpegPath?: string; signal?: AbortSignal };

/** Decodes the whole track and places the windows on its real sample count. Throws `truncated` or `too-short`. */
async function decodeWhole(filePath: string, declared: number | null, options: WindowOptions): Promise<DecodedTrack> {
  const y = await decodeAudio(filePath, options);
  await checkNotTruncated(filePath, y.length / DECODE_SAMPLE_RATE, declared);
  if (y.length < MIN_SAMPLES) throw tooShort(y.length);
  return { durationSec: y.length / DECODE_SAMPLE_RATE, windows: planWindows(y.length).map((range) => ({ start: range.start, samples: y.subarray(range.start, range.start + range.length) })) };
}

/** Decodes one window on its own (seeking); a window that starts past the end of the audio decodes to no samples. */
async function decodeRange(filePath: string, range: SampleRange, options: WindowOptions): Promise<Float32Array> {
  return decodeAudio(filePath, { ...options, startSec: range.start / DECODE_SAMPLE_RATE, durationSec: range.length / DECODE_SAMPLE_RATE }).catch((error: SonorityError) => {
    if (error.code === 'no-audio') return new Float32Array(0);
    throw error;
  });
}

/** Seconds of audio the whole file decodes to, counted block by block (constant memory). */
async function decodedSeconds(filePath: string, options: WindowOptions): Promise<number> {
  let samples = 0;
  for await (const block of decodeBlocks(filePath, 1 << 18, options)) samples += block.length;
  return samples / DECODE_SAMPLE_RATE;
}

/**
 * The windows of a track of `durationSec` (more than the whole-decode
 * limit), each decoded on its own. When the audio ends clearly before a
 * window does, the length the windows were placed on is not the audio's:
 * the real length is counted, and the file is `truncated` if its header's
 * length is confirmed, else the windows are placed again on the real length
 * (`lengthIsReal` then accepts what decodes, so this happens once).
 */
async function decodeEachWindow(filePath: string, durationSec: number, options: WindowOptions, lengthIsReal = false): Promise<DecodedTrack> {
  const windows: DecodedWindow[] = [];
  for (const range of planWindows(Math.round(durationSec * DECODE_SAMPLE_RATE))) {
    const samples = await decodeRange(filePath, range, options);
    if (!lengthIsReal && isShort(samples.length / DECODE_SAMPLE_RATE, range.length / DECODE_SAMPLE_RATE)) {
      const realSec = await decodedSeconds(filePath, options);
      await checkNotTruncated(filePath, realSec, durationSec);
      return decodeTrack(filePath, realSec, options, true);
    }
    if (samples.length < MIN_SAMPLES) throw tooShort(samples.length);
    windows.push({ start: range.start, samples });
  }
  return { durationSec, windows };
}

/**
 * The analysis windows of a track with their samples. Tracks of unknown or
 * moderate length are decoded whole, so the windows rest on the real sample
 * count; a longer one has each window decoded on its own (seeking), placed
 * by the declared duration — or by the real one, when the audio ends before
 * the header says (`decodeEachWindow`). Throws `truncated` or `too-short`.
 */
async function decodeTrack(filePath: string, declared: number | null, options: WindowOptions, lengthIsReal = false): Promise<DecodedTrack> {
  if (declared === null || declared <= WHOLE_DECODE_LIMIT_SEC) return decodeWhole(filePath, declared, options);
  return decodeEachWindow(filePath, declared, options, lengthIsReal);
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
  const track = await decodeTrack(request.path, declared, { ffmpegPath: request.ffmpegPath, signal });
  for (const { start, samples } of track.windows) {
    level.add(samples);
    sampleCount += samples.length;
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
    durationSec: track.durationSec,
    ...level.result(),
    windows: toMatrix(windowRows),
    frames: toMatrix(frameRows),
    tempo: median(tempi),
  };
}

import { DECODE_SAMPLE_RATE } from '../decode/decoder.ts';
import { DESCRIPTOR_NAMES, computeDescriptors } from '../features/descriptors.ts';
import { WindowAnalysis } from '../features/window-analysis.ts';
import { matrixRows, median } from '../features/stats.ts';
import { planFrames } from '../features/track-windows.ts';
import { createLevelMeter } from './level.ts';
import { decodeTrackWindows, type DecodedTrack } from './decode-windows.ts';

/**
 * Version of what the analysis stage stores: the 57 GTZAN descriptors with
 * librosa 0.7's definitions, on the windows of `track-windows.ts`. Bump it
 * whenever a definition or the window layout changes; the next scan then
 * re-analyses every track. How the audio is decoded may move values by less
 * than a window's placement does (README, "Which windows are analysed"):
 * that alone is not worth hours of re-analysis, and keeps the version.
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
  /** The 3-second frames of each window, when asked for (`AnalyseRequest.frames`); no rows otherwise. */
  frames: DescriptorMatrix;
  /** Track tempo: the median of the windows' refined tempi (the `tempo` descriptor keeps librosa's value). */
  tempo: number;
}

export interface AnalyseRequest {
  path: string;
  /** Duration the container declares, if known: it places the windows, and a much shorter decode means a truncated file. */
  declaredDurationSec?: number | null;
  ffmpegPath?: string;
  /** Also the descriptors of each window's 3-second frames (the 3-second table's layout); no model reads them, so a scan leaves them out. */
  frames?: boolean;
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

/** The descriptors of each decoded window (and of its 3-second frames when `frames`), the level and the tempo: the analysis of a decoded track. */
export function analyseDecoded(track: DecodedTrack, frames = false): TrackAnalysis {
  const level = createLevelMeter();
  const windowRows: Row[] = [];
  const frameRows: Row[] = [];
  const tempi: number[] = [];
  let sampleCount = 0;
  for (const { start, samples } of track.windows) {
    level.add(samples);
    sampleCount += samples.length;
    const analysis = new WindowAnalysis(samples);
    const window = computeDescriptors(analysis);
    tempi.push(analysis.tempi().improved);
    windowRows.push({ start, length: samples.length, values: DESCRIPTOR_NAMES.map((name) => window[name]) });
    for (const frame of frames ? planFrames(samples.length) : []) {
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

/** The duration a request declares, when it is a usable number. */
export function declaredDuration(request: AnalyseRequest): number | null {
  return request.declaredDurationSec && Number.isFinite(request.declaredDurationSec) ? request.declaredDurationSec : null;
}

/**
 * Decodes the windows of a track (`decode-windows.ts`) and computes the 57
 * descriptors of each window, and of each of its 3-second frames when the
 * request asks for them.
 */
export async function analyseFile(request: AnalyseRequest, signal?: AbortSignal): Promise<TrackAnalysis> {
  const track = await decodeTrackWindows(request.path, declaredDuration(request), { ffmpegPath: request.ffmpegPath, signal });
  return analyseDecoded(track, request.frames);
}

import { describeFileError } from '../errors.ts';
import type { SampleRange } from '../features/track-windows.ts';
import { analyseMusicnn, musicnnBuffers, type MusicnnAnalysis } from '../musicnn/analyse-musicnn.ts';
import type { MusicnnModels } from '../musicnn/load-models.ts';
import { analyseFile, type AnalyseRequest, type TrackAnalysis } from './analyse-file.ts';

/**
 * What the analysis worker is asked for one file: both parts (a new or
 * changed file: descriptors, then MusiCNN on the same windows), or MusiCNN
 * alone on `windows` (22050-Hz ranges), for a track whose stored descriptors
 * are current.
 */
export type TrackRequest = AnalyseRequest & ({ parts: 'all' } | { parts: 'musicnn'; windows: SampleRange[] });

/** The MusiCNN part's result: its analysis, or why it failed (data: the descriptors are stored all the same). */
export type MusicnnOutcome = { ok: true; analysis: MusicnnAnalysis } | { ok: false; code: string; message: string };

/** What the analysis worker answers: the descriptors when asked for them, and the MusiCNN outcome. */
export interface TrackResult {
  descriptors?: TrackAnalysis;
  musicnn: MusicnnOutcome;
}

/** The windows a descriptor analysis was computed on. */
function analysedWindows(analysis: TrackAnalysis): SampleRange[] {
  return Array.from(analysis.windows.starts, (start, i) => ({ start, length: analysis.windows.lengths[i]! }));
}

/** Runs the MusiCNN part; its failure becomes data, except a stop (the file in flight is then dropped). */
async function musicnnOutcome(request: TrackRequest, windows: SampleRange[], signal: AbortSignal, models: () => Promise<MusicnnModels>): Promise<MusicnnOutcome> {
  try {
    return { ok: true, analysis: await analyseMusicnn(request.path, windows, { ffmpegPath: request.ffmpegPath, signal, models }) };
  } catch (error) {
    if (signal.aborted) throw error;
    return { ok: false, ...describeFileError(error) };
  }
}

/**
 * The analysis of one file in a worker thread: the descriptor analysis
 * (`analyseFile`, whose failure fails the file) when the request asks for
 * it, then the MusiCNN stage on the same windows (or on the request's).
 */
export async function analyseTrack(request: TrackRequest, signal: AbortSignal, models: () => Promise<MusicnnModels>): Promise<TrackResult> {
  if (request.parts === 'musicnn') return { musicnn: await musicnnOutcome(request, request.windows, signal, models) };
  const descriptors = await analyseFile(request, signal);
  return { descriptors, musicnn: await musicnnOutcome(request, analysedWindows(descriptors), signal, models) };
}

/** The buffers of a result, to move it to the main thread instead of copying it. */
export function resultBuffers(result: TrackResult): ArrayBuffer[] {
  const descriptors = result.descriptors ? [result.descriptors.windows, result.descriptors.frames].flatMap((m) => [m.starts.buffer, m.lengths.buffer, m.values.buffer] as ArrayBuffer[]) : [];
  return [...descriptors, ...(result.musicnn.ok ? musicnnBuffers(result.musicnn.analysis) : [])];
}

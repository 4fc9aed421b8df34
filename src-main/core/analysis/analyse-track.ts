import { describeFileError } from '../errors.ts';
import type { SampleRange } from '../features/track-windows.ts';
import { analyseMusicnn, analyseMusicnnWindows, at16k, musicnnBuffers, type MusicnnAnalysis } from '../musicnn/analyse-musicnn.ts';
import { MUSICNN_SAMPLE_RATE } from '../musicnn/input-definition.ts';
import type { MusicnnModels } from '../musicnn/load-models.ts';
import { analyseDecoded, declaredDuration, type AnalyseRequest, type TrackAnalysis } from './analyse-file.ts';
import { decodeTrackWindows, type DecodedTrack } from './decode-windows.ts';

/**
 * What the analysis worker is asked for one file: both parts (a new or
 * changed file: descriptors, then MusiCNN on the same windows), or MusiCNN
 * alone on `windows` (22050-Hz ranges), for a track whose stored descriptors
 * are current.
 */
export type TrackRequest = AnalyseRequest & ({ parts: 'all' } | { parts: 'musicnn'; windows: SampleRange[] });

/** The MusiCNN part's result: its analysis, or why it failed (data: the descriptors are stored all the same). */
export type MusicnnOutcome = { ok: true; analysis: MusicnnAnalysis } | { ok: false; code: string; message: string };

/** Milliseconds a worker spent on each part of one file (a MusiCNN refresh counts its 16-kHz decode as MusiCNN). */
export interface StageTimings {
  decodeMs: number;
  descriptorsMs: number;
  musicnnMs: number;
}

/** What the analysis worker answers: the descriptors when asked for them, the MusiCNN outcome, and where the time went. */
export interface TrackResult {
  descriptors?: TrackAnalysis;
  musicnn: MusicnnOutcome;
  timings: StageTimings;
}

/** Runs the MusiCNN part; its failure becomes data, except a stop (the file in flight is then dropped). */
async function musicnnOutcome(run: () => Promise<MusicnnAnalysis>, signal: AbortSignal): Promise<MusicnnOutcome> {
  try {
    return { ok: true, analysis: await run() };
  } catch (error) {
    if (signal.aborted) throw error;
    return { ok: false, ...describeFileError(error) };
  }
}

/** The 16-kHz windows of a track decoded at both rates. */
function musicnnWindows(track: DecodedTrack) {
  return track.windows.map((window) => ({ start: at16k(window.start), samples: window.atSecondRate! }));
}

/** Milliseconds since `started`. */
const since = (started: number) => performance.now() - started;

/**
 * The analysis of one file in a worker thread. A new or changed file is
 * decoded once — only its windows, at 22050 Hz for the descriptors and
 * 16 kHz for MusiCNN — then the descriptors (whose failure fails the file)
 * and MusiCNN run on the same windows. A refresh runs MusiCNN alone on the
 * request's windows.
 */
export async function analyseTrack(request: TrackRequest, signal: AbortSignal, models: () => Promise<MusicnnModels>): Promise<TrackResult> {
  let started = performance.now();
  if (request.parts === 'musicnn') {
    const musicnn = await musicnnOutcome(() => analyseMusicnn(request.path, request.windows, { ffmpegPath: request.ffmpegPath, signal, models }), signal);
    return { musicnn, timings: { decodeMs: 0, descriptorsMs: 0, musicnnMs: since(started) } };
  }
  const track = await decodeTrackWindows(request.path, declaredDuration(request), { ffmpegPath: request.ffmpegPath, signal, secondRate: MUSICNN_SAMPLE_RATE });
  const decodeMs = since(started);
  started = performance.now();
  const descriptors = analyseDecoded(track, request.frames);
  const descriptorsMs = since(started);
  started = performance.now();
  const musicnn = await musicnnOutcome(() => analyseMusicnnWindows(musicnnWindows(track), models), signal);
  return { descriptors, musicnn, timings: { decodeMs, descriptorsMs, musicnnMs: since(started) } };
}

/** The buffers of a result, to move it to the main thread instead of copying it. */
export function resultBuffers(result: TrackResult): ArrayBuffer[] {
  const descriptors = result.descriptors ? [result.descriptors.windows, result.descriptors.frames].flatMap((m) => [m.starts.buffer, m.lengths.buffer, m.values.buffer] as ArrayBuffer[]) : [];
  return [...descriptors, ...(result.musicnn.ok ? musicnnBuffers(result.musicnn.analysis) : [])];
}

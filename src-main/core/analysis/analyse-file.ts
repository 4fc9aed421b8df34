import { SonorityError } from '../errors.ts';
import { DECODE_SAMPLE_RATE, decodeAudio } from '../decode/decoder.ts';
import { measureLevel } from './level.ts';

/**
 * Version of what the analysis stage stores. Bump it whenever the stored
 * values would change; the next scan then re-analyses every track.
 */
export const FEATURE_SET_VERSION = 'level-1';

/** What the analysis stage stores for one track. */
export interface TrackAnalysis {
  featureSet: string;
  sampleRate: number;
  sampleCount: number;
  durationSec: number;
  rms: number;
  peak: number;
}

export interface AnalyseRequest {
  path: string;
  /** Duration the container declares, if known; a much shorter decode means a truncated file. */
  declaredDurationSec?: number | null;
  ffmpegPath?: string;
}

/** Decoded audio shorter than the declared duration by more than this is a truncated file. */
const TRUNCATION_TOLERANCE = { seconds: 1, fraction: 0.02 };

/** Throws `truncated` when the decoded length falls clearly short of the declared length. */
export function checkNotTruncated(decodedSec: number, declaredSec: number | null | undefined): void {
  if (!declaredSec || !Number.isFinite(declaredSec)) return;
  const missing = declaredSec - decodedSec;
  if (missing > TRUNCATION_TOLERANCE.seconds && missing > TRUNCATION_TOLERANCE.fraction * declaredSec) {
    throw new SonorityError('truncated', `truncated file: only ${decodedSec.toFixed(1)} s of the ${declaredSec.toFixed(1)} s its header declares could be decoded`);
  }
}

/**
 * The analysis slot of the engine: decodes a track and measures it. Runs in a
 * worker thread. The descriptor extractor replaces the measurements here.
 */
export async function analyseFile(request: AnalyseRequest, signal?: AbortSignal): Promise<TrackAnalysis> {
  const samples = await decodeAudio(request.path, { ffmpegPath: request.ffmpegPath, signal });
  const durationSec = samples.length / DECODE_SAMPLE_RATE;
  checkNotTruncated(durationSec, request.declaredDurationSec);
  const { rms, peak } = measureLevel(samples);
  return { featureSet: FEATURE_SET_VERSION, sampleRate: DECODE_SAMPLE_RATE, sampleCount: samples.length, durationSec, rms, peak };
}

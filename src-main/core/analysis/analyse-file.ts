import { SonorityError } from '../errors.ts';
import { DECODE_SAMPLE_RATE, decodeBlocks } from '../decode/decoder.ts';
import { createLevelMeter } from './level.ts';

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

/** Samples per decoded block: 30 s, the analysis window, so memory stays flat for any track length. */
const BLOCK_SAMPLES = 30 * DECODE_SAMPLE_RATE;

/**
 * The analysis slot of the engine: streams a track's decoded audio and
 * measures it. Runs in a worker thread. The descriptor extractor replaces the
 * measurements here.
 */
export async function analyseFile(request: AnalyseRequest, signal?: AbortSignal): Promise<TrackAnalysis> {
  const level = createLevelMeter();
  let sampleCount = 0;
  for await (const block of decodeBlocks(request.path, BLOCK_SAMPLES, { ffmpegPath: request.ffmpegPath, signal })) {
    level.add(block);
    sampleCount += block.length;
  }
  const durationSec = sampleCount / DECODE_SAMPLE_RATE;
  checkNotTruncated(durationSec, request.declaredDurationSec);
  return { featureSet: FEATURE_SET_VERSION, sampleRate: DECODE_SAMPLE_RATE, sampleCount, durationSec, ...level.result() };
}

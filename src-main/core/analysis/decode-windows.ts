import { SonorityError } from '../errors.ts';
import { DECODE_SAMPLE_RATE, decodeAtRates, decodeBlocks } from '../decode/decoder.ts';
import { MAX_WINDOWS, MIN_SAMPLES, WINDOW_SAMPLES, planWindows, type SampleRange } from '../features/track-windows.ts';
import { measureDuration } from '../tags/read-tags.ts';

/**
 * Tracks up to this long are decoded whole in one pass: their windows cover
 * all of them. A longer track has only its windows decoded, each on its own
 * (ffmpeg seeks): a scan decodes about 90 s of any track whose header gives
 * its length.
 */
const WHOLE_DECODE_LIMIT_SEC = (MAX_WINDOWS * WINDOW_SAMPLES) / DECODE_SAMPLE_RATE;

/**
 * Whether the windows of a track of `durationSec` are cut from one whole
 * decode (else each is decoded with a seek). One rule for the scan, which
 * applies it to the real length, and a MusiCNN refresh (`decodeWindowsAt`),
 * which applies it to where the stored windows end (the same length): both
 * get the same audio.
 */
function decodedWhole(durationSec: number): boolean {
  return durationSec <= WHOLE_DECODE_LIMIT_SEC;
}

/** One analysis window: its first sample (22050 Hz), its samples, and the same audio at the second rate when one was asked for. */
export interface DecodedWindow {
  start: number;
  samples: Float32Array;
  atSecondRate?: Float32Array;
}

/** The decoded analysis windows of a track and the track's duration they were placed on. */
export interface DecodedTrack {
  durationSec: number;
  windows: DecodedWindow[];
}

/** How to decode: the ffmpeg binary, a stop signal, and a second output rate (MusiCNN's 16 kHz) from the same decode. */
export interface WindowDecodeOptions {
  ffmpegPath?: string;
  signal?: AbortSignal;
  secondRate?: number;
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

function tooShort(samples: number): SonorityError {
  return new SonorityError('too-short', `too short to analyse: ${(samples / DECODE_SAMPLE_RATE).toFixed(3)} s of audio (at least 0.05 s needed)`);
}

/** The rates of one decode: 22050 Hz, and the second rate when asked. */
const ratesOf = (options: WindowDecodeOptions) => [DECODE_SAMPLE_RATE, ...(options.secondRate ? [options.secondRate] : [])];

/** The part of `second` (a whole decode at `rate`) that covers `range` of the 22050-Hz decode of `totalSamples`; all of it when the range is the whole track. */
function rangeAtRate(second: Float32Array, rate: number, range: SampleRange, totalSamples: number): Float32Array {
  if (range.start === 0 && range.length === totalSamples) return second;
  const start = positionAtRate(range.start, rate);
  return second.subarray(start, start + positionAtRate(range.length, rate));
}

/** The position at `rate` of a 22050-Hz sample position. */
export function positionAtRate(position: number, rate: number): number {
  return Math.round((position * rate) / DECODE_SAMPLE_RATE);
}

/** A whole decode's options: it stops a second past the limit, so memory stays bounded whatever a header says. */
const wholeDecode = (options: WindowDecodeOptions) => ({ ffmpegPath: options.ffmpegPath, signal: options.signal, durationSec: WHOLE_DECODE_LIMIT_SEC + 1 });

/** The decode options of one window: a seek to its start, its length. */
const windowDecode = (options: WindowDecodeOptions, range: SampleRange) => ({ ffmpegPath: options.ffmpegPath, signal: options.signal, startSec: range.start / DECODE_SAMPLE_RATE, durationSec: range.length / DECODE_SAMPLE_RATE });

/**
 * Decodes the whole track and places the windows on its real sample count.
 * The decode stops a second past the limit: a track that runs on (its header
 * declared less, or nothing) has its real length counted in constant memory
 * and is decoded window by window on it. Throws `truncated` or `too-short`.
 */
async function decodeWhole(filePath: string, declared: number | null, options: WindowDecodeOptions): Promise<DecodedTrack> {
  const [y, second] = await decodeAtRates(filePath, ratesOf(options), wholeDecode(options));
  if (!decodedWhole(y!.length / DECODE_SAMPLE_RATE)) {
    const realSec = await decodedSeconds(filePath, options);
    await checkNotTruncated(filePath, realSec, declared);
    return decodeEachWindow(filePath, realSec, options, true);
  }
  await checkNotTruncated(filePath, y!.length / DECODE_SAMPLE_RATE, declared);
  if (y!.length < MIN_SAMPLES) throw tooShort(y!.length);
  const windows = planWindows(y!.length).map((range) => ({
    start: range.start,
    samples: y!.subarray(range.start, range.start + range.length),
    ...(second ? { atSecondRate: rangeAtRate(second, options.secondRate!, range, y!.length) } : {}),
  }));
  return { durationSec: y!.length / DECODE_SAMPLE_RATE, windows };
}

/** Decodes one window on its own (seeking), at each rate; a window that starts past the end of the audio decodes to no samples. */
async function decodeRange(filePath: string, range: SampleRange, options: WindowDecodeOptions): Promise<Float32Array[]> {
  return decodeAtRates(filePath, ratesOf(options), windowDecode(options, range)).catch((error: SonorityError) => {
    if (error.code === 'no-audio') return ratesOf(options).map(() => new Float32Array(0));
    throw error;
  });
}

/** Seconds of audio the whole file decodes to, counted block by block (constant memory). */
async function decodedSeconds(filePath: string, options: WindowDecodeOptions): Promise<number> {
  let samples = 0;
  for await (const block of decodeBlocks(filePath, 1 << 18, options)) samples += block.length;
  return samples / DECODE_SAMPLE_RATE;
}

/**
 * The windows of a track of `durationSec` (more than the whole-decode
 * limit), each decoded on its own (ffmpeg seeks). When the audio ends clearly before a
 * window does, the length the windows were placed on is not the audio's:
 * the real length is counted, and the file is `truncated` if its header's
 * length is confirmed, else the windows are placed again on the real length
 * (`lengthIsReal` then accepts what decodes, so this happens once).
 */
async function decodeEachWindow(filePath: string, durationSec: number, options: WindowDecodeOptions, lengthIsReal = false): Promise<DecodedTrack> {
  const windows: DecodedWindow[] = [];
  for (const range of planWindows(Math.round(durationSec * DECODE_SAMPLE_RATE))) {
    const [samples, second] = await decodeRange(filePath, range, options);
    if (!lengthIsReal && isShort(samples!.length / DECODE_SAMPLE_RATE, range.length / DECODE_SAMPLE_RATE)) {
      const realSec = await decodedSeconds(filePath, options);
      await checkNotTruncated(filePath, realSec, durationSec);
      return decodeTrackWindows(filePath, realSec, options, true);
    }
    if (samples!.length < MIN_SAMPLES) throw tooShort(samples!.length);
    windows.push({ start: range.start, samples: samples!, ...(second ? { atSecondRate: second } : {}) });
  }
  return { durationSec, windows };
}

/**
 * The analysis windows of a track (`track-windows.ts`) with their samples —
 * and, with `secondRate`, the same windows at that rate from the same
 * decode. A track of unknown length, or one its windows cover whole (up to
 * 90 s), is decoded whole, so the windows rest on the real sample count
 * (`decodeWhole`, which turns to the windows when the audio runs on); a
 * longer one has only its windows decoded, each with a seek, placed by the
 * declared duration — or by the real one, when the audio ends before the
 * header says (`decodeEachWindow`). Throws `truncated` or `too-short`.
 */
export async function decodeTrackWindows(filePath: string, declared: number | null, options: WindowDecodeOptions = {}, lengthIsReal = false): Promise<DecodedTrack> {
  if (declared === null || decodedWhole(declared)) return decodeWhole(filePath, declared, options);
  return decodeEachWindow(filePath, declared, options, lengthIsReal);
}

/**
 * The given windows of a track (22050-Hz ranges, the last ending where the
 * track ends, as a scan placed them) decoded at `rate` the way the scan
 * decoded them (`decodedWhole`): cut from one whole decode, or each with a
 * seek. A MusiCNN refresh thus gets the audio the first scan gave MusiCNN.
 * Decoding errors as `decodeAtRates`, `no-audio` included.
 */
export async function decodeWindowsAt(filePath: string, windows: readonly SampleRange[], rate: number, options: WindowDecodeOptions = {}): Promise<Float32Array[]> {
  const last = windows.at(-1);
  if (!last) return [];
  const end = last.start + last.length;
  if (decodedWhole(end / DECODE_SAMPLE_RATE)) {
    const [whole] = await decodeAtRates(filePath, [rate], wholeDecode(options));
    return windows.map((range) => rangeAtRate(whole!, rate, range, end));
  }
  const decoded: Float32Array[] = [];
  for (const range of windows) decoded.push((await decodeAtRates(filePath, [rate], windowDecode(options, range)))[0]!);
  return decoded;
}

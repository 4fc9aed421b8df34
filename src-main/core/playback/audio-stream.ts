import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Db } from '../db/open-database.ts';
import { readTrack, type TrackRecord } from '../db/track-records.ts';
import { SonorityError } from '../errors.ts';
import { parseRange } from './byte-range.ts';
import { TRANSCODED_TYPE, transcodeForPlayback } from './transcode.ts';

/** Where the audio of tracks comes from: the library database (which alone names files) and the ffmpeg for conversions. */
export interface AudioSource {
  db: Db;
  ffmpegPath?: string;
  /** How long a conversion may take to send its first bytes; default `FIRST_BYTE_TIMEOUT_MS` (20 s). */
  firstByteTimeoutMs?: number;
}

/** An HTTP-shaped answer, for `serve` and Electron's app scheme alike: the body is the audio, or a sentence saying why there is none. */
export interface AudioAnswer {
  status: 200 | 206 | 403 | 404 | 405 | 410 | 415 | 416 | 503;
  headers: Record<string, string>;
  body: Readable | string;
}

/** What an audio request carries that the answer depends on, whichever server received it. */
export interface AudioRequest {
  /** The `Range` header, if any. */
  range?: string | null;
  /** The `If-Range` header: the range is served only when it is the file's current ETag. */
  ifRange?: string | null;
  /** Aborts when the client goes away: a conversion not yet sending is stopped. */
  signal?: AbortSignal;
}

/** Content types of the containers Chromium (and so Electron) plays as they are; the others are converted. */
const PLAYABLE_TYPES: Record<string, string> = {
  mp3: 'audio/mpeg',
  'aac-adts': 'audio/aac',
  flac: 'audio/flac',
  'ogg-vorbis': 'audio/ogg',
  'ogg-opus': 'audio/ogg',
  'ogg-flac': 'audio/ogg',
  mp4: 'audio/mp4',
  wav: 'audio/wav',
};

/**
 * The content type a track is sent as unchanged, or null when the browser
 * cannot play it and it is converted: AIFF, ALAC in MP4, and WAV that is not
 * plain integer PCM (float, 24-bit extensible, ADPCM…).
 */
export function playableType(track: Pick<TrackRecord, 'container' | 'codec'>): string | null {
  if (track.container === 'mp4' && /alac/i.test(track.codec ?? '')) return null;
  if (track.container === 'wav' && track.codec !== null && track.codec !== 'PCM') return null;
  return PLAYABLE_TYPES[track.container] ?? null;
}

/** The track id in the last segment of an audio address (`/api/audio/12`, `app://sonority/audio/12`), or null when it is not a positive whole number. */
export function trackIdFrom(segment: string): number | null {
  if (!/^[1-9]\d{0,15}$/.test(segment)) return null;
  const id = Number(segment);
  return Number.isSafeInteger(id) ? id : null;
}

const sentence = (status: AudioAnswer['status'], text: string, headers: Record<string, string> = {}): AudioAnswer => ({ status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers }, body: text });

/** An open file of a track and what it was when opened: what is sent is read through this handle, so a file replaced meanwhile cannot mix with its length. */
interface OpenTrackFile {
  handle: FileHandle;
  stat: fs.Stats;
}

/** Opens the track's file (without blocking on a FIFO), or the answer saying why it cannot be read (gone, not a file, not readable); never names the path. */
async function openTrackFile(track: TrackRecord): Promise<OpenTrackFile | AudioAnswer> {
  let handle: FileHandle;
  try {
    handle = await fs.promises.open(track.path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return sentence(403, `Sonority may not read the file of track ${track.id} (permission denied)`);
    if (code === 'EISDIR') return sentence(410, `the file of track ${track.id} is no longer a file; scan its folder again`);
    return sentence(410, `the file of track ${track.id} is gone (moved or deleted since the last scan); scan its folder again`);
  }
  const stat = await handle.stat().catch(() => null);
  if (stat?.isFile()) return { handle, stat };
  await handle.close();
  return sentence(410, `the file of track ${track.id} is no longer a file; scan its folder again`);
}

/** A strong validator of the file's content as opened: its size and modification time. */
function entityTag(stat: fs.Stats): string {
  return `"${stat.size.toString(16)}-${Math.round(stat.mtimeMs * 1000).toString(16)}"`;
}

/**
 * A byte range of the file (or all of it), streamed from the open handle, which
 * the stream closes when it ends, fails or is destroyed: never read whole
 * into memory. A range whose `If-Range` is not the current ETag gets the whole file.
 */
function fileAnswer(track: TrackRecord, type: string, file: OpenTrackFile, request: AudioRequest): AudioAnswer {
  const { size } = file.stat;
  const etag = entityTag(file.stat);
  const headers = { 'content-type': type, 'accept-ranges': 'bytes', etag, 'cache-control': 'no-store' };
  const range = request.ifRange == null || request.ifRange.trim() === etag ? request.range : null;
  const asked = parseRange(range, size);
  if (asked.kind === 'unsatisfiable') {
    void file.handle.close();
    return sentence(416, `track ${track.id} has ${size} bytes; the range "${range}" lies outside them`, { 'content-range': `bytes */${size}`, 'accept-ranges': 'bytes', etag });
  }
  if (asked.kind === 'whole') {
    if (size === 0) void file.handle.close();
    return { status: 200, headers: { ...headers, 'content-length': String(size) }, body: size === 0 ? '' : file.handle.createReadStream({ start: 0, end: size - 1 }) };
  }
  const { start, end } = asked;
  return {
    status: 206,
    headers: { ...headers, 'content-length': String(end - start + 1), 'content-range': `bytes ${start}-${end}/${size}` },
    body: file.handle.createReadStream({ start, end }),
  };
}

/** The answer when a conversion could not start: 415 for a file ffmpeg cannot read, 503 when ffmpeg cannot run, was too slow, or the request was cancelled. */
function conversionRefusal(trackId: number, error: unknown): AudioAnswer {
  if (!(error instanceof SonorityError)) throw error;
  if (error.code === 'not-playable') return sentence(415, `track ${trackId} cannot be played: ${error.message}`);
  return sentence(503, `track ${trackId} needs converting for playback, which failed: ${error.message}`);
}

/**
 * Answers a request for the audio of track `trackId` (its `Range` and
 * `If-Range` headers, if any, and a signal that aborts when the client goes
 * away). The file is the one the library database names for that id, never
 * a path from the request, opened once. A file the browser plays (see
 * `playableType`) is streamed from that open file: 200 whole, 206 for a
 * range, 416 for a range outside it, `Accept-Ranges: bytes` and an ETag
 * (size and modification time) throughout; a range whose `If-Range` is
 * another tag gets 200 and the whole file. Another is converted on the fly
 * to Ogg Opus by ffmpeg (200, no ranges; destroying the body or aborting
 * the signal stops ffmpeg), or 415 with the reason when ffmpeg cannot read
 * it, or 503 when ffmpeg cannot run or sends nothing in time (see
 * `transcodeForPlayback`). An unknown track is 404, a file gone 410, an
 * unreadable one 403, each with a sentence that names no path.
 */
export async function answerTrackAudio(source: AudioSource, trackId: number, request: AudioRequest = {}): Promise<AudioAnswer> {
  let track: TrackRecord;
  try {
    track = readTrack(source.db, trackId);
  } catch (error) {
    if (error instanceof SonorityError && error.code === 'not-in-library') return sentence(404, `there is no track ${trackId} in the library`);
    throw error;
  }
  const file = await openTrackFile(track);
  if ('status' in file) return file;
  const type = playableType(track);
  if (type) return fileAnswer(track, type, file, request);
  await file.handle.close(); // ffmpeg opens the file itself
  try {
    const body = await transcodeForPlayback(track.path, { ffmpegPath: source.ffmpegPath, signal: request.signal, firstByteTimeoutMs: source.firstByteTimeoutMs });
    return { status: 200, headers: { 'content-type': TRANSCODED_TYPE, 'accept-ranges': 'none', 'cache-control': 'no-store' }, body };
  } catch (error) {
    return conversionRefusal(track.id, error);
  }
}

/** An audio request as a server received it: its method and the last segment of its address, with the headers and signal `answerTrackAudio` reads. */
export interface AudioHttpRequest extends AudioRequest {
  method: string;
  idSegment: string;
}

/**
 * The one answer to an audio request for `serve` and Electron alike: 405
 * with `Allow: GET` for another method, 404 for an address that does not
 * end with a track id (see `trackIdFrom`), else `answerTrackAudio`.
 */
export async function answerAudioRequest(source: AudioSource, request: AudioHttpRequest): Promise<AudioAnswer> {
  if (request.method !== 'GET') return sentence(405, 'audio is fetched with GET', { allow: 'GET' });
  const trackId = trackIdFrom(request.idSegment);
  if (trackId === null) return sentence(404, 'an audio address ends with a track id (a positive whole number)');
  return answerTrackAudio(source, trackId, request);
}

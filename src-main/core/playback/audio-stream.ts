import fs from 'node:fs';
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
}

/** An HTTP-shaped answer, for `serve` and Electron's app scheme alike: the body is the audio, or a sentence saying why there is none. */
export interface AudioAnswer {
  status: 200 | 206 | 403 | 404 | 410 | 415 | 416;
  headers: Record<string, string>;
  body: Readable | string;
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

/** The file's size, or the answer saying why it cannot be read (gone, not a file, not readable); never names the path. */
async function fileSize(track: TrackRecord): Promise<number | AudioAnswer> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(track.path);
    await fs.promises.access(track.path, fs.constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return sentence(403, `Sonority may not read the file of track ${track.id} (permission denied)`);
    return sentence(410, `the file of track ${track.id} is gone (moved or deleted since the last scan); scan its folder again`);
  }
  return stat.isFile() ? stat.size : sentence(410, `the file of track ${track.id} is no longer a file; scan its folder again`);
}

/** A byte range of the file (or all of it), streamed from disk: never read whole into memory. */
function fileAnswer(track: TrackRecord, type: string, size: number, range: string | null | undefined): AudioAnswer {
  const headers = { 'content-type': type, 'accept-ranges': 'bytes', 'cache-control': 'no-store' };
  const asked = parseRange(range, size);
  if (asked.kind === 'unsatisfiable') return sentence(416, `track ${track.id} has ${size} bytes; the range "${range}" lies outside them`, { 'content-range': `bytes */${size}`, 'accept-ranges': 'bytes' });
  if (asked.kind === 'whole') return { status: 200, headers: { ...headers, 'content-length': String(size) }, body: fs.createReadStream(track.path) };
  const { start, end } = asked;
  return {
    status: 206,
    headers: { ...headers, 'content-length': String(end - start + 1), 'content-range': `bytes ${start}-${end}/${size}` },
    body: fs.createReadStream(track.path, { start, end }),
  };
}

/**
 * Answers a request for the audio of track `trackId` (with its `Range`
 * header, if any). The file is the one the library database names for that
 * id, never a path from the request. A file the browser plays (see
 * `playableType`) is streamed from disk: 200 whole, 206 for a range, 416 for
 * a range outside it, `Accept-Ranges: bytes` throughout. Another is converted
 * on the fly to Ogg Opus by ffmpeg (200, no ranges; destroying the body stops
 * ffmpeg), or 415 with the reason when ffmpeg cannot read it. An unknown
 * track is 404, a file gone 410, an unreadable one 403, each with a sentence
 * that names no path.
 */
export async function answerTrackAudio(source: AudioSource, trackId: number, range?: string | null): Promise<AudioAnswer> {
  let track: TrackRecord;
  try {
    track = readTrack(source.db, trackId);
  } catch (error) {
    if (error instanceof SonorityError && error.code === 'not-in-library') return sentence(404, `there is no track ${trackId} in the library`);
    throw error;
  }
  const size = await fileSize(track);
  if (typeof size !== 'number') return size;
  const type = playableType(track);
  if (type) return fileAnswer(track, type, size, range);
  try {
    const body = await transcodeForPlayback(track.path, { ffmpegPath: source.ffmpegPath });
    return { status: 200, headers: { 'content-type': TRANSCODED_TYPE, 'accept-ranges': 'none', 'cache-control': 'no-store' }, body };
  } catch (error) {
    if (error instanceof SonorityError && error.code === 'not-playable') return sentence(415, `track ${track.id} cannot be played: ${error.message}`);
    throw error;
  }
}

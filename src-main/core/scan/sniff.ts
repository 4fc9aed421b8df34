import fs from 'node:fs/promises';
import path from 'node:path';

/** The audio containers Sonority recognises by their content. */
export type AudioContainer = 'mp3' | 'aac-adts' | 'flac' | 'ogg-vorbis' | 'ogg-opus' | 'ogg-flac' | 'mp4' | 'wav' | 'aiff';

export type SniffResult = { audio: true; container: AudioContainer } | { audio: false; code: string; reason: string };

/** File extensions people use for audio; a file with one of these that is not audio is a failure. */
export const AUDIO_EXTENSIONS: ReadonlySet<string> = new Set(['.mp3', '.mp2', '.aac', '.flac', '.ogg', '.oga', '.opus', '.m4a', '.m4b', '.mp4', '.alac', '.wav', '.wave', '.aif', '.aiff', '.aifc']);

/** Whether the name says audio (case-insensitive extension check). */
export function hasAudioExtension(filePath: string): boolean {
  return AUDIO_EXTENSIONS.has(path.extname(filePath).toLowerCase());
}

const ascii = (buf: Buffer, start: number, end: number) => buf.toString('latin1', start, end);

const MPEG_BITRATE_INDEX_BAD = 0x0f;

/** A plausible MPEG audio frame header (layer I-III, or ADTS AAC when layer bits are 00). */
function frameHeaderAt(buf: Buffer, i: number): 'mpeg' | 'adts' | undefined {
  if (buf[i] !== 0xff || ((buf[i + 1] ?? 0) & 0xe0) !== 0xe0) return undefined;
  const b1 = buf[i + 1]!;
  const b2 = buf[i + 2] ?? 0;
  if ((b1 & 0xf6) === 0xf0) return ((b2 >> 2) & 0x0f) < 13 ? 'adts' : undefined;
  const version = (b1 >> 3) & 0x03;
  const layer = (b1 >> 1) & 0x03;
  const bitrate = (b2 >> 4) & 0x0f;
  const rate = (b2 >> 2) & 0x03;
  if (version === 1 || layer === 0 || bitrate === MPEG_BITRATE_INDEX_BAD || bitrate === 0 || rate === 3) return undefined;
  return 'mpeg';
}

/** How far after a frame sync the next one must appear (two of the longest frames), for two syncs to count as a stream. */
const SECOND_FRAME_WINDOW = 2 * 1441 + 8;

/** Finds two consecutive MPEG/ADTS frame syncs in `buf` (one sync alone is too weak a signal). */
function findFrameStream(buf: Buffer): 'mpeg' | 'adts' | undefined {
  for (let i = 0; i + 4 < buf.length; i++) {
    const kind = frameHeaderAt(buf, i);
    if (!kind) continue;
    const windowEnd = Math.min(buf.length - 4, i + SECOND_FRAME_WINDOW);
    for (let j = i + 24; j < windowEnd; j++) if (frameHeaderAt(buf, j) === kind) return kind;
  }
  return undefined;
}

/** Bytes that begin with one frame header and end before a second one could follow: an MPEG/ADTS stream cut short. */
function isCutFrameStream(buf: Buffer): boolean {
  return buf.length < SECOND_FRAME_WINDOW && frameHeaderAt(buf, 0) !== undefined;
}

function looksLikeText(buf: Buffer): boolean {
  const sample = buf.subarray(0, 1024);
  let printable = 0;
  for (const byte of sample) if (byte === 9 || byte === 10 || byte === 13 || (byte >= 32 && byte !== 127)) printable++;
  return sample.length > 0 && !sample.includes(0) && printable / sample.length > 0.95;
}

function sniffOgg(head: Buffer): SniffResult {
  const segments = head[26] ?? 0;
  const packet = ascii(head, 27 + segments, 27 + segments + 8);
  if (packet.startsWith('\x01vorbis')) return { audio: true, container: 'ogg-vorbis' };
  if (packet.startsWith('OpusHead')) return { audio: true, container: 'ogg-opus' };
  if (packet.startsWith('\x7fFLAC')) return { audio: true, container: 'ogg-flac' };
  return { audio: false, code: 'unsupported-codec', reason: 'Ogg file with a codec Sonority does not decode (not Vorbis, Opus or FLAC)' };
}

const hexStart = (buf: Buffer) => [...buf.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');

const truncated = (why: string): SniffResult => ({ audio: false, code: 'truncated', reason: `truncated file: ${why}` });

/** The container whose signature or frame stream `buf` starts with, or undefined. */
function sniffContainer(buf: Buffer): SniffResult | undefined {
  const magic = ascii(buf, 0, 4);
  if (magic === 'fLaC') return { audio: true, container: 'flac' };
  if (magic === 'OggS') return sniffOgg(buf);
  if (ascii(buf, 4, 8) === 'ftyp') return { audio: true, container: 'mp4' };
  if (magic === 'RIFF' && ascii(buf, 8, 12) === 'WAVE') return { audio: true, container: 'wav' };
  if (magic === 'FORM' && ['AIFF', 'AIFC'].includes(ascii(buf, 8, 12))) return { audio: true, container: 'aiff' };
  const frames = findFrameStream(buf);
  if (frames === 'mpeg') return { audio: true, container: 'mp3' };
  if (frames === 'adts') return { audio: true, container: 'aac-adts' };
  return undefined;
}

/** What follows an ID3v2 tag: any container (an ID3v2 tag in front of FLAC, Ogg or WAV does not make it MP3), or why there is no audio. */
function sniffAfterId3(after: Buffer): SniffResult {
  if (after.length === 0) return truncated('it ends inside its ID3v2 tag or right after it, before any audio');
  const found = sniffContainer(after);
  if (found) return found;
  if (isCutFrameStream(after)) return truncated(`it ends ${after.length} bytes into its audio, inside the first MPEG frame`);
  return { audio: false, code: 'not-audio', reason: `not a recognised audio format after its ID3v2 tag (the bytes after the tag start with ${hexStart(after)})` };
}

/** How much of a file sniffing looks at: its first 64 KiB, and the first 64 KiB after an ID3v2 tag. */
const HEAD_BYTES = 64 * 1024;

/**
 * Identifies an audio container from a file's bytes (the whole file, or at
 * least its first 64 KiB) and, when it starts with an ID3v2 tag that `bytes`
 * does not hold whole, the bytes that follow the tag (`afterId3`). The
 * container is sniffed after the tag, so FLAC with an ID3v2 tag in front is
 * FLAC. A file that ends inside its tag or its first MPEG frame is
 * `truncated`. Pure: no I/O.
 */
export function sniffAudio(bytes: Buffer, afterId3?: Buffer): SniffResult {
  if (bytes.length === 0) return { audio: false, code: 'empty-file', reason: 'empty file (0 bytes)' };
  if (ascii(bytes, 0, 3) === 'ID3') return sniffAfterId3((afterId3 ?? bytes.subarray(id3v2Length(bytes) || bytes.length)).subarray(0, HEAD_BYTES));
  const head = bytes.subarray(0, HEAD_BYTES);
  const found = sniffContainer(head);
  if (found) return found;
  if (isCutFrameStream(head)) return truncated(`it ends after ${head.length} bytes, inside its first MPEG frame`);
  if (looksLikeText(head)) return { audio: false, code: 'not-audio', reason: 'not audio: the file contains text' };
  return { audio: false, code: 'not-audio', reason: `not a recognised audio format (the file starts with bytes ${hexStart(head)})` };
}

/** Length in bytes of the ID3v2 tag at the start of `bytes` (header, body and footer), or 0 if there is none. */
export function id3v2Length(bytes: Uint8Array): number {
  if (bytes.length < 10 || bytes[0] !== 0x49 || bytes[1] !== 0x44 || bytes[2] !== 0x33) return 0;
  const size = ((bytes[6]! & 0x7f) << 21) | ((bytes[7]! & 0x7f) << 14) | ((bytes[8]! & 0x7f) << 7) | (bytes[9]! & 0x7f);
  return 10 + size + (bytes[5]! & 0x10 ? 10 : 0);
}

/** Reads the start of a file (and the 64 KiB after an ID3v2 tag, however long the tag) and identifies its container. */
export async function sniffFile(filePath: string): Promise<SniffResult> {
  const handle = await fs.open(filePath, 'r');
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
    const bytes = head.subarray(0, bytesRead);
    const tagLength = id3v2Length(bytes);
    if (tagLength === 0) return sniffAudio(bytes);
    const after = Buffer.alloc(HEAD_BYTES);
    const read = await handle.read(after, 0, HEAD_BYTES, tagLength);
    return sniffAudio(bytes, after.subarray(0, read.bytesRead));
  } finally {
    await handle.close();
  }
}

import { SonorityError } from '../errors.ts';

/** ID3v2 versions Sonority writes: 2.3 (widest support) and 2.4. */
export type Id3Version = 3 | 4;

export interface Id3GenreOptions {
  /** Version of a tag created where the file has none (an existing tag keeps its version). */
  newTagVersion: Id3Version;
  /** ID3v2.3 has one text value per frame: several genres are joined with this. */
  v23Separator: string;
  /** Padding left after the frames when the tag must grow. */
  padding?: number;
}

/** One frame exactly as stored: its id and its bytes, header included. */
interface RawFrame {
  id: string;
  raw: Uint8Array;
}

/** A parsed ID3v2.3/2.4 tag: the frames as stored, so untouched ones are written back byte for byte. */
interface Id3Tag {
  version: Id3Version;
  /** Header bytes 4–5: revision and flags. */
  revisionAndFlags: Uint8Array;
  extendedHeader: Uint8Array;
  frames: RawFrame[];
  /** Bytes from the header's start to the end of the tag (padding included). */
  length: number;
}

const readSyncsafe = (b: Uint8Array, at: number) => (b[at]! << 21) | (b[at + 1]! << 14) | (b[at + 2]! << 7) | b[at + 3]!;
const syncsafe = (n: number) => Uint8Array.of((n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f);
const readUint32 = (b: Uint8Array, at: number) => ((b[at]! << 24) >>> 0) + ((b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!);
const unsupported = (why: string) => new SonorityError('tag-unsupported', `the file's ID3v2 tag cannot be rewritten safely: ${why}`);

/** Checks the header flags and returns the extended header's length (kept verbatim, unless it carries a CRC of the frames). */
function extendedHeaderLength(bytes: Uint8Array, version: number, flags: number): number {
  if (flags & 0x80) throw unsupported('it uses unsynchronisation');
  if (version === 4 && flags & 0x10) throw unsupported('it has an ID3v2.4 footer');
  if (!(flags & 0x40)) return 0;
  const length = version === 4 ? readSyncsafe(bytes, 10) : readUint32(bytes, 10) + 4;
  const hasCrc = version === 4 ? (bytes[15]! & 0x20) !== 0 : (bytes[14]! & 0x80) !== 0;
  if (hasCrc) throw unsupported('its extended header holds a CRC of the frames');
  return length;
}

/** Parses the ID3v2.3/2.4 tag at the start of `bytes`, or returns null when there is none. Throws `tag-unsupported`. */
function parseId3(bytes: Uint8Array): Id3Tag | null {
  if (bytes.length < 10 || bytes[0] !== 0x49 || bytes[1] !== 0x44 || bytes[2] !== 0x33) return null;
  const version = bytes[3]!;
  if (version !== 3 && version !== 4) throw unsupported(`it is ID3v2.${version}`);
  const length = 10 + readSyncsafe(bytes, 6);
  if (length > bytes.length) throw unsupported('its size runs past the end of the file');
  const frameStart = 10 + extendedHeaderLength(bytes, version, bytes[5]!);
  const frames: RawFrame[] = [];
  let at = frameStart;
  for (; at + 10 <= length && bytes[at] !== 0; ) {
    const id = Buffer.from(bytes.subarray(at, at + 4)).toString('latin1');
    if (!/^[A-Z0-9]{4}$/.test(id)) throw unsupported(`byte ${at} holds no valid frame id`);
    const size = version === 4 ? readSyncsafe(bytes, at + 4) : readUint32(bytes, at + 4);
    if (at + 10 + size > length) throw unsupported(`a frame at byte ${at} runs past the end of the tag`);
    frames.push({ id, raw: bytes.subarray(at, at + 10 + size) });
    at += 10 + size;
  }
  // What follows the frames must be padding: anything else would be lost in the rewrite.
  if (bytes.subarray(at, length).some((byte) => byte !== 0)) throw unsupported(`it has data after its padding starts (byte ${at})`);
  return { version, revisionAndFlags: bytes.subarray(4, 6), extendedHeader: bytes.subarray(10, frameStart), frames, length };
}

/**
 * A TCON frame: ID3v2.4 stores several genres as UTF-8 values separated by
 * U+0000; ID3v2.3 has one value, so they are joined with `separator`, in
 * ISO-8859-1 when it can hold them, else UTF-16 with a byte-order mark.
 */
function tconFrame(version: Id3Version, genres: readonly string[], separator: string): Uint8Array {
  let body: Buffer;
  if (version === 4) body = Buffer.concat([Buffer.of(3), Buffer.from(genres.join('\0'), 'utf8')]);
  else {
    const text = genres.join(separator);
    body = /^[\x00-\xff]*$/.test(text) ? Buffer.concat([Buffer.of(0), Buffer.from(text, 'latin1')]) : Buffer.concat([Buffer.of(1, 0xff, 0xfe), Buffer.from(text, 'utf16le')]);
  }
  const size = version === 4 ? syncsafe(body.length) : Uint8Array.of(body.length >>> 24, (body.length >> 16) & 0xff, (body.length >> 8) & 0xff, body.length & 0xff);
  return Buffer.concat([Buffer.from('TCON', 'latin1'), size, Buffer.of(0, 0), body]);
}

/** The frames with the first TCON replaced (others dropped) or, without one, a TCON added at the end; no genres removes it. */
function replaceGenreFrame(frames: RawFrame[], tcon: Uint8Array | null): Uint8Array[] {
  const out: Uint8Array[] = [];
  let placed = false;
  for (const frame of frames) {
    if (frame.id !== 'TCON') out.push(frame.raw);
    else if (!placed && tcon) out.push(tcon);
    placed ||= frame.id === 'TCON';
  }
  if (!placed && tcon) out.push(tcon);
  return out;
}

/**
 * The bytes of an MP3 (or other ID3v2-tagged file) with its genres set to
 * `genres`: the tag keeps its version, every other frame byte for byte and in
 * order, and its size when the new frames fit in its padding (then the audio
 * stays at the same offset); otherwise it grows with fresh padding. A file
 * without a tag gets one of `newTagVersion`. The audio and any ID3v1 tag are
 * not touched. Throws `tag-unsupported` for tags it cannot rewrite exactly
 * (ID3v2.2, unsynchronisation, footers, frame CRCs).
 */
export function withId3Genres(bytes: Uint8Array, genres: readonly string[], options: Id3GenreOptions): Uint8Array {
  const tag = parseId3(bytes);
  const version = tag?.version ?? options.newTagVersion;
  const tcon = genres.length > 0 ? tconFrame(version, genres, options.v23Separator) : null;
  const content = Buffer.concat([tag?.extendedHeader ?? new Uint8Array(0), ...replaceGenreFrame(tag?.frames ?? [], tcon)]);
  const oldLength = tag?.length ?? 0;
  const fits = tag !== null && 10 + content.length <= oldLength;
  const length = fits ? oldLength : 10 + content.length + (options.padding ?? 1024);
  const header = Buffer.concat([Buffer.from('ID3', 'latin1'), Buffer.of(version), tag?.revisionAndFlags ?? Buffer.of(0, 0), syncsafe(length - 10)]);
  const out = Buffer.alloc(length + bytes.length - oldLength);
  header.copy(out, 0);
  content.copy(out, 10);
  // An ID3v2.3 extended header states the padding size: keep it true.
  if (version === 3 && (tag?.extendedHeader.length ?? 0) >= 10) out.writeUInt32BE(length - 10 - content.length, 16);
  out.set(bytes.subarray(oldLength), length);
  return out;
}

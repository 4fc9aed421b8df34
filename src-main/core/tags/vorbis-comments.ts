import { SonorityError } from '../errors.ts';

/** A Vorbis comment block (FLAC `VORBIS_COMMENT`, Ogg Vorbis/Opus comment headers): vendor string and `KEY=value` entries, as stored. */
export interface VorbisComments {
  vendor: Buffer;
  /** Each entry's raw bytes, in order (UTF-8 `KEY=value`). */
  entries: Buffer[];
}

/** Parses a little-endian Vorbis comment list (without framing bit). Throws `damaged-file` when it runs past its end. */
export function parseVorbisComments(bytes: Buffer): VorbisComments {
  const take = (at: number, length: number) => {
    if (at + length > bytes.length) throw new SonorityError('damaged-file', 'the Vorbis comments run past the end of their block');
    return bytes.subarray(at, at + length);
  };
  const vendorLength = take(0, 4).readUInt32LE(0);
  const vendor = take(4, vendorLength);
  let at = 4 + vendorLength;
  const count = take(at, 4).readUInt32LE(0);
  at += 4;
  const entries: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const length = take(at, 4).readUInt32LE(0);
    entries.push(take(at + 4, length));
    at += 4 + length;
  }
  return { vendor, entries };
}

/** Serialises a Vorbis comment list (without framing bit). */
export function serialiseVorbisComments(comments: VorbisComments): Buffer {
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return b;
  };
  return Buffer.concat([u32(comments.vendor.length), comments.vendor, u32(comments.entries.length), ...comments.entries.flatMap((e) => [u32(e.length), e])]);
}

const isGenre = (entry: Buffer) => entry.subarray(0, 6).toString('latin1').toUpperCase() === 'GENRE=';

/**
 * The comments with every `GENRE` entry replaced by one `GENRE=<g>` per genre,
 * placed where the first one was (at the end when there was none); every
 * other entry keeps its bytes and order.
 */
export function withGenreComments(comments: VorbisComments, genres: readonly string[]): VorbisComments {
  const replacement = genres.map((genre) => Buffer.from(`GENRE=${genre}`, 'utf8'));
  const first = comments.entries.findIndex(isGenre);
  const kept = comments.entries.filter((entry) => !isGenre(entry));
  const at = first < 0 ? kept.length : comments.entries.slice(0, first).filter((entry) => !isGenre(entry)).length;
  return { vendor: comments.vendor, entries: [...kept.slice(0, at), ...replacement, ...kept.slice(at)] };
}

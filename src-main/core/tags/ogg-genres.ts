import { SonorityError } from '../errors.ts';
import { parseVorbisComments, serialiseVorbisComments, withGenreComments } from './vorbis-comments.ts';

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, i) => {
  let r = i << 24;
  for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
  return r >>> 0;
});

/** Ogg's page checksum: CRC-32, polynomial 0x04c11db7, no reflection, over the page with its CRC field zeroed. */
export function oggCrc(page: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < page.length; i++) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ (i >= 22 && i < 26 ? 0 : page[i]!)) & 0xff]!) >>> 0;
  return crc;
}

interface Page {
  bytes: Buffer;
  /** The packets (or packet pieces) on this page, with whether each ends here. */
  pieces: { data: Buffer; ends: boolean }[];
}

function readPages(bytes: Buffer): Page[] {
  const pages: Page[] = [];
  for (let at = 0; at < bytes.length; ) {
    if (at + 27 > bytes.length || bytes.toString('latin1', at, at + 4) !== 'OggS') throw new SonorityError('damaged-file', `no Ogg page where one should start (byte ${at})`);
    const lacing = bytes.subarray(at + 27, at + 27 + bytes[at + 26]!);
    let body = at + 27 + lacing.length;
    const pieces: Page['pieces'] = [];
    let start = body;
    for (const value of lacing) {
      body += value;
      if (value < 255) {
        pieces.push({ data: bytes.subarray(start, body), ends: true });
        start = body;
      }
    }
    if (start < body || lacing.at(-1) === 255) pieces.push({ data: bytes.subarray(start, body), ends: false });
    if (body > bytes.length) throw new SonorityError('damaged-file', 'an Ogg page runs past the end of the file');
    pages.push({ bytes: bytes.subarray(at, body), pieces });
    at = body;
  }
  return pages;
}

/** Builds one page: header fields from `template` (serial), the given flags, granule and sequence, then the CRC. */
function buildPage(template: Buffer, flags: number, granule: bigint, sequence: number, lacing: number[], body: Buffer): Buffer {
  const page = Buffer.alloc(27 + lacing.length + body.length);
  page.write('OggS', 0, 'latin1');
  page[5] = flags;
  page.writeBigUInt64LE(granule, 6);
  template.copy(page, 14, 14, 18);
  page.writeUInt32LE(sequence, 18);
  page[26] = lacing.length;
  page.set(lacing, 27);
  body.copy(page, 27 + lacing.length);
  page.writeUInt32LE(oggCrc(page), 22);
  return page;
}

/** Lays packets out on pages of at most 255 lacing values; the last packet ends its page. Granule 0 where a packet ends, −1 elsewhere. */
function paginate(packets: Buffer[], template: Buffer, firstSequence: number): Buffer[] {
  const pages: Buffer[] = [];
  let lacing: number[] = [];
  let body: Buffer[] = [];
  let continued = false;
  let packetEnded = false;
  const flush = (nextContinued: boolean) => {
    pages.push(buildPage(template, continued ? 1 : 0, packetEnded ? 0n : 0xffffffffffffffffn, firstSequence + pages.length, lacing, Buffer.concat(body)));
    [lacing, body, continued, packetEnded] = [[], [], nextContinued, false];
  };
  for (const packet of packets) {
    for (let at = 0; ; at += 255) {
      if (lacing.length === 255) flush(at > 0);
      const piece = Math.min(255, packet.length - at);
      lacing.push(piece);
      body.push(packet.subarray(at, at + piece));
      if (piece < 255) break;
    }
    packetEnded = true;
  }
  flush(false);
  return pages;
}

/** The codec's comment packet layout: its magic prefix, and whether a framing bit follows the list. */
function commentLayout(identification: Buffer): { headers: number; prefix: Buffer; framing: boolean } {
  if (identification.toString('latin1', 1, 7) === 'vorbis') return { headers: 3, prefix: Buffer.from('\x03vorbis', 'latin1'), framing: true };
  if (identification.toString('latin1', 0, 8) === 'OpusHead') return { headers: 2, prefix: Buffer.from('OpusTags', 'latin1'), framing: false };
  throw new SonorityError('tag-unsupported', 'only Ogg Vorbis and Opus comments can be written');
}

/** The header packets (assembled from their pieces) and the index of the first audio page. */
function headerPackets(pages: Page[], count: number): { packets: Buffer[]; audioStart: number } {
  const packets: Buffer[] = [];
  let pending: Buffer[] = [];
  for (let p = 0; p < pages.length; p++) {
    for (const piece of pages[p]!.pieces) {
      pending.push(piece.data);
      if (!piece.ends) continue;
      packets.push(Buffer.concat(pending));
      pending = [];
    }
    if (packets.length >= count) {
      if (packets.length > count || pending.length > 0) throw new SonorityError('tag-unsupported', 'the Ogg header packets do not end a page');
      return { packets, audioStart: p + 1 };
    }
  }
  throw new SonorityError('damaged-file', 'the Ogg stream ends inside its header packets');
}

/**
 * The bytes of an Ogg Vorbis or Opus file with its genres set in the comment
 * header (one `GENRE` entry per genre where the first one was; every other
 * entry, the vendor string and any trailing bytes kept). The identification
 * page and the audio pages keep their bytes; when the headers now take a
 * different number of pages, the audio pages are renumbered and their
 * checksums recomputed, nothing else.
 */
export function withOggGenres(input: Uint8Array, genres: readonly string[]): Uint8Array {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const pages = readPages(bytes);
  if (pages.length === 0 || new Set(pages.map((p) => p.bytes.readUInt32LE(14))).size > 1) throw new SonorityError('tag-unsupported', 'only Ogg files with a single stream can be written');
  if (pages[0]!.pieces.length !== 1) throw new SonorityError('damaged-file', 'the first Ogg page holds more than the identification header');
  const layout = commentLayout(pages[0]!.pieces[0]!.data);
  const { packets, audioStart } = headerPackets(pages, layout.headers);
  if (!packets[1]!.subarray(0, layout.prefix.length).equals(layout.prefix)) throw new SonorityError('damaged-file', 'the second Ogg header packet is not the comment header');
  const comment = packets[1]!.subarray(layout.prefix.length);
  const parsed = parseVorbisComments(comment);
  const listLength = serialiseVorbisComments(parsed).length;
  const trailing = comment.subarray(listLength + (layout.framing ? 1 : 0));
  const list = serialiseVorbisComments(withGenreComments(parsed, genres));
  const newComment = Buffer.concat([layout.prefix, list, layout.framing ? Buffer.of(1) : Buffer.alloc(0), trailing]);
  const headerPages = paginate([newComment, ...packets.slice(2)], pages[0]!.bytes, pages[0]!.bytes.readUInt32LE(18) + 1);
  const shift = headerPages.length - (audioStart - 1);
  const audio = pages.slice(audioStart).map((page) => {
    if (shift === 0) return page.bytes;
    const renumbered = Buffer.from(page.bytes);
    renumbered.writeUInt32LE(renumbered.readUInt32LE(18) + shift, 18);
    renumbered.writeUInt32LE(oggCrc(renumbered), 22);
    return renumbered;
  });
  return Buffer.concat([pages[0]!.bytes, ...headerPages, ...audio]);
}

import { createHash, type Hash } from 'node:crypto';
import { SonorityError } from '../errors.ts';
import { id3v2Length, sniffAudio, type AudioContainer } from '../scan/sniff.ts';

const latin1 = (bytes: Uint8Array, start: number, end: number) => Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');

/** Where trailing tags begin: an ID3v1 tag (last 128 bytes, "TAG") and an APEv2 tag before it. */
function trailingTagsStart(bytes: Uint8Array, end: number): number {
  let cut = end;
  if (cut >= 128 && latin1(bytes, cut - 128, cut - 125) === 'TAG') cut -= 128;
  if (cut >= 32 && latin1(bytes, cut - 32, cut - 24) === 'APETAGEX') {
    const footer = Buffer.from(bytes.buffer, bytes.byteOffset + cut - 32, 32);
    const hasHeader = (footer.readUInt32LE(20) & 0x80000000) !== 0;
    cut -= footer.readUInt32LE(12) + (hasHeader ? 32 : 0);
  }
  return Math.max(cut, 0);
}

/** MPEG audio and ADTS: the frames between a leading ID3v2 tag and trailing APEv2/ID3v1 tags. */
function hashFrameStream(bytes: Uint8Array, hash: Hash): void {
  hash.update(bytes.subarray(id3v2Length(bytes), trailingTagsStart(bytes, bytes.length)));
}

/** FLAC: everything after the last metadata block (and before a trailing ID3v1 tag). */
function hashFlac(bytes: Uint8Array, hash: Hash): void {
  let at = 4;
  for (let last = false; !last; ) {
    if (at + 4 > bytes.length) throw new SonorityError('damaged-file', 'the FLAC metadata blocks run past the end of the file');
    last = (bytes[at]! & 0x80) !== 0;
    at += 4 + ((bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!);
  }
  hash.update(bytes.subarray(at, trailingTagsStart(bytes, bytes.length)));
}

interface OggPage {
  start: number;
  headerEnd: number;
  end: number;
  /** Packets that end on this page. */
  packetsEnded: number;
}

function* oggPages(bytes: Uint8Array): Generator<OggPage> {
  for (let start = 0; start + 27 <= bytes.length; ) {
    if (latin1(bytes, start, start + 4) !== 'OggS') throw new SonorityError('damaged-file', `no Ogg page where one should start (byte ${start})`);
    const segments = bytes.subarray(start + 27, start + 27 + bytes[start + 26]!);
    const headerEnd = start + 27 + segments.length;
    const end = headerEnd + segments.reduce((sum, lacing) => sum + lacing, 0);
    yield { start, headerEnd, end, packetsEnded: segments.filter((lacing) => lacing < 255).length };
    start = end;
  }
}

/** How many header packets precede the audio in an Ogg stream of this codec. */
function oggHeaderPackets(container: AudioContainer, bytes: Uint8Array): number {
  if (container === 'ogg-vorbis') return 3;
  if (container === 'ogg-opus') return 2;
  const first = [...oggPages(bytes)][0]!;
  return 1 + ((bytes[first.headerEnd + 7]! << 8) | bytes[first.headerEnd + 8]!);
}

/**
 * Ogg: the pages after the header packets (flags, granule position, lacing
 * and body), without the stream serial, sequence number and CRC: a tag
 * rewrite that changes the number of header pages renumbers the audio pages,
 * and a remux may draw a new serial. The codecs' header packets end a page,
 * so the audio pages themselves are untouched.
 */
function hashOgg(bytes: Uint8Array, container: AudioContainer, hash: Hash): void {
  let headersLeft = oggHeaderPackets(container, bytes);
  for (const page of oggPages(bytes)) {
    if (headersLeft > 0) {
      headersLeft -= page.packetsEnded;
      continue;
    }
    hash.update(bytes.subarray(page.start + 5, page.start + 14));
    hash.update(bytes.subarray(page.start + 26, page.end));
  }
}

/** Top-level boxes (MP4) or chunks (RIFF/AIFF) with the bodies of the ones named `wanted`. */
function hashChunks(bytes: Uint8Array, hash: Hash, layout: { first: number; wanted: string; sizeAt: 'before-name' | 'after-name'; littleEndian: boolean; pad: boolean }): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = layout.first; at + 8 <= bytes.length; ) {
    const [sizeAt, nameAt] = layout.sizeAt === 'before-name' ? [at, at + 4] : [at + 4, at];
    let size = view.getUint32(sizeAt, layout.littleEndian);
    let header = 8;
    if (layout.sizeAt === 'before-name' && size === 1) [size, header] = [Number(view.getBigUint64(at + 8)), 16];
    else if (layout.sizeAt === 'before-name' && size === 0) size = bytes.length - at;
    const bodyStart = at + header;
    const bodyEnd = layout.sizeAt === 'before-name' ? at + size : bodyStart + size;
    if (latin1(bytes, nameAt, nameAt + 4) === layout.wanted) hash.update(bytes.subarray(bodyStart, Math.min(bodyEnd, bytes.length)));
    at = bodyEnd + (layout.pad && (bodyEnd - bodyStart) % 2 ? 1 : 0);
  }
}

/** The payload of a container that starts at byte 0 of `bytes`. */
function hashContainer(bytes: Uint8Array, container: AudioContainer, hash: Hash): void {
  if (container === 'flac') hashFlac(bytes, hash);
  else if (container.startsWith('ogg-')) hashOgg(bytes, container, hash);
  else if (container === 'mp4') hashChunks(bytes, hash, { first: 0, wanted: 'mdat', sizeAt: 'before-name', littleEndian: false, pad: false });
  else if (container === 'wav') hashChunks(bytes, hash, { first: 12, wanted: 'data', sizeAt: 'after-name', littleEndian: true, pad: true });
  else hashChunks(bytes, hash, { first: 12, wanted: 'SSND', sizeAt: 'after-name', littleEndian: false, pad: true });
}

/**
 * SHA-256 of the audio payload of a file's bytes: what a tag write must never
 * change. MP3/ADTS: the frames between ID3v2 and APEv2/ID3v1 tags; FLAC: what
 * follows the metadata blocks; Ogg: the audio pages without sequence numbers
 * and CRCs; MP4: the `mdat` boxes; WAV: the `data` chunk; AIFF: `SSND`. An
 * ID3v2 tag in front of a FLAC, Ogg, MP4, WAV or AIFF file is skipped: the
 * container starts after it.
 */
export function audioPayloadHash(bytes: Uint8Array): string {
  const sniffed = sniffAudio(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (!sniffed.audio) throw new SonorityError(sniffed.code, sniffed.reason);
  const hash = createHash('sha256');
  const { container } = sniffed;
  if (container === 'mp3' || container === 'aac-adts') hashFrameStream(bytes, hash);
  else hashContainer(bytes.subarray(id3v2Length(bytes)), container, hash);
  return hash.digest('hex');
}

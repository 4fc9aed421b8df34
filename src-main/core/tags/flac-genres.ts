import { SonorityError } from '../errors.ts';
import { id3v2Length } from '../scan/sniff.ts';
import { parseVorbisComments, serialiseVorbisComments, withGenreComments } from './vorbis-comments.ts';

const STREAMINFO = 0;
const PADDING = 1;
const VORBIS_COMMENT = 4;

interface MetadataBlock {
  type: number;
  body: Buffer;
}

function readBlocks(bytes: Buffer, start: number): { blocks: MetadataBlock[]; end: number } {
  const blocks: MetadataBlock[] = [];
  let at = start;
  for (let last = false; !last; ) {
    if (at + 4 > bytes.length) throw new SonorityError('damaged-file', 'the FLAC metadata blocks run past the end of the file');
    last = (bytes[at]! & 0x80) !== 0;
    const length = bytes.readUIntBE(at + 1, 3);
    if (at + 4 + length > bytes.length) throw new SonorityError('damaged-file', 'a FLAC metadata block runs past the end of the file');
    blocks.push({ type: bytes[at]! & 0x7f, body: bytes.subarray(at + 4, at + 4 + length) });
    at += 4 + length;
  }
  return { blocks, end: at };
}

function writeBlocks(blocks: MetadataBlock[]): Buffer {
  return Buffer.concat(blocks.flatMap((block, i) => {
    const header = Buffer.alloc(4);
    header[0] = block.type | (i === blocks.length - 1 ? 0x80 : 0);
    header.writeUIntBE(block.body.length, 1, 3);
    return [header, block.body];
  }));
}

/** Makes the padding absorb a change of `delta` bytes in the other blocks when it can, so the audio stays where it was. */
function absorbInPadding(blocks: MetadataBlock[], delta: number): MetadataBlock[] {
  const padding = blocks.findIndex((block) => block.type === PADDING);
  if (padding < 0 || delta === 0) return blocks;
  const size = blocks[padding]!.body.length - delta;
  if (size < 0) return blocks;
  return blocks.map((block, i) => (i === padding ? { type: PADDING, body: Buffer.alloc(size) } : block));
}

/**
 * The bytes of a FLAC file with its genres set: the `VORBIS_COMMENT` block
 * gets one `GENRE` entry per genre where the first one was, every other entry
 * and block (pictures included) keeps its bytes and order, and the padding
 * absorbs the change in size when it can, so the audio frames are not moved.
 * A file without comments gets a block after `STREAMINFO`.
 */
export function withFlacGenres(input: Uint8Array, genres: readonly string[]): Uint8Array {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const start = id3v2Length(bytes);
  if (bytes.toString('latin1', start, start + 4) !== 'fLaC') throw new SonorityError('not-flac', 'not a FLAC file (no "fLaC" marker)');
  const { blocks, end } = readBlocks(bytes, start + 4);
  if (blocks[0]?.type !== STREAMINFO) throw new SonorityError('damaged-file', 'the FLAC file does not start with its STREAMINFO block');
  const index = blocks.findIndex((block) => block.type === VORBIS_COMMENT);
  const old = index < 0 ? { vendor: Buffer.from('Sonority', 'utf8'), entries: [] } : parseVorbisComments(blocks[index]!.body);
  const body = serialiseVorbisComments(withGenreComments(old, genres));
  if (body.length >= 1 << 24) throw new SonorityError('tag-unsupported', 'the genres would not fit in a FLAC comment block (16 MiB at most)');
  const replaced = index < 0 ? [blocks[0], { type: VORBIS_COMMENT, body }, ...blocks.slice(1)] : blocks.map((block, i) => (i === index ? { type: VORBIS_COMMENT, body } : block));
  const delta = body.length - (index < 0 ? -4 : blocks[index]!.body.length);
  const metadata = writeBlocks(absorbInPadding(replaced as MetadataBlock[], delta));
  return Buffer.concat([bytes.subarray(0, start + 4), metadata, bytes.subarray(end)]);
}

import { SonorityError } from '../errors.ts';

interface Box {
  type: string;
  start: number;
  /** Header length: 8, or 16 with a 64-bit size. */
  header: number;
  end: number;
}

/** The boxes between `start` and `end`. Throws `damaged-file` when one runs past `end`. */
function boxesIn(bytes: Buffer, start: number, end: number): Box[] {
  const boxes: Box[] = [];
  for (let at = start; at + 8 <= end; ) {
    let size = bytes.readUInt32BE(at);
    let header = 8;
    if (size === 1) [size, header] = [Number(bytes.readBigUInt64BE(at + 8)), 16];
    else if (size === 0) size = end - at;
    if (size < header || at + size > end) throw new SonorityError('damaged-file', `an MP4 box at byte ${at} runs past its parent`);
    boxes.push({ type: bytes.toString('latin1', at + 4, at + 8), start: at, header, end: at + size });
    at += size;
  }
  return boxes;
}

/** The children of a box (`meta` is a full box: its children follow 4 bytes of version and flags). */
const childrenOf = (bytes: Buffer, box: Box) => boxesIn(bytes, box.start + box.header + (box.type === 'meta' ? 4 : 0), box.end);

function box(type: string, ...content: Uint8Array[]): Buffer {
  const body = Buffer.concat(content);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

const u32 = (n: number) => Buffer.of(n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);

/** `©gen` with one UTF-8 `data` atom per genre. */
const genreItem = (genres: readonly string[]) => box('\xa9gen', ...genres.map((genre) => box('data', u32(1), u32(0), Buffer.from(genre, 'utf8'))));

/** A metadata handler (`mdir`), which iTunes-style `ilst` items need. */
const metadataHandler = () => box('hdlr', u32(0), u32(0), Buffer.from('mdirappl', 'latin1'), Buffer.alloc(9));

/** The `ilst` with `©gen` and `gnre` replaced by one `©gen` where the first was (at the end when none). */
function newItemList(bytes: Buffer, items: Box[], genres: readonly string[]): Buffer {
  const isGenre = (item: Box) => item.type === '\xa9gen' || item.type === 'gnre';
  const first = items.findIndex(isGenre);
  const kept = items.filter((item) => !isGenre(item)).map((item) => bytes.subarray(item.start, item.end));
  const at = first < 0 ? kept.length : items.slice(0, first).filter((item) => !isGenre(item)).length;
  return box('ilst', ...kept.slice(0, at), ...(genres.length ? [genreItem(genres)] : []), ...kept.slice(at));
}

/** Where the change goes: the bytes replaced, what replaces them, and the boxes whose sizes grow by the difference. */
interface Splice {
  start: number;
  end: number;
  bytes: Buffer;
  ancestors: Box[];
}

function planSplice(bytes: Buffer, moov: Box, genres: readonly string[]): Splice {
  const path: Box[] = [moov];
  for (const type of ['udta', 'meta', 'ilst']) {
    const child = childrenOf(bytes, path.at(-1)!).find((c) => c.type === type);
    if (!child) break;
    path.push(child);
  }
  if (path.length < 4) {
    const ilst = box('ilst', ...(genres.length ? [genreItem(genres)] : []));
    const chain = path.length === 3 ? ilst : path.length === 2 ? box('meta', u32(0), metadataHandler(), ilst) : box('udta', box('meta', u32(0), metadataHandler(), ilst));
    return { start: path.at(-1)!.end, end: path.at(-1)!.end, bytes: chain, ancestors: path };
  }
  const [ilst, meta] = [path[3]!, path[2]!];
  const replacement = newItemList(bytes, childrenOf(bytes, ilst), genres);
  const delta = replacement.length - (ilst.end - ilst.start);
  const free = childrenOf(bytes, meta).find((c) => c.start === ilst.end && (c.type === 'free' || c.type === 'skip'));
  if (free && free.end - free.start - delta >= 8) {
    // The free space after the item list absorbs the change: no box moves.
    return { start: ilst.start, end: free.end, bytes: Buffer.concat([replacement, box('free', Buffer.alloc(free.end - free.start - delta - 8))]), ancestors: [] };
  }
  return { start: ilst.start, end: ilst.end, bytes: replacement, ancestors: path.slice(0, 3) };
}

/** Adds `delta` to the size field of a box (found at the same offset: ancestors start before the change). */
function growBox(out: Buffer, ancestor: Box, delta: number): void {
  if (ancestor.header === 8 && out.readUInt32BE(ancestor.start) === 0) return; // size 0: "to the end of the file", still true
  if (ancestor.header === 16) out.writeBigUInt64BE(out.readBigUInt64BE(ancestor.start + 8) + BigInt(delta), ancestor.start + 8);
  else out.writeUInt32BE(out.readUInt32BE(ancestor.start) + delta, ancestor.start);
}

/** Shifts every chunk offset (`stco`, `co64`) beyond `from` by `delta`: the audio moved when `moov` before it changed size. */
function shiftChunkOffsets(out: Buffer, moov: Box, from: number, delta: number): void {
  const visit = (parent: Box) => {
    for (const child of childrenOf(out, parent)) {
      if (['trak', 'mdia', 'minf', 'stbl'].includes(child.type)) visit(child);
      if (child.type !== 'stco' && child.type !== 'co64') continue;
      const count = out.readUInt32BE(child.start + child.header + 4);
      const width = child.type === 'stco' ? 4 : 8;
      for (let i = 0, at = child.start + child.header + 8; i < count; i++, at += width) {
        if (width === 4 && out.readUInt32BE(at) >= from) out.writeUInt32BE(out.readUInt32BE(at) + delta, at);
        if (width === 8 && out.readBigUInt64BE(at) >= BigInt(from)) out.writeBigUInt64BE(out.readBigUInt64BE(at) + BigInt(delta), at);
      }
    }
  };
  visit(moov);
}

/**
 * The bytes of an MP4/M4A file with its genres set: one `©gen` item holding a
 * UTF-8 `data` atom per genre, where the old `©gen`/`gnre` was; every other
 * item and box keeps its bytes. A `free` box after the item list absorbs the
 * change when it can; otherwise the enclosing boxes grow and, when `moov`
 * comes before the audio, the chunk offsets are shifted to match. Missing
 * `udta`/`meta`/`ilst` boxes are created. Fragmented files are refused.
 */
export function withMp4Genres(input: Uint8Array, genres: readonly string[]): Uint8Array {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const top = boxesIn(bytes, 0, bytes.length);
  if (top.some((b) => b.type === 'moof')) throw new SonorityError('tag-unsupported', 'fragmented MP4 files cannot be tagged safely');
  const moovs = top.filter((b) => b.type === 'moov');
  if (moovs.length !== 1) throw new SonorityError('damaged-file', `the MP4 file has ${moovs.length} movie boxes (moov), not one`);
  const moov = moovs[0]!;
  const splice = planSplice(bytes, moov, genres);
  const delta = splice.bytes.length - (splice.end - splice.start);
  const out = Buffer.concat([bytes.subarray(0, splice.start), splice.bytes, bytes.subarray(splice.end)]);
  for (const ancestor of splice.ancestors) growBox(out, ancestor, delta);
  if (delta !== 0 && splice.ancestors.length > 0 && top.some((b) => b.type === 'mdat' && b.start > moov.start)) {
    shiftChunkOffsets(out, { ...moov, end: moov.end + delta }, moov.end, delta);
  }
  return out;
}

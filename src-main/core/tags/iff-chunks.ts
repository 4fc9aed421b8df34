import { SonorityError } from '../errors.ts';

/** Byte order of chunk sizes: RIFF (WAV) is little-endian, IFF (AIFF) big-endian. */
export type ChunkByteOrder = 'little' | 'big';

/** One chunk as stored. */
export interface Chunk {
  id: string;
  /** The chunk's content, without its header and pad byte. */
  body: Uint8Array;
  /** Header, body and pad byte exactly as stored: what an untouched chunk is written back as. */
  raw: Uint8Array;
}

/** A RIFF or IFF form (`RIFF`…`WAVE`, `FORM`…`AIFF`/`AIFC`): its top-level chunks and what follows the form. */
export interface ChunkForm {
  /** `RIFF` or `FORM`. */
  formId: string;
  /** `WAVE`, `AIFF` or `AIFC`. */
  formType: string;
  chunks: Chunk[];
  /** Bytes after the end the form's size declares, kept as they are. */
  trailing: Uint8Array;
}

const latin1 = (bytes: Uint8Array, start: number, end: number) => Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
const readSize = (bytes: Uint8Array, at: number, order: ChunkByteOrder) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(at, order === 'little');
const unsupported = (why: string) => new SonorityError('tag-unsupported', `the file's chunks cannot be rewritten safely: ${why}`);

/**
 * Splits a run of chunks (`id`, 32-bit size, body, a pad byte after an odd
 * body) that must fill `bytes[start, end)` exactly. A last chunk may lack its
 * pad byte at `end`. Throws `tag-unsupported` when a chunk runs past `end`
 * (a damaged file, or one written as a stream with no sizes filled in).
 */
export function splitChunks(bytes: Uint8Array, start: number, end: number, order: ChunkByteOrder, what: string): Chunk[] {
  const chunks: Chunk[] = [];
  for (let at = start; at < end; ) {
    if (at + 8 > end) throw unsupported(`${end - at} stray bytes at byte ${at} of the ${what}, too few for a chunk`);
    const size = readSize(bytes, at + 4, order);
    const bodyEnd = at + 8 + size;
    if (bodyEnd > end) throw unsupported(`the "${latin1(bytes, at, at + 4)}" chunk at byte ${at} runs past the end of the ${what}`);
    const next = Math.min(bodyEnd + (size & 1), end);
    chunks.push({ id: latin1(bytes, at, at + 4), body: bytes.subarray(at + 8, bodyEnd), raw: bytes.subarray(at, next) });
    at = next;
  }
  return chunks;
}

/** A chunk's bytes: header, `body` and a pad byte when the body's length is odd. */
export function chunkBytes(id: string, body: Uint8Array, order: ChunkByteOrder): Buffer {
  const out = Buffer.alloc(8 + body.length + (body.length & 1));
  out.write(id, 0, 'latin1');
  if (order === 'little') out.writeUInt32LE(body.length, 4);
  else out.writeUInt32BE(body.length, 4);
  out.set(body, 8);
  return out;
}

/**
 * Parses the form at the start of `bytes` (the container's signature already
 * checked), which must hold the `sound` chunk. Throws `tag-unsupported` when
 * its size or chunks do not fit the file, or the sound chunk is not among them
 * (a file written as a stream, with no sizes filled in, or a damaged one).
 */
export function parseChunkForm(bytes: Uint8Array, order: ChunkByteOrder, sound: string): ChunkForm {
  const formId = latin1(bytes, 0, 4);
  const end = 8 + readSize(bytes, 4, order);
  if (end > bytes.length || end < 12) throw unsupported(`its ${formId} size says ${end} bytes, but the file has ${bytes.length} (was it written as a stream?)`);
  const chunks = splitChunks(bytes, 12, end, order, `${formId} form`);
  if (!chunks.some((chunk) => chunk.id === sound)) throw unsupported(`its ${formId} form holds no "${sound}" chunk`);
  return { formId, formType: latin1(bytes, 8, 12), chunks, trailing: bytes.subarray(end) };
}

/** The bytes of a form holding `chunks` (each as its full stored bytes), with its size set to fit them, then the form's trailing bytes. */
export function serialiseChunkForm(form: ChunkForm, chunks: readonly Uint8Array[], order: ChunkByteOrder): Buffer {
  const header = chunkBytes(form.formId, Buffer.from(form.formType, 'latin1'), order);
  const size = 4 + chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  if (size > 0xffffffff) throw unsupported(`the ${form.formId} form would outgrow the 4 GiB its size field can describe`);
  if (order === 'little') header.writeUInt32LE(size, 4);
  else header.writeUInt32BE(size, 4);
  return Buffer.concat([header, ...chunks, form.trailing]);
}

/** Whether a chunk is an ID3 chunk: `ID3 ` (ffmpeg, Mp3tag, iTunes) or `id3 ` (mutagen and Picard, foobar2000). */
export const isId3Chunk = (chunk: Chunk): boolean => chunk.id === 'ID3 ' || chunk.id === 'id3 ';

/** The ID3v2 tag an `ID3 `/`id3 ` chunk holds (empty: none yet). Throws `tag-unsupported` when the chunk holds something else, which a rewrite would bury behind a new tag. */
export function id3ChunkBody(chunk: Chunk): Uint8Array {
  if (chunk.body.length > 0 && latin1(chunk.body, 0, Math.min(3, chunk.body.length)) !== 'ID3') throw unsupported(`its "${chunk.id}" chunk holds no ID3v2 tag`);
  return chunk.body;
}

import { chunkBytes, id3ChunkBody, isId3Chunk, parseChunkForm, serialiseChunkForm } from './iff-chunks.ts';
import { withId3Genres, type Id3GenreOptions } from './id3-genres.ts';

/**
 * The bytes of an AIFF or AIFF-C file with its genres set to `genres` in the
 * ID3v2 tag of its ID3 chunk, written as `withId3Genres` writes an MP3's. An
 * existing chunk is rewritten where it stands, as `ID3 ` (the id
 * music-metadata, mutagen and iTunes read, and so the genres read back) even
 * when it was stored as `id3 `, so the file does not get a second tag.
 * Without one, the chunk is created just before `SSND`, where the undo
 * journal keeps only the bytes from the FORM header to it. Every other chunk
 * keeps its bytes and place, pad bytes follow IFF rules, and the FORM size
 * is set to fit. Throws `tag-unsupported` for a file whose sizes do not add
 * up (or that has no `SSND` chunk within them), or a tag it cannot rewrite
 * exactly.
 */
export function withAiffGenres(bytes: Uint8Array, genres: readonly string[], options: Id3GenreOptions): Uint8Array {
  const form = parseChunkForm(bytes, 'big', 'SSND');
  let tagged = false;
  const chunks = form.chunks.map((chunk) => {
    if (!isId3Chunk(chunk)) return chunk.raw;
    tagged = true;
    return chunkBytes('ID3 ', withId3Genres(id3ChunkBody(chunk), genres, options), 'big');
  });
  if (!tagged && genres.length > 0) {
    chunks.splice(form.chunks.findIndex((chunk) => chunk.id === 'SSND'), 0, chunkBytes('ID3 ', withId3Genres(new Uint8Array(0), genres, options), 'big'));
  }
  return serialiseChunkForm(form, chunks, 'big');
}

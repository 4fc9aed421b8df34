import { SonorityError } from '../errors.ts';
import { chunkBytes, id3ChunkBody, isId3Chunk, parseChunkForm, serialiseChunkForm, splitChunks, type Chunk } from './iff-chunks.ts';
import { withId3Genres, type Id3GenreOptions } from './id3-genres.ts';

const isInfoList = (chunk: Chunk) => chunk.id === 'LIST' && Buffer.from(chunk.body.subarray(0, 4)).toString('latin1') === 'INFO';

/**
 * How the file's INFO text is encoded: its `CSET` chunk's code page, ISO
 * 8859-1 without one (as music-metadata and TagLib read it). Windows-1252
 * agrees with ISO 8859-1 outside 0x80–0x9F; other code pages take ASCII only.
 */
function infoEncoder(chunks: readonly Chunk[]): (text: string) => Buffer {
  const cset = chunks.find((chunk) => chunk.id === 'CSET');
  const codePage = cset && cset.body.length >= 2 ? cset.body[0]! | (cset.body[1]! << 8) : 0;
  const [allowed, encoding, name]: [RegExp, BufferEncoding, string] =
    codePage === 65001 ? [/^[^]*$/, 'utf8', 'UTF-8']
    : codePage === 0 || codePage === 28591 ? [/^[\x00-\xff]*$/, 'latin1', 'ISO 8859-1']
    : codePage === 1252 ? [/^[\x00-\x7f\xa0-\xff]*$/, 'latin1', 'Windows-1252']
    : [/^[\x00-\x7f]*$/, 'latin1', `code page ${codePage}`];
  return (text) => {
    if (!allowed.test(text)) throw new SonorityError('tag-unsupported', `the WAV file's INFO text is ${name}, which cannot hold "${text}"; nothing was written`);
    return Buffer.from(text, encoding);
  };
}

/** An INFO item: id, size, the text and its terminating NUL, and a pad byte when that is odd. */
const infoItem = (id: string, text: Buffer) => chunkBytes(id, Buffer.concat([text, Buffer.of(0)]), 'little');

/** The INFO items that hold genres, as `readGenreTags` reads them: `IGNR`, and the `GNRE` some taggers write. */
const GENRE_ITEMS = new Set(['IGNR', 'GNRE']);

/**
 * An INFO list's body with its genre items set to `genre` (its text): the
 * first `IGNR` and the first `GNRE` hold it where they stand, an `IGNR` is
 * added at the end without one, and every further genre item is removed (all
 * of them when `genre` is null). Other items keep their bytes.
 */
function withInfoGenre(body: Uint8Array, genre: Buffer | null): Buffer {
  const items = splitChunks(body, 4, body.length, 'little', 'LIST INFO chunk');
  const kept: Uint8Array[] = [];
  const placed = new Set<string>();
  for (const item of items) {
    if (!GENRE_ITEMS.has(item.id)) kept.push(item.raw);
    else if (genre !== null && !placed.has(item.id)) kept.push(infoItem(item.id, genre));
    placed.add(item.id);
  }
  if (genre !== null && !placed.has('IGNR')) kept.push(infoItem('IGNR', genre));
  return Buffer.concat([body.subarray(0, 4), ...kept]);
}

/**
 * The bytes of a WAV file with its genres set to `genres`: the `IGNR` item of
 * the first `LIST`/`INFO` chunk holds them joined with `v23Separator`, and so
 * does its `GNRE` item where it has one (later INFO lists lose theirs), and
 * every `id3 `/`ID3 ` chunk's tag gets them as `withId3Genres` writes them.
 * Without an INFO list, one is created just before the `data` chunk (as
 * ffmpeg places it: the undo journal then keeps the few bytes from the RIFF
 * header to that list). Every other chunk and INFO item keeps its bytes and
 * place; pad bytes follow RIFF rules and the RIFF size is set to
 * fit. Throws `tag-unsupported` for a file whose sizes do not add up (or
 * that has no `data` chunk within them), or text its INFO code page cannot hold.
 */
export function withWavGenres(bytes: Uint8Array, genres: readonly string[], options: Id3GenreOptions): Uint8Array {
  const form = parseChunkForm(bytes, 'little', 'data');
  const genre = genres.length > 0 ? infoEncoder(form.chunks)(genres.join(options.v23Separator)) : null;
  let listed = false;
  const chunks = form.chunks.map((chunk) => {
    if (isId3Chunk(chunk)) return chunkBytes(chunk.id, withId3Genres(id3ChunkBody(chunk), genres, options), 'little');
    if (!isInfoList(chunk)) return chunk.raw;
    const list = chunkBytes('LIST', withInfoGenre(chunk.body, listed ? null : genre), 'little');
    listed = true;
    return list;
  });
  if (!listed && genre) {
    chunks.splice(form.chunks.findIndex((chunk) => chunk.id === 'data'), 0, chunkBytes('LIST', Buffer.concat([Buffer.from('INFO', 'latin1'), infoItem('IGNR', genre)]), 'little'));
  }
  return serialiseChunkForm(form, chunks, 'little');
}

/**
 * The library map's points as typed arrays, decoded from the packed pages of
 * `mapPoints` (the byte layout is documented on `MapPage`): one array per
 * field, so drawing and hit-testing 100,000 points touches no objects.
 */
import { MAP_POINT_BYTES } from '../../../src-main/api/contract.ts';

/** Index value meaning "no genre" in `tagGenre` and `suggestedGenre`. */
export const NO_GENRE = 0xffff;
/** `danceability` value meaning "not analysed". */
export const NO_DANCEABILITY = 255;
/** Bits of `flags`. */
export const FLAG = { happy: 1, relaxed: 2, aggressive: 4, disputed: 128 } as const;

/** Every point of the map, field by field (index i is one track). */
export interface MapPoints {
  count: number;
  trackId: Uint32Array;
  x: Float32Array;
  y: Float32Array;
  /** Indexes into `genres`, or `NO_GENRE`. */
  tagGenre: Uint16Array;
  suggestedGenre: Uint16Array;
  /** 0–200 for 0–1, or `NO_DANCEABILITY`. */
  danceability: Uint8Array;
  flags: Uint8Array;
  /** BPM × 10; 0 when unknown. */
  tempo: Uint16Array;
  genres: string[];
}

/** Decodes base64 into bytes (atob exists in browsers and Node alike). */
function base64Bytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Joins the packed pages of one layout (in any order; each page says its
 * offset) into typed arrays. Throws when a page's bytes are not whole points,
 * when pages disagree about the total or the genre list, or when a point is
 * missing.
 */
export function decodeMapPages(pages: readonly { total: number; offset: number; points: string; genres: string[] }[]): MapPoints {
  const total = pages[0]?.total ?? 0;
  const genres = pages[0]?.genres ?? [];
  const points: MapPoints = {
    count: total, genres,
    trackId: new Uint32Array(total), x: new Float32Array(total), y: new Float32Array(total),
    tagGenre: new Uint16Array(total), suggestedGenre: new Uint16Array(total),
    danceability: new Uint8Array(total), flags: new Uint8Array(total), tempo: new Uint16Array(total),
  };
  let filled = 0;
  for (const page of pages) {
    if (page.total !== total) throw new Error(`map pages disagree: one says ${page.total} points, another ${total}`);
    if (page.genres.length !== genres.length || page.genres.some((genre, i) => genre !== genres[i])) throw new Error('map pages disagree about the genre list (the layout changed while loading)');
    const bytes = base64Bytes(page.points);
    if (bytes.length % MAP_POINT_BYTES !== 0) throw new Error(`a map page has ${bytes.length} bytes, not a whole number of ${MAP_POINT_BYTES}-byte points`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = bytes.length / MAP_POINT_BYTES;
    if (page.offset + n > total) throw new Error(`a map page at offset ${page.offset} holds ${n} points, past the total of ${total}`);
    for (let k = 0; k < n; k++) {
      const at = k * MAP_POINT_BYTES;
      const i = page.offset + k;
      points.trackId[i] = view.getUint32(at, true);
      points.x[i] = view.getFloat32(at + 4, true);
      points.y[i] = view.getFloat32(at + 8, true);
      points.tagGenre[i] = view.getUint16(at + 12, true);
      points.suggestedGenre[i] = view.getUint16(at + 14, true);
      points.danceability[i] = view.getUint8(at + 16);
      points.flags[i] = view.getUint8(at + 17);
      points.tempo[i] = view.getUint16(at + 18, true);
    }
    filled += n;
  }
  if (filled !== total) throw new Error(`the map pages hold ${filled} points, not the ${total} the layout has`);
  return points;
}

/** The map page's decoding of packed `mapPoints` pages, from bytes written here by the layout `MapPage` documents. */
import { describe, expect, it } from 'vitest';
import { MAP_POINT_BYTES } from '../src-main/api/contract.ts';
import { decodeMapPages, FLAG, NO_DANCEABILITY, NO_GENRE } from '../src-renderer/src/lib/map-points.ts';

interface Point { id: number; x: number; y: number; tag: number; suggested: number; danceability: number; flags: number; tempo: number }

/** Packs points little-endian at the documented offsets, as base64. */
function pack(points: Point[]): string {
  const view = new DataView(new ArrayBuffer(points.length * MAP_POINT_BYTES));
  points.forEach((p, i) => {
    const at = i * MAP_POINT_BYTES;
    view.setUint32(at, p.id, true);
    view.setFloat32(at + 4, p.x, true);
    view.setFloat32(at + 8, p.y, true);
    view.setUint16(at + 12, p.tag, true);
    view.setUint16(at + 14, p.suggested, true);
    view.setUint8(at + 16, p.danceability);
    view.setUint8(at + 17, p.flags);
    view.setUint16(at + 18, p.tempo, true);
  });
  return Buffer.from(view.buffer).toString('base64');
}

const genres = ['Jazz', 'Rock', 'Classical'];
const points: Point[] = [
  { id: 7, x: -1.5, y: 2.25, tag: 0, suggested: 2, danceability: 150, flags: FLAG.happy | FLAG.disputed, tempo: 1205 },
  { id: 70_000, x: 3.75, y: -0.5, tag: NO_GENRE, suggested: 1, danceability: NO_DANCEABILITY, flags: 0, tempo: 0 },
  { id: 123_456, x: 0, y: 1e-3, tag: 1, suggested: NO_GENRE, danceability: 0, flags: FLAG.relaxed | FLAG.aggressive, tempo: 899 },
];

describe('decodeMapPages', () => {
  it('decodes every field of pages given out of order', () => {
    const decoded = decodeMapPages([
      { total: 3, offset: 2, points: pack(points.slice(2)), genres },
      { total: 3, offset: 0, points: pack(points.slice(0, 2)), genres },
    ]);
    expect(decoded.count).toBe(3);
    expect(decoded.genres).toEqual(genres);
    expect([...decoded.trackId]).toEqual([7, 70_000, 123_456]);
    expect([...decoded.x]).toEqual([-1.5, 3.75, 0]);
    expect(decoded.y[0]).toBe(2.25);
    expect(decoded.y[2]).toBeCloseTo(1e-3, 9);
    expect([...decoded.tagGenre]).toEqual([0, NO_GENRE, 1]);
    expect([...decoded.suggestedGenre]).toEqual([2, 1, NO_GENRE]);
    expect([...decoded.danceability]).toEqual([150, NO_DANCEABILITY, 0]);
    expect([...decoded.flags]).toEqual([FLAG.happy | FLAG.disputed, 0, FLAG.relaxed | FLAG.aggressive]);
    expect([...decoded.tempo]).toEqual([1205, 0, 899]);
  });

  it('decodes an empty layout to no points', () => {
    expect(decodeMapPages([{ total: 0, offset: 0, points: '', genres: [] }]).count).toBe(0);
  });

  it('refuses torn, missing or inconsistent pages with a specific error', () => {
    const torn = Buffer.from(pack(points.slice(0, 1)), 'base64').subarray(0, MAP_POINT_BYTES - 1).toString('base64');
    expect(() => decodeMapPages([{ total: 1, offset: 0, points: torn, genres }])).toThrow('19 bytes, not a whole number of 20-byte points');
    expect(() => decodeMapPages([{ total: 3, offset: 0, points: pack(points.slice(0, 2)), genres }])).toThrow('hold 2 points, not the 3');
    expect(() => decodeMapPages([{ total: 2, offset: 1, points: pack(points.slice(0, 2)), genres }])).toThrow('past the total of 2');
    expect(() => decodeMapPages([
      { total: 3, offset: 0, points: pack(points.slice(0, 2)), genres },
      { total: 3, offset: 2, points: pack(points.slice(2)), genres: ['Jazz'] },
    ])).toThrow('disagree about the genre list');
  });
});

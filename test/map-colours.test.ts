/** The map page's point colours: the timeline's genre colours converted to RGB, moods, ramps, and the legend's counts. */
import { describe, expect, it } from 'vitest';
import { genreColour } from '../src-renderer/src/lib/genre-colours.ts';
import { colourPoints } from '../src-renderer/src/lib/map-colours.ts';
import { cssOklchToRgb as oklchToRgb } from '../src-main/core/map/oklch-rgb.ts';
import { FLAG, NO_DANCEABILITY, NO_GENRE, type MapPoints } from '../src-renderer/src/lib/map-points.ts';

/** RGBA as packed for ImageData (little-endian: R in the low byte). */
const unpack = (packed: number) => [packed & 255, (packed >>> 8) & 255, (packed >>> 16) & 255, packed >>> 24];

function mapOf(fields: { tag: number[]; suggested: number[]; danceability: number[]; flags: number[]; tempo: number[] }, genres: string[]): MapPoints {
  const count = fields.tag.length;
  return {
    count, genres, trackId: Uint32Array.from({ length: count }, (_, i) => i + 1), x: new Float32Array(count), y: new Float32Array(count),
    tagGenre: Uint16Array.from(fields.tag), suggestedGenre: Uint16Array.from(fields.suggested), danceability: Uint8Array.from(fields.danceability),
    flags: Uint8Array.from(fields.flags), tempo: Uint16Array.from(fields.tempo),
  };
}

describe('map colours', () => {
  it('converts OKLCH to sRGB (CSS Color 4 reference values)', () => {
    expect(oklchToRgb('oklch(0.628 0.2577 29.23)')).toEqual([255, 0, 0]);
    expect(oklchToRgb('oklch(1 0 0)')).toEqual([255, 255, 255]);
    expect(oklchToRgb('oklch(0.452 0.313 264.05)')).toEqual([0, 0, 255]);
  });

  const genres = ['Jazz', 'Rock', 'Ambient'];
  const points = mapOf({
    tag: [0, 1, 0, NO_GENRE], suggested: [2, NO_GENRE, 2, 2],
    danceability: [0, 200, 100, NO_DANCEABILITY], flags: [FLAG.happy | FLAG.aggressive, FLAG.relaxed, FLAG.disputed, 0], tempo: [600, 1800, 0, 1200],
  }, genres);

  it('gives each genre the timeline colour and counts it in the legend, most common first', () => {
    const { colours, legend } = colourPoints(points, 'genre');
    expect(unpack(colours[0]!)).toEqual([...oklchToRgb(genreColour('Jazz')), 255]);
    expect(unpack(colours[1]!)).toEqual([...oklchToRgb(genreColour('Rock')), 255]);
    expect(colours[2]).toBe(colours[0]);
    expect(legend.map((entry) => [entry.label, entry.count])).toEqual([['Jazz', 2], ['Rock', 1], ['No genre tag', 1]]);
    expect(colourPoints(points, 'suggested').legend.map((entry) => [entry.label, entry.count])).toEqual([['Ambient', 3], ['No suggestion', 1]]);
  });

  it('colours moods (aggressive over happy over relaxed), neutral, and tracks without an analysis apart', () => {
    const { colours, legend } = colourPoints(points, 'mood');
    expect(legend.map((entry) => [entry.label, entry.count])).toEqual([['Aggressive', 1], ['Relaxed', 1], ['Neutral', 1], ['Not analysed', 1]]);
    expect(new Set(colours).size).toBe(4);
  });

  it('ramps danceability and tempo from their low end to their high end, grey when unknown', () => {
    const dance = colourPoints(points, 'danceability').colours;
    const tempo = colourPoints(points, 'tempo').colours;
    expect(dance[0]).toBe(tempo[0]); // 0 and 60 BPM: the ramp's low end
    expect(dance[1]).toBe(tempo[1]); // 1 and 180 BPM: its high end
    expect(dance[0]).not.toBe(dance[1]);
    expect(dance[2]).toBe(tempo[3]); // 0.5 and 120 BPM: its middle
    expect(dance[3]).toBe(tempo[2]); // unknown: grey
  });
});

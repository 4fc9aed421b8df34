import { describe, expect, it } from 'vitest';
import { genreColour } from '../src-renderer/src/lib/genre-colours.ts';
import { DEFAULT_TAXONOMY } from '../src-main/core/taxonomy/default-taxonomy.ts';
import { createRandom, permutation } from '../src-main/core/model/prng.ts';

/** An `oklch(L C H)` colour as OKLab coordinates. */
function oklab(colour: string): [number, number, number] {
  const match = /^oklch\(([\d.]+) ([\d.]+) ([\d.]+)\)$/.exec(colour);
  if (!match) throw new Error(`not an oklch() colour: ${colour}`);
  const [lightness, chroma, hue] = match.slice(1).map(Number) as [number, number, number];
  return [lightness, chroma * Math.cos((hue * Math.PI) / 180), chroma * Math.sin((hue * Math.PI) / 180)];
}
const difference = (a: string, b: string) => Math.hypot(...oklab(a).map((v, i) => v - oklab(b)[i]!));

/** The smallest colour difference between two of `genres`, with the pair. */
function closestPair(genres: readonly string[]): { difference: number; pair: [string, string] } {
  let closest = { difference: Infinity, pair: ['', ''] as [string, string] };
  genres.forEach((a, i) => genres.slice(i + 1).forEach((b) => {
    const d = difference(genreColour(a), genreColour(b));
    if (d < closest.difference) closest = { difference: d, pair: [a, b] };
  }));
  return closest;
}

const taxonomyGenres = DEFAULT_TAXONOMY.genres.map((genre) => genre.name);
const broadGenres = DEFAULT_TAXONOMY.genres.filter((genre) => !genre.parent).map((genre) => genre.name);

describe('genre colours', () => {
  it('gives a genre one colour whatever the genres around it, their order or the name\'s case', () => {
    const random = createRandom(17);
    const tracks = Array.from({ length: 5 }, () => Array.from(permutation(taxonomyGenres.length, random), (k) => taxonomyGenres[k]!).slice(0, 12));
    const seen = new Map<string, string>();
    for (const genres of [...tracks, ...tracks.map((t) => [...t].reverse())]) {
      for (const genre of genres) {
        const colour = genreColour(genre);
        expect(colour, genre).toBe(seen.get(genre) ?? colour);
        seen.set(genre, colour);
      }
    }
    expect(genreColour(' jazz ')).toBe(genreColour('Jazz'));
    expect(genreColour('HIP-HOP')).toBe(genreColour('Hip-Hop'));
    expect(genreColour('Zydeco Fusion')).toBe(genreColour('zydeco fusion')); // outside the taxonomy: from the name
  });

  it('gives the taxonomy\'s broad genres clearly different colours, and every genre of it its own', () => {
    expect(broadGenres.length).toBeGreaterThan(30);
    const broad = closestPair(broadGenres);
    expect(broad.difference, broad.pair.join(' / ')).toBeGreaterThanOrEqual(0.05);
    expect(new Set(taxonomyGenres.map(genreColour)).size).toBe(taxonomyGenres.length);
    const all = closestPair(taxonomyGenres);
    expect(all.difference, all.pair.join(' / ')).toBeGreaterThanOrEqual(0.019);
  });

  it('shades a subgenre near its broad genre', () => {
    expect(difference(genreColour('Bebop'), genreColour('Jazz'))).toBeLessThan(0.06);
    expect(difference(genreColour('Bebop'), genreColour('Heavy Metal'))).toBeGreaterThan(0.1);
  });
});

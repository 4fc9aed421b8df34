/**
 * One colour per genre, from its name alone: the same on every track, in
 * every timeline and chart, whatever order the genres come in (Jazz is amber
 * wherever it appears). The broad genres of the built-in taxonomy (the ones
 * timelines show) have hand-picked colours, at least 0.05 apart in OKLab
 * (about three just-noticeable differences; test/genre-colours.test.ts),
 * related ones close (Rock and Metal, Soul and R&B); each subgenre is a
 * shade of its broad genre, stepped around it by its place in the taxonomy,
 * 0.02 (about one just-noticeable difference) or more from any other genre of
 * the taxonomy. Any other genre gets a hue from its name, which may come near
 * another's: timelines always name their genres too, colour is never the
 * only cue.
 */
import { DEFAULT_TAXONOMY } from '../../../src-main/core/taxonomy/default-taxonomy.ts';

/** OKLCH lightness (0…1), chroma and hue (degrees). */
type Lch = readonly [number, number, number];

const BROAD: Record<string, Lch> = {
  rock: [0.62, 0.17, 28],
  metal: [0.46, 0.13, 20],
  pop: [0.74, 0.15, 350],
  electronic: [0.66, 0.12, 230],
  disco: [0.8, 0.12, 185],
  'hip-hop': [0.58, 0.17, 300],
  'r&b': [0.66, 0.14, 330],
  soul: [0.7, 0.13, 55],
  funk: [0.82, 0.15, 105],
  jazz: [0.76, 0.14, 75],
  blues: [0.52, 0.14, 262],
  classical: [0.86, 0.06, 95],
  country: [0.58, 0.1, 70],
  folk: [0.63, 0.1, 125],
  reggae: [0.7, 0.17, 145],
  latin: [0.72, 0.16, 10],
  world: [0.58, 0.1, 175],
  experimental: [0.55, 0.04, 250],
  'new age': [0.78, 0.07, 280],
  gospel: [0.45, 0.11, 125],
  ska: [0.45, 0.14, 315],
  afrobeat: [0.85, 0.11, 340],
  'singer-songwriter': [0.69, 0.14, 280],
  soundtrack: [0.73, 0.05, 140],
  'easy listening': [0.45, 0.08, 215],
  'doo-wop': [0.57, 0.11, 355],
  "children's music": [0.77, 0.14, 230],
  christmas: [0.65, 0.05, 20],
  comedy: [0.85, 0.14, 145],
  'spoken word': [0.49, 0.05, 65],
  audiobook: [0.77, 0.08, 25],
  podcast: [0.85, 0.05, 215],
};

const keyOf = (genre: string): string => genre.trim().toLowerCase();

/**
 * The k-th subgenre's shade of its broad genre: six to a ring around it in
 * the plane of lightness and hue, 60° apart, each ring 0.015 wider and turned
 * by 30°, so that siblings stay about 0.02 apart.
 */
function shade([lightness, chroma, hue]: Lch, k: number): Lch {
  const ring = Math.floor(k / 6);
  const angle = (((k % 6) * 60 + ring * 30) * Math.PI) / 180;
  const radius = 0.02 + 0.015 * ring;
  return [lightness + radius * Math.cos(angle), chroma, hue + ((radius * Math.sin(angle)) / Math.max(chroma, 0.05)) * (180 / Math.PI)];
}

/** Every genre of the built-in taxonomy, by lower-cased name. */
const TAXONOMY_COLOURS: ReadonlyMap<string, Lch> = (() => {
  const parentOf = new Map(DEFAULT_TAXONOMY.genres.map((genre) => [keyOf(genre.name), genre.parent && keyOf(genre.parent)]));
  const broadOf = (key: string): string => parentOf.get(key) ? broadOf(parentOf.get(key)!) : key;
  const colours = new Map(Object.entries(BROAD));
  const placed = new Map<string, number>();
  for (const { name, parent } of DEFAULT_TAXONOMY.genres) {
    const key = keyOf(name);
    const broad = broadOf(key);
    if (!parent || !BROAD[broad]) continue;
    const k = placed.get(broad) ?? 0;
    placed.set(broad, k + 1);
    colours.set(key, shade(BROAD[broad], k));
  }
  return colours;
})();

/** A stable hue from a name (FNV-1a), for genres outside the taxonomy. */
function hueOf(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % 360;
}

/** The colour of a genre (by its display name, any case), as CSS `oklch()`. */
export function genreColour(genre: string): string {
  const key = keyOf(genre);
  const [lightness, chroma, hue] = TAXONOMY_COLOURS.get(key) ?? [0.68, 0.1, hueOf(key)];
  return `oklch(${lightness.toFixed(3)} ${chroma.toFixed(3)} ${(((hue % 360) + 360) % 360).toFixed(1)})`;
}

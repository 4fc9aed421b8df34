/**
 * What the library map's points are coloured by, as one packed RGBA colour
 * per point (the byte order `ImageData` uses on little-endian machines) and
 * a legend. Genres take the timeline's fixed colours (`genre-colours.ts`).
 */
import { genreColour } from './genre-colours.ts';
import { cssOklchToRgb } from '../../../src-main/core/map/oklch-rgb.ts';
import { FLAG, NO_DANCEABILITY, NO_GENRE, type MapPoints } from './map-points.ts';

export type ColourBy = 'genre' | 'suggested' | 'mood' | 'danceability' | 'tempo';
export const COLOUR_BY: { value: ColourBy; label: string }[] = [
  { value: 'genre', label: "File's genre" },
  { value: 'suggested', label: 'Suggested genre' },
  { value: 'mood', label: 'Mood' },
  { value: 'danceability', label: 'Danceability' },
  { value: 'tempo', label: 'Tempo' },
];

/** A legend entry: a swatch and its words (ramps list a few stops). */
export interface LegendEntry { label: string; css: string; count?: number }

const UNKNOWN: readonly [number, number, number] = [150, 150, 150];
const MOODS = [
  { flag: FLAG.aggressive, label: 'Aggressive', rgb: [214, 62, 50] },
  { flag: FLAG.happy, label: 'Happy', rgb: [240, 180, 30] },
  { flag: FLAG.relaxed, label: 'Relaxed', rgb: [60, 150, 210] },
] as const;
const NEUTRAL: readonly [number, number, number] = [120, 190, 120];
/** A perceptual ramp (viridis' ends and middle), low to high. */
const RAMP = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]] as const;
export const TEMPO_RANGE = [60, 180] as const;

const pack = ([r = 0, g = 0, b = 0]: readonly number[]): number => ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
const css = ([r = 0, g = 0, b = 0]: readonly number[]): string => `rgb(${r} ${g} ${b})`;

/** The ramp's colour at t (0–1). */
function rampAt(t: number): number[] {
  const at = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(at));
  const f = at - i;
  return RAMP[i]!.map((v, k) => Math.round(v + (RAMP[i + 1]![k]! - v) * f));
}

function byGenre(points: MapPoints, field: Uint16Array, none: string): { colours: Uint32Array; legend: LegendEntry[] } {
  const rgb = points.genres.map((genre) => cssOklchToRgb(genreColour(genre)));
  const packed = rgb.map(pack);
  const counts = new Uint32Array(points.genres.length + 1);
  const colours = new Uint32Array(points.count);
  for (let i = 0; i < points.count; i++) {
    const g = field[i]!;
    const known = g !== NO_GENRE && g < packed.length;
    colours[i] = known ? packed[g]! : pack(UNKNOWN);
    const slot = known ? g : points.genres.length;
    counts[slot] = counts[slot]! + 1;
  }
  const legend = points.genres.map((label, g) => ({ label, css: css(rgb[g]!), count: counts[g]! })).filter((entry) => entry.count > 0).sort((a, b) => b.count - a.count);
  const untagged = counts[points.genres.length]!;
  if (untagged) legend.push({ label: none, css: css(UNKNOWN), count: untagged });
  return { colours, legend };
}

/** One colour per point for `by`, and the legend that explains them. */
export function colourPoints(points: MapPoints, by: ColourBy): { colours: Uint32Array; legend: LegendEntry[] } {
  if (by === 'genre') return byGenre(points, points.tagGenre, 'No genre tag');
  if (by === 'suggested') return byGenre(points, points.suggestedGenre, 'No suggestion');
  const colours = new Uint32Array(points.count);
  if (by === 'mood') {
    const counts = new Map<string, number>();
    for (let i = 0; i < points.count; i++) {
      const mood = points.danceability[i] === NO_DANCEABILITY ? null : MOODS.find((m) => points.flags[i]! & m.flag);
      const label = mood ? mood.label : mood === null ? 'Not analysed' : 'Neutral';
      colours[i] = pack(mood ? mood.rgb : mood === null ? UNKNOWN : NEUTRAL);
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    const entries: LegendEntry[] = [...MOODS.map((m) => ({ label: m.label, css: css(m.rgb) })), { label: 'Neutral', css: css(NEUTRAL) }, { label: 'Not analysed', css: css(UNKNOWN) }];
    return { colours, legend: entries.map((entry) => ({ ...entry, count: counts.get(entry.label) ?? 0 })).filter((entry) => entry.count > 0) };
  }
  const [low, high] = by === 'tempo' ? TEMPO_RANGE : [0, 1];
  let unknown = 0;
  for (let i = 0; i < points.count; i++) {
    const tempo = points.tempo[i]!, danceability = points.danceability[i]!;
    const value = by === 'tempo' ? (tempo ? tempo / 10 : null) : danceability === NO_DANCEABILITY ? null : danceability / 200;
    if (value === null) unknown++;
    colours[i] = pack(value === null ? UNKNOWN : rampAt((value - low) / (high - low)));
  }
  const labels = by === 'tempo' ? ['60 BPM or slower', '120 BPM', '180 BPM or faster'] : ['0 (not danceable)', '0.5', '1 (danceable)'];
  const stops = [0, 0.5, 1].map((t, k) => ({ label: labels[k]!, css: css(rampAt(t)) }));
  return { colours, legend: unknown ? [...stops, { label: by === 'tempo' ? 'No tempo' : 'Not analysed', css: css(UNKNOWN), count: unknown }] : stops };
}

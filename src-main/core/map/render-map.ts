import { genreColour } from '../../../src-renderer/src/lib/genre-colours.ts';
import { cssOklchToRgb, oklchToRgb } from './oklch-rgb.ts';
import { drawText } from './bitmap-font.ts';
import type { MapTrack } from './map-tracks.ts';
import type { RgbImage } from './png.ts';

/** What the points are coloured by. */
export type MapColouring = 'genre' | 'suggested' | 'mood' | 'danceability' | 'tempo';
export const MAP_COLOURINGS: readonly MapColouring[] = ['genre', 'suggested', 'mood', 'danceability', 'tempo'];

type Rgb = [number, number, number];
const BACKGROUND: Rgb = [22, 24, 29];
const TEXT: Rgb = [220, 222, 228];
const NONE: Rgb = [96, 100, 110];
const LEGEND_WIDTH = 260;
const LEGEND_ROWS = 30;
const MOODS: Array<[string, Rgb]> = [['aggressive', oklchToRgb(0.62, 0.17, 28)], ['happy', oklchToRgb(0.82, 0.15, 95)], ['relaxed', oklchToRgb(0.7, 0.12, 200)]];
/** A ramp from dark blue to yellow (low → high), for danceability and tempo. */
const ramp = (t: number): Rgb => oklchToRgb(0.35 + 0.55 * t, 0.12 + 0.05 * t, 265 - 165 * t);
const TEMPO_RANGE = [60, 180] as const;

/** Each point's colour and the legend entries (label, colour), most common first for genres. */
function colours(tracks: readonly MapTrack[], by: MapColouring): { of: (t: MapTrack) => Rgb; legend: Array<[string, Rgb]> } {
  if (by === 'genre' || by === 'suggested') {
    const name = (t: MapTrack) => (by === 'genre' ? t.genre : t.suggested);
    const counts = new Map<string, number>();
    for (const t of tracks) if (name(t)) counts.set(name(t)!, (counts.get(name(t)!) ?? 0) + 1);
    const cache = new Map([...counts.keys()].map((genre) => [genre, cssOklchToRgb(genreColour(genre))]));
    const shown = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const legend: Array<[string, Rgb]> = shown.slice(0, LEGEND_ROWS - 1).map(([genre, count]) => [`${genre} ${count}`, cache.get(genre)!]);
    if (shown.length > LEGEND_ROWS - 1) legend.push([`+${shown.length - LEGEND_ROWS + 1} more genres`, TEXT]);
    legend.push([by === 'genre' ? 'untagged' : 'no suggestion', NONE]);
    return { of: (t) => (name(t) ? cache.get(name(t)!)! : NONE), legend };
  }
  if (by === 'mood') {
    return { of: (t) => MOODS.find(([mood]) => t[mood as 'happy'])?.[1] ?? NONE, legend: [...MOODS, ['no mood', NONE]] };
  }
  if (by === 'danceability') return { of: (t) => (t.danceability === null ? NONE : ramp(t.danceability)), legend: [['danceability 1', ramp(1)], ['danceability 0.5', ramp(0.5)], ['danceability 0', ramp(0)], ['unknown', NONE]] };
  const scale = (tempo: number) => Math.min(Math.max((tempo - TEMPO_RANGE[0]) / (TEMPO_RANGE[1] - TEMPO_RANGE[0]), 0), 1);
  return { of: (t) => (t.tempo === null ? NONE : ramp(scale(t.tempo))), legend: [[`${TEMPO_RANGE[1]}+ BPM`, ramp(1)], ['120 BPM', ramp(0.5)], [`${TEMPO_RANGE[0]} BPM or less`, ramp(0)], ['unknown', NONE]] };
}

/** Paints a filled disc of radius `r` at (cx, cy), 80 % opaque over what is there. */
function disc(image: RgbImage, cx: number, cy: number, r: number, rgb: Rgb): void {
  for (let y = Math.max(0, Math.ceil(cy - r)); y <= Math.min(image.height - 1, Math.floor(cy + r)); y++) {
    for (let x = Math.max(0, Math.ceil(cx - r)); x <= Math.min(image.width - 1, Math.floor(cx + r)); x++) {
      if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) continue;
      const at = (y * image.width + x) * 3;
      for (let c = 0; c < 3; c++) image.pixels[at + c] = Math.round(0.2 * image.pixels[at + c]! + 0.8 * rgb[c]!);
    }
  }
}

/**
 * Draws the map: every point a small disc (smaller as the library grows),
 * coloured `by` its first genre tag (the renderer's fixed genre colours),
 * suggested genre, mood, danceability or tempo, the layout scaled to fit
 * beside a legend of what the colours mean. Returns the image and the legend.
 */
export function renderMap(tracks: readonly MapTrack[], by: MapColouring, width: number, height: number): { image: RgbImage; legend: string[] } {
  if (width < LEGEND_WIDTH + 100 || height < 100) throw new Error(`a map image needs at least ${LEGEND_WIDTH + 100}×100 pixels, not ${width}×${height}`);
  const image: RgbImage = { width, height, pixels: new Uint8Array(width * height * 3) };
  for (let i = 0; i < width * height; i++) image.pixels.set(BACKGROUND, i * 3);
  const { of, legend } = colours(tracks, by);
  const radius = tracks.length < 2000 ? 4 : tracks.length < 20000 ? 2.5 : 1.5;
  const margin = 20, plotWidth = width - LEGEND_WIDTH - margin * 2, plotHeight = height - margin * 2;
  const [minX, maxX, minY, maxY] = tracks.reduce(([a, b, c, d], t) => [Math.min(a, t.x), Math.max(b, t.x), Math.min(c, t.y), Math.max(d, t.y)], [Infinity, -Infinity, Infinity, -Infinity]);
  const unit = Math.min(plotWidth / (maxX - minX || 1), plotHeight / (maxY - minY || 1));
  const left = margin + (plotWidth - (maxX - minX) * unit) / 2, top = margin + (plotHeight - (maxY - minY) * unit) / 2;
  for (const t of tracks) disc(image, left + (t.x - minX) * unit, top + (maxY - t.y) * unit, radius, of(t));
  legend.forEach(([label, rgb], row) => {
    const y = margin + row * 22;
    disc(image, width - LEGEND_WIDTH + 8, y + 7, 6, rgb);
    drawText(image, label, width - LEGEND_WIDTH + 22, y, TEXT);
  });
  return { image, legend: legend.map(([label]) => label) };
}

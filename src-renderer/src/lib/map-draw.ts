/**
 * Draws the library map into a pixel buffer and finds points under the
 * pointer. Points are stamped straight into a `Uint32Array` over an
 * `ImageData` (one `putImageData` a frame): no path per point, so 100,000
 * points draw in a few milliseconds on a CPU, with or without a GPU.
 */
import type { MapPoints } from './map-points.ts';
import { FLAG } from './map-points.ts';

/** Screen = (layout − centre) × scale + half the canvas; y grows downwards on screen. */
export interface MapView { cx: number; cy: number; scale: number }

/** The view that fits every point in a canvas of `width` × `height` pixels, with a margin. */
export function fitView(points: MapPoints, width: number, height: number): MapView {
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < points.count; i++) {
    const x = points.x[i]!, y = points.y[i]!;
    minX = Math.min(minX, x); maxX = Math.max(maxX, x);
    minY = Math.min(minY, y); maxY = Math.max(maxY, y);
  }
  if (!points.count) return { cx: 0, cy: 0, scale: 1 };
  const spanX = Math.max(maxX - minX, 1e-6), spanY = Math.max(maxY - minY, 1e-6);
  return { cx: (minX + maxX) / 2, cy: (minY + maxY) / 2, scale: 0.9 * Math.min(width / spanX, height / spanY) };
}

/** The view zoomed by `factor` keeping the layout point under screen (sx, sy) in place. */
export function zoomAt(view: MapView, factor: number, sx: number, sy: number, width: number, height: number): MapView {
  const x = view.cx + (sx - width / 2) / view.scale;
  const y = view.cy + (sy - height / 2) / view.scale;
  const scale = view.scale * factor;
  return { cx: x - (sx - width / 2) / scale, cy: y - (sy - height / 2) / scale, scale };
}

/** The points' radius in CSS pixels: small when there are many, growing as the view zooms in (`zoom` = scale / the fitted scale). */
export const pointRadius = (count: number, zoom: number): number => Math.min(8, (count > 5000 ? 1.5 : count > 500 ? 3.5 : 5.5) * Math.sqrt(zoom));

/** Pixel offsets of a filled disc of `radius` and of a ring just outside it. */
function stamps(radius: number, width: number): { disc: Int32Array; ring: Int32Array } {
  const disc: number[] = [], ring: number[] = [];
  const outer = radius + 1.6;
  for (let dy = -Math.ceil(outer); dy <= Math.ceil(outer); dy++) {
    for (let dx = -Math.ceil(outer); dx <= Math.ceil(outer); dx++) {
      const d = Math.hypot(dx, dy);
      if (d <= radius + 0.35) disc.push(dy * width + dx);
      else if (d <= outer) ring.push(dy * width + dx);
    }
  }
  return { disc: Int32Array.from(disc), ring: Int32Array.from(ring) };
}

/** What one frame draws: the colours (packed RGBA per point), which are selected (all when null), the theme's background, ring and dimmed colours, and the points' radius in CSS pixels. */
export interface MapStyle { colours: Uint32Array; selected: Uint8Array | null; background: number; ring: number; dimmed: number; radius: number }

/** Draws every point into `pixels` (width × height, packed RGBA); disputed tracks get a ring, unselected ones are dimmed while a selection exists. */
export function drawPoints(pixels: Uint32Array, width: number, height: number, points: MapPoints, view: MapView, style: MapStyle, dpr = 1): void {
  pixels.fill(style.background);
  const radius = style.radius * dpr;
  const { disc, ring } = stamps(radius, width);
  const reach = Math.ceil(radius + 1.6);
  const halfW = width / 2, halfH = height / 2;
  const { x, y, flags } = points;
  for (let i = 0; i < points.count; i++) {
    const px = Math.round((x[i]! - view.cx) * view.scale * dpr + halfW);
    const py = Math.round((y[i]! - view.cy) * view.scale * dpr + halfH);
    if (px < reach || py < reach || px >= width - reach || py >= height - reach) continue;
    const at = py * width + px;
    const colour = style.selected && !style.selected[i] ? style.dimmed : style.colours[i]!;
    for (let k = 0; k < disc.length; k++) pixels[at + disc[k]!] = colour;
    if (flags[i]! & FLAG.disputed) for (let k = 0; k < ring.length; k++) pixels[at + ring[k]!] = style.ring;
  }
}

/** The index of the point nearest screen (sx, sy) in CSS pixels, within `within` pixels; -1 when none. */
export function pointAt(points: MapPoints, view: MapView, sx: number, sy: number, width: number, height: number, within = 8): number {
  let best = -1, bestD = within * within;
  for (let i = 0; i < points.count; i++) {
    const dx = (points.x[i]! - view.cx) * view.scale + width / 2 - sx;
    const dy = (points.y[i]! - view.cy) * view.scale + height / 2 - sy;
    const d = dx * dx + dy * dy;
    if (d <= bestD) { bestD = d; best = i; }
  }
  return best;
}

/** Whether (px, py) is inside the polygon (even-odd rule). */
function inside(polygon: readonly [number, number][], px: number, py: number): boolean {
  let odd = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!, [xj, yj] = polygon[j]!;
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) odd = !odd;
  }
  return odd;
}

/** The points inside a screen polygon (CSS pixels; a box is four corners), as a 0/1 mask. */
export function selectInPolygon(points: MapPoints, view: MapView, polygon: readonly [number, number][], width: number, height: number): Uint8Array {
  const mask = new Uint8Array(points.count);
  const xs = polygon.map(([px]) => px), ys = polygon.map(([, py]) => py);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  for (let i = 0; i < points.count; i++) {
    const sx = (points.x[i]! - view.cx) * view.scale + width / 2;
    const sy = (points.y[i]! - view.cy) * view.scale + height / 2;
    if (sx >= minX && sx <= maxX && sy >= minY && sy <= maxY && inside(polygon, sx, sy)) mask[i] = 1;
  }
  return mask;
}

let frameImage: ImageData | null = null;

/** Paints one frame of the map onto a 2-D context whose canvas is `width` × `height` device pixels, reusing one `ImageData` while the size stays. */
export function paintFrame(context: CanvasRenderingContext2D, points: MapPoints, view: MapView, style: MapStyle, dpr = 1): void {
  const { width, height } = context.canvas;
  if (!frameImage || frameImage.width !== width || frameImage.height !== height) frameImage = context.createImageData(width, height);
  drawPoints(new Uint32Array(frameImage.data.buffer), width, height, points, view, style, dpr);
  context.putImageData(frameImage, 0, 0);
}

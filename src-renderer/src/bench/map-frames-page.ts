/**
 * The page `npm run bench:map` loads (bundled by bench/map-frames.ts): the
 * map's own drawing code (`paintFrame`, `colourPoints`) on a canvas the size
 * of the Map page's, over synthetic clustered points, panned and then zoomed
 * one step per animation frame.
 */
import { colourPoints } from '../lib/map-colours.ts';
import { fitView, paintFrame, pointRadius, zoomAt, type MapView } from '../lib/map-draw.ts';
import { FLAG, type MapPoints } from '../lib/map-points.ts';

const GENRES = ['Rock', 'Jazz', 'Classical', 'Hip-Hop', 'Electronic', 'Pop', 'Blues', 'Country', 'Reggae', 'Metal', 'Folk', 'Soul'];

/** `count` points in a blob per genre (a seeded generator, so every run draws the same map); one in 20 disputed. */
function syntheticPoints(count: number): MapPoints {
  let seed = 12345;
  const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const gaussian = () => Math.sqrt(-2 * Math.log(random() || 1e-9)) * Math.cos(2 * Math.PI * random());
  const points: MapPoints = {
    count, genres: GENRES, trackId: new Uint32Array(count), x: new Float32Array(count), y: new Float32Array(count),
    tagGenre: new Uint16Array(count), suggestedGenre: new Uint16Array(count), danceability: new Uint8Array(count), flags: new Uint8Array(count), tempo: new Uint16Array(count),
  };
  for (let i = 0; i < count; i++) {
    const genre = i % GENRES.length;
    const angle = (genre / GENRES.length) * 2 * Math.PI;
    points.trackId[i] = i + 1;
    points.x[i] = 6 * Math.cos(angle) + 1.5 * gaussian();
    points.y[i] = 6 * Math.sin(angle) + 1.5 * gaussian();
    points.tagGenre[i] = genre;
    points.suggestedGenre[i] = random() < 0.8 ? genre : (genre + 1) % GENRES.length;
    points.danceability[i] = Math.floor(random() * 201);
    points.flags[i] = (random() < 0.05 ? FLAG.disputed : 0) | (random() < 0.3 ? FLAG.happy : 0);
    points.tempo[i] = 600 + Math.floor(random() * 1200);
  }
  return points;
}

const quantile = (values: number[], q: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))] ?? NaN;
const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));

/** Pans for `panMs`, then zooms in and out around the centre for `zoomMs`; the paint time of each frame (the map's code, up to putImageData) and the interval between animation frames. */
async function run(options: { count: number; width: number; height: number; panMs: number; zoomMs: number }) {
  const canvas = document.createElement('canvas');
  [canvas.width, canvas.height] = [options.width, options.height];
  document.body.replaceChildren(canvas);
  const context = canvas.getContext('2d')!;
  const points = syntheticPoints(options.count);
  const { colours } = colourPoints(points, 'genre');
  const fitted = fitView(points, options.width, options.height);
  let view: MapView = fitted;
  const style = () => ({ colours, selected: null, radius: pointRadius(points.count, view.scale / fitted.scale), background: 0xffffffff, ring: 0xff1f1c1b, dimmed: 0xffe0dad9 });
  const measure = async (ms: number, step: (frame: number) => MapView) => {
    const paints: number[] = [], intervals: number[] = [];
    let last = await nextFrame();
    const end = last + ms;
    for (let frame = 0; last < end; frame++) {
      view = step(frame);
      const start = performance.now();
      paintFrame(context, points, view, style());
      paints.push(performance.now() - start);
      const now = await nextFrame();
      intervals.push(now - last);
      last = now;
    }
    return { paints, intervals };
  };
  const summary = ({ paints, intervals }: { paints: number[]; intervals: number[] }) => ({
    frames: intervals.length,
    paintMedian: quantile(paints, 0.5), paintP95: quantile(paints, 0.95),
    intervalMedian: quantile(intervals, 0.5), intervalP95: quantile(intervals, 0.95),
    fps: (1000 * intervals.length) / intervals.reduce((sum, ms) => sum + ms, 0),
  });
  const pan = summary(await measure(options.panMs, () => ({ ...view, cx: view.cx + 4 / view.scale })));
  view = fitted;
  const zoom = summary(await measure(options.zoomMs, (frame) => zoomAt(view, Math.floor(frame / 60) % 2 ? 1 / 1.04 : 1.04, options.width * 0.4, options.height * 0.6, options.width, options.height)));
  return { pan, zoom };
}

(window as unknown as { runMapBench: typeof run }).runMapBench = run;

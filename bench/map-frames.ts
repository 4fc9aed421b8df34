/**
 * Frame times of the library map at 1,000 and 100,000 points (`npm run
 * bench:map`), side by side in one run: bundles the map's own drawing code
 * (src-renderer/src/bench/map-frames-page.ts: `paintFrame`, `colourPoints`)
 * with esbuild, loads it into headless Chromium (Debian's; no GPU: the 2-D
 * canvas is rasterised in software) on a canvas the size of the Map page's,
 * and pans, then zooms, one step per animation frame. Reports each frame's
 * paint time (the map's code up to putImageData) and the interval between
 * animation frames (what a person sees; 16.7 ms is 60 fps), median and p95.
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { launchChromium } from '../test/helpers/browser.ts';

const SIZES = [1_000, 100_000];
const CANVAS = { width: 1000, height: 620 };
const PAN_MS = 4_000;
const ZOOM_MS = 4_000;

interface Summary { frames: number; paintMedian: number; paintP95: number; intervalMedian: number; intervalP95: number; fps: number }
declare const window: { runMapBench(options: object): Promise<{ pan: Summary; zoom: Summary }> };

const bundle = await build({
  entryPoints: [fileURLToPath(new URL('../src-renderer/src/bench/map-frames-page.ts', import.meta.url))],
  bundle: true, format: 'iife', write: false, minify: true, logLevel: 'warning',
});
const script = bundle.outputFiles[0]!.text;

const browser = await launchChromium();
const results = new Map<number, { pan: Summary; zoom: Summary }>();
try {
  for (const count of SIZES) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.setContent('<!doctype html><body style="margin:0"></body>');
    await page.addScriptTag({ content: script });
    results.set(count, await page.evaluate((options) => window.runMapBench(options), { count, ...CANVAS, panMs: PAN_MS, zoomMs: ZOOM_MS }));
    await page.close();
  }
} finally {
  await browser.close();
}

const ms = (value: number) => value.toFixed(2);
console.log(`Library map frames, canvas ${CANVAS.width}×${CANVAS.height}, ${PAN_MS / 1000} s pan then ${ZOOM_MS / 1000} s zoom (headless Chromium ${browser.version()}, no GPU: software 2-D canvas, ${os.cpus().length} cores)\n`);
console.log(`| measure | ${SIZES.map((n) => `${n.toLocaleString('en-US')} points`).join(' | ')} |\n| --- | ${SIZES.map(() => '---').join(' | ')} |`);
for (const phase of ['pan', 'zoom'] as const) {
  const row = (name: string, pick: (s: Summary) => string) => console.log(`| ${phase}: ${name} | ${SIZES.map((n) => pick(results.get(n)![phase])).join(' | ')} |`);
  row('paint ms, median / p95', (s) => `${ms(s.paintMedian)} / ${ms(s.paintP95)}`);
  row('frame interval ms, median / p95', (s) => `${ms(s.intervalMedian)} / ${ms(s.intervalP95)}`);
  row('fps (frames)', (s) => `${s.fps.toFixed(1)} (${s.frames})`);
}

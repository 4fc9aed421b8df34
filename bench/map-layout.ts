/**
 * How long does the library map's full fit take (`npm run bench:map-layout`)?
 * UMAP (umap-js, the parameters and seeded generator of `fitLayout`) on
 * 10,000 and 100,000 tracks, each in its own child process so that its peak
 * RSS is its own. The embeddings are made from real ones: the MusiCNN track
 * means of the real library that `npm run eval:playlists-musicnn` /
 * `eval:map` scan from ../shared/data (.cache/playlist-musicnn/library.db),
 * L2-normalised; each synthetic track is a random real mean plus Gaussian
 * noise whose expected length is half the median distance between two real
 * tracks, normalised again, so the data has the real clusters without
 * exact duplicates. The fit runs as `UMAP.fit` does (the neighbour graph,
 * then the epochs one by one); a fit that would pass `--budget` seconds
 * (default 480) stops after the epoch that crosses it and reports the
 * graph time, the epochs done and the extrapolated total. Then the
 * incremental path: placing 100 new tracks among 100,000 mapped ones by
 * their nearest neighbours (`placeByNeighbours`, brute force; `--placement`
 * runs only that). Prints markdown.
 */
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { UMAP } from 'umap-js';
import { openDatabase } from '../src-main/core/db/open-database.ts';
import { readMapEmbeddings, normalised } from '../src-main/core/map/map-embeddings.ts';
import { DEFAULT_SEED, UMAP_PARAMS } from '../src-main/core/map/fit-layout.ts';
import { mulberry32 } from '../src-main/core/map/seeded-random.ts';
import { placeByNeighbours } from '../src-main/core/map/place-by-neighbours.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const LIBRARY = path.join(ROOT, '.cache/playlist-musicnn/library.db');
const SIZES = [10_000, 100_000];

/** A standard normal draw (Box–Muller) from `random`. */
const gaussian = (random: () => number) => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

/** `count` synthetic embeddings around the real library's track means (see the header). */
function syntheticEmbeddings(count: number): number[][] {
  const db = openDatabase(LIBRARY, { access: 'read' });
  const real = readMapEmbeddings(db).vectors;
  db.close();
  if (real.length < 10) throw new Error(`${LIBRARY} has ${real.length} MusiCNN analyses; run \`npm run eval:map\` first`);
  const distances: number[] = [];
  for (let i = 0; i < real.length; i++) for (let j = i + 1; j < real.length; j++) distances.push(Math.hypot(...real[i]!.map((v, d) => v - real[j]![d]!)));
  const sigma = (0.5 * distances.sort((a, b) => a - b)[distances.length >> 1]!) / Math.sqrt(real[0]!.length);
  const random = mulberry32(7);
  return Array.from({ length: count }, () => {
    const base = real[Math.floor(random() * real.length)]!;
    return Array.from(normalised(base.map((v) => v + sigma * gaussian(random))));
  });
}

/** One fit of `count` tracks in this process; prints its measurements as JSON. */
function measure(count: number, budget: number): void {
  const data = syntheticEmbeddings(count);
  const started = performance.now();
  const umap = new UMAP({ nComponents: 2, ...UMAP_PARAMS, random: mulberry32(DEFAULT_SEED) });
  const epochs = umap.initializeFit(data);
  const graphSeconds = (performance.now() - started) / 1000;
  let done = 0;
  while (done < epochs && (performance.now() - started) / 1000 < budget) done = umap.step() ?? done + 1;
  const seconds = (performance.now() - started) / 1000;
  const perEpoch = done > 0 ? (seconds - graphSeconds) / done : Number.NaN;
  console.log(JSON.stringify({ count, graphSeconds, epochs, done, seconds, totalSeconds: done === epochs ? seconds : graphSeconds + perEpoch * epochs, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
}

/** Seconds to place `fresh` new tracks among `mapped` ones (positions arbitrary: the time does not depend on them). */
function measurePlacement(mapped: number, fresh: number): void {
  const data = syntheticEmbeddings(mapped + fresh).map((v) => Float32Array.from(v));
  const random = mulberry32(3);
  const xy = Float32Array.from({ length: mapped * 2 }, () => random() * 20);
  const started = performance.now();
  placeByNeighbours(data.slice(0, mapped), xy, data.slice(mapped));
  console.log(`\nPlacing ${fresh} new tracks among ${mapped.toLocaleString('en')} mapped ones by their 5 nearest neighbours: ${((performance.now() - started) / 1000).toFixed(2)} s`);
}

const { values } = parseArgs({ options: { size: { type: 'string' }, budget: { type: 'string', default: '480' }, placement: { type: 'boolean' } } });
if (values.size) measure(Number(values.size), Number(values.budget));
else if (values.placement) measurePlacement(100_000, 100);
else {
  console.log(`UMAP fit (nNeighbors ${UMAP_PARAMS.nNeighbors}, minDist ${UMAP_PARAMS.minDist}, 2-D, 200-d MusiCNN means), one fit each, budget ${values.budget} s\n`);
  console.log('| tracks | neighbour graph (s) | epochs done / planned | fit (s) | peak RSS (MB) |');
  console.log('|---:|---:|---:|---:|---:|');
  for (const size of SIZES) {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--size', String(size), '--budget', values.budget], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (child.status !== 0) throw new Error(`the ${size}-track fit exited ${child.status}`);
    const r = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { count: number; graphSeconds: number; epochs: number; done: number; seconds: number; totalSeconds: number; peakRssMb: number };
    const fit = r.done === r.epochs ? r.seconds.toFixed(1) : `${r.seconds.toFixed(1)} measured, ~${r.totalSeconds.toFixed(0)} extrapolated`;
    console.log(`| ${r.count.toLocaleString('en')} | ${r.graphSeconds.toFixed(1)} | ${r.done} / ${r.epochs} | ${fit} | ${r.peakRssMb.toFixed(0)} |`);
  }
  measurePlacement(100_000, 100);
}

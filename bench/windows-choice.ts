/**
 * Measures how well a spread of K analysis windows stands for a whole track:
 * for real tracks longer than two windows, the mean of each descriptor over
 * K spread windows is compared with its mean over all back-to-back windows,
 * in units of that descriptor's standard deviation across the GTZAN table.
 * Usage: npm run bench:windows [-- --tracks N]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DECODE_SAMPLE_RATE, decodeAudio } from '../src-main/core/decode/decoder.ts';
import { DESCRIPTOR_NAMES, computeDescriptors } from '../src-main/core/features/descriptors.ts';
import { WINDOW_SAMPLES, planWindows } from '../src-main/core/features/track-windows.ts';
import { readTags } from '../src-main/core/tags/read-tags.ts';

const repo = path.resolve(import.meta.dirname, '..');
const shared = path.resolve(repo, '..', 'shared', 'data');
const { values } = parseArgs({ options: { tracks: { type: 'string', default: '12' } } });

/** Standard deviation of every descriptor across the GTZAN 30-second table. */
function tableSpread(): number[] {
  const [header, ...lines] = fs.readFileSync(path.join(shared, 'gtzan', 'features_30_sec.trainval.csv'), 'utf8').trim().split('\n');
  const columns = header!.split(',');
  return DESCRIPTOR_NAMES.map((name) => {
    const v = lines.map((line) => Number(line.split(',')[columns.indexOf(name)]));
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
  });
}

function listTracks(limit: number): string[] {
  const recordings = fs.readdirSync(path.join(shared, 'recordings')).filter((f) => f.endsWith('.ogg')).map((f) => path.join(shared, 'recordings', f));
  const library = path.join(repo, '.cache', 'bench-library');
  const built = fs.existsSync(library) ? fs.readdirSync(library, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(mp3|flac|ogg|opus|m4a)$/.test(f)).sort().map((f) => path.join(library, f)) : [];
  return [...recordings, ...built.filter((_, i) => i % Math.max(1, Math.floor(built.length / limit)) === 0).slice(0, limit)];
}

const windowVector = (y: Float32Array, start: number) => {
  const d = computeDescriptors(y.subarray(start, start + WINDOW_SAMPLES));
  return DESCRIPTOR_NAMES.map((n) => d[n]);
};
const meanOf = (rows: number[][]) => rows[0]!.map((_, j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length);

const spread = tableSpread();
const errors: Record<number, number[]> = { 1: [], 2: [], 3: [], 4: [] };
let tracks = 0;
for (const file of listTracks(Number(values.tracks))) {
  const { durationSec } = await readTags(file);
  if (!durationSec || durationSec * DECODE_SAMPLE_RATE < 2 * WINDOW_SAMPLES) continue;
  const y = await decodeAudio(file);
  const starts = [];
  for (let s = 0; s + WINDOW_SAMPLES <= y.length; s += WINDOW_SAMPLES) starts.push(s);
  if (starts.at(-1)! + WINDOW_SAMPLES < y.length) starts.push(y.length - WINDOW_SAMPLES);
  const whole = meanOf(starts.map((s) => windowVector(y, s)));
  for (const k of [1, 2, 3, 4]) {
    const chosen = meanOf(planWindows(y.length, k).map((w) => windowVector(y, w.start)));
    chosen.forEach((v, j) => errors[k]!.push(Math.abs(v - whole[j]!) / spread[j]!));
  }
  tracks++;
  console.log(`${path.basename(file)}: ${(y.length / DECODE_SAMPLE_RATE).toFixed(0)} s, ${starts.length} windows`);
}
const quantile = (v: number[], q: number) => [...v].sort((a, b) => a - b)[Math.floor(q * (v.length - 1))]!;
console.log(`\n${tracks} tracks; error of the K-window mean against the all-window mean, in GTZAN standard deviations:`);
console.log('| K windows | median | 90th percentile | max |\n| --- | --- | --- | --- |');
for (const k of [1, 2, 3, 4]) console.log(`| ${k} | ${quantile(errors[k]!, 0.5).toFixed(3)} | ${quantile(errors[k]!, 0.9).toFixed(3)} | ${Math.max(...errors[k]!).toFixed(3)} |`);

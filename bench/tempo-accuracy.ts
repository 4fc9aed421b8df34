/**
 * Tempo accuracy of the librosa-compatible estimator (`estimateTempo`, the
 * GTZAN `tempo` descriptor) and of the improved one (`estimateTempi`'s `improved`)
 * on the 70 GTZAN clips of ../shared with an annotated tempo: 8 original
 * 30-second clips of mixed genres and 62 classical clips of which only the
 * first 15 seconds survive. Each clip is decoded whole and analysed as one
 * window, as the engine analyses a window.
 *
 *   node bench/tempo-accuracy.ts            table
 *   node bench/tempo-accuracy.ts --clips    table and one line per clip
 *   node bench/tempo-accuracy.ts --json     everything as JSON
 *
 * Acc1: the estimate is within 4 % of the annotated tempo. Acc2: within 4 % of
 * the annotation times 1, 2, 1/2, 3 or 1/3 (the usual metrical-level-tolerant
 * accuracy, Gouyon et al. 2006).
 */
import fs from 'node:fs';
import path from 'node:path';
import { decodeAudio } from '../src-main/core/decode/decoder.ts';
import { HOP } from '../src-main/core/features/stft.ts';
import { estimateTempi, refineTempoLag } from '../src-main/core/features/tempo-improved.ts';
import { bestTempoLag, estimateTempo, meanTempogram, onsetEnvelope, tempogramWindowLength } from '../src-main/core/features/tempo.ts';
import { SAMPLE_RATE, WindowAnalysis } from '../src-main/core/features/window-analysis.ts';

export const GTZAN_DIR = path.resolve(import.meta.dirname, '..', '..', 'shared', 'data', 'gtzan');
/** Relative tolerance of Acc1 and Acc2. */
export const TOLERANCE = 0.04;
/** The metrical levels Acc2 also accepts. */
export const ACC2_FACTORS = [1, 2, 1 / 2, 3, 1 / 3] as const;

/** The estimate is within `tolerance` (relative) of the reference. */
export function acc1Hit(estimate: number, reference: number, tolerance = TOLERANCE): boolean {
  return Math.abs(estimate - reference) <= tolerance * reference;
}

/** The estimate is within `tolerance` of the reference times 1, 2, 1/2, 3 or 1/3. */
export function acc2Hit(estimate: number, reference: number, tolerance = TOLERANCE): boolean {
  return ACC2_FACTORS.some((factor) => acc1Hit(estimate, factor * reference, tolerance));
}

export interface Accuracy {
  n: number;
  acc1Hits: number;
  acc2Hits: number;
  /** acc1Hits / n (NaN for an empty list). */
  acc1: number;
  acc2: number;
}

/** Acc1 and Acc2 of a list of (estimate, reference) pairs. */
export function tempoAccuracy(pairs: ReadonlyArray<{ estimate: number; reference: number }>, tolerance = TOLERANCE): Accuracy {
  const acc1Hits = pairs.filter((p) => acc1Hit(p.estimate, p.reference, tolerance)).length;
  const acc2Hits = pairs.filter((p) => acc2Hit(p.estimate, p.reference, tolerance)).length;
  return { n: pairs.length, acc1Hits, acc2Hits, acc1: acc1Hits / pairs.length, acc2: acc2Hits / pairs.length };
}

export interface TempoClip {
  clip: string;
  file: string;
  /** 'mixed': one of the 8 original 30-second clips; 'classical': a 15-second classical excerpt. */
  group: 'mixed' | 'classical';
  seconds: number;
  /** Annotated tempo, BPM. */
  reference: number;
}

/** The annotated clips of ../shared/data/gtzan (index.tsv rows that have a tempo/<clip>.bpm). */
export function readTempoClips(dir = GTZAN_DIR): TempoClip[] {
  const [header, ...lines] = fs.readFileSync(path.join(dir, 'clips', 'index.tsv'), 'utf8').trim().split('\n');
  const columns = header!.split('\t');
  return lines.flatMap((line) => {
    const row = Object.fromEntries(line.split('\t').map((cell, i) => [columns[i], cell])) as Record<string, string>;
    const bpmFile = path.join(dir, 'tempo', `${row.clip}.bpm`);
    if (!fs.existsSync(bpmFile)) return [];
    const seconds = Number(row.seconds);
    return [{ clip: row.clip!, file: path.join(dir, 'clips', row.file!), group: seconds >= 30 ? 'mixed' : 'classical', seconds, reference: Number(fs.readFileSync(bpmFile, 'utf8').trim()) } as TempoClip];
  });
}

export interface ClipResult extends TempoClip {
  librosa: number;
  improved: number;
}

/** Decodes every clip (a few at a time) and estimates its tempo over the whole clip with both estimators. */
export async function evaluateTempoClips(clips = readTempoClips(), concurrency = 4): Promise<ClipResult[]> {
  const results: ClipResult[] = new Array(clips.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < clips.length) {
      const i = next++;
      const clip = clips[i]!;
      const y = await decodeAudio(clip.file);
      results[i] = { ...clip, ...new WindowAnalysis(y).tempi() };
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, clips.length) }, worker));
  return results;
}

export type Estimator = 'librosa' | 'improved';
export const ESTIMATORS: readonly Estimator[] = ['librosa', 'improved'];
export const GROUPS = ['all', 'mixed', 'classical'] as const;
export type Group = (typeof GROUPS)[number];

export interface Summary extends Accuracy {
  /** Estimates within 2 % of the annotation (a finer look at resolution than Acc1). */
  within2pcHits: number;
  /** Median |estimate / reference − 1| over the clips that are Acc1 hits of both estimators, in percent. */
  medianErrorPcOfCommonHits: number;
}

/** Accuracy of each estimator over all clips and per group. */
export function summarise(results: readonly ClipResult[]): Record<Estimator, Record<Group, Summary>> {
  const out = {} as Record<Estimator, Record<Group, Summary>>;
  for (const estimator of ESTIMATORS) {
    out[estimator] = {} as Record<Group, Summary>;
    for (const group of GROUPS) {
      const rows = results.filter((r) => group === 'all' || r.group === group);
      const common = rows.filter((r) => acc1Hit(r.librosa, r.reference) && acc1Hit(r.improved, r.reference));
      const errors = common.map((r) => 100 * Math.abs(r[estimator] / r.reference - 1)).sort((a, b) => a - b);
      out[estimator][group] = {
        ...tempoAccuracy(rows.map((r) => ({ estimate: r[estimator], reference: r.reference }))),
        within2pcHits: rows.filter((r) => acc1Hit(r[estimator], r.reference, 0.02)).length,
        medianErrorPcOfCommonHits: errors.length ? (errors[(errors.length - 1) >> 1]! + errors[errors.length >> 1]!) / 2 : NaN,
      };
    }
  }
  return out;
}

export interface Timing {
  windows: number;
  /** Median ms per 30-second window. */
  librosaMs: number;
  /** `estimateTempi` (both estimates from one tempogram). */
  bothMs: number;
  /** The refinement alone (`refineTempoLag` on a ready tempogram): the extra cost of the improved estimate when computed with the librosa one. */
  refineMs: number;
}

/** Median over `reps` of the time of `inner` calls of `run`, per call, in ms. */
function medianMs(run: () => void, reps: number, inner = 1): number {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    for (let j = 0; j < inner; j++) run();
    times.push((performance.now() - start) / inner);
  }
  times.sort((a, b) => a - b);
  return times[reps >> 1]!;
}

/** Time per 30-second window (onset envelope given) of the two estimators, on the 30-second clips. */
export async function timeEstimators(clips = readTempoClips().filter((c) => c.seconds >= 30), reps = 7): Promise<Timing> {
  const librosa: number[] = [];
  const both: number[] = [];
  const refine: number[] = [];
  for (const clip of clips) {
    const analysis = new WindowAnalysis(await decodeAudio(clip.file));
    const envelope = onsetEnvelope(analysis.melDb, analysis.spectrogram.frames, 128);
    const tempogram = meanTempogram(envelope, tempogramWindowLength(SAMPLE_RATE, HOP));
    const lag = bestTempoLag(tempogram, SAMPLE_RATE, HOP);
    librosa.push(medianMs(() => estimateTempo(envelope, SAMPLE_RATE, HOP), reps));
    both.push(medianMs(() => estimateTempi(envelope, SAMPLE_RATE, HOP), reps));
    refine.push(medianMs(() => refineTempoLag(tempogram, lag, SAMPLE_RATE, HOP), reps, 10_000));
  }
  const median = (v: number[]) => v.sort((a, b) => a - b)[v.length >> 1]!;
  return { windows: clips.length, librosaMs: median(librosa), bothMs: median(both), refineMs: median(refine) };
}

const LABELS: Record<Estimator, string> = { librosa: 'librosa-compatible', improved: 'improved (sub-lag peak)' };

function formatTable(summary: ReturnType<typeof summarise>): string {
  const cell = (hits: number, n: number) => `${String(hits).padStart(2)}/${n} ${((100 * hits) / n).toFixed(1).padStart(5)}%`.padEnd(16);
  const n = (g: Group) => summary.librosa[g].n;
  const lines = [
    `Tempo accuracy, tolerance ${100 * TOLERANCE} % (Acc2 also counts ×2, ×1/2, ×3, ×1/3)`,
    `${''.padEnd(25)}${`all (${n('all')})`.padEnd(32)}${`mixed 30 s (${n('mixed')})`.padEnd(32)}classical 15 s (${n('classical')})`,
    `${'estimator'.padEnd(25)}${GROUPS.map(() => 'Acc1'.padEnd(16) + 'Acc2'.padEnd(16)).join('')}`,
  ];
  for (const estimator of ESTIMATORS) {
    lines.push(LABELS[estimator].padEnd(25) + GROUPS.map((g) => cell(summary[estimator][g].acc1Hits, n(g)) + cell(summary[estimator][g].acc2Hits, n(g))).join(''));
  }
  lines.push('', 'Resolution: estimates within 2 % of the annotation, and median |error| over the clips both estimators get within 4 %');
  for (const estimator of ESTIMATORS) {
    const s = summary[estimator];
    lines.push(LABELS[estimator].padEnd(25) + GROUPS.map((g) => cell(s[g].within2pcHits, n(g)) + `${s[g].medianErrorPcOfCommonHits.toFixed(2)} %`.padStart(6).padEnd(16)).join(''));
  }
  return lines.join('\n');
}

function formatClips(results: readonly ClipResult[]): string {
  const verdict = (e: number, r: number) => (acc1Hit(e, r) ? 'acc1' : acc2Hit(e, r) ? 'acc2' : '-');
  const lines = [`${'clip'.padEnd(17)}${'group'.padEnd(10)}${'annotated'.padStart(10)}${'librosa'.padStart(10)}${'ratio'.padStart(7)}  ${'hit'.padEnd(6)}${'improved'.padStart(10)}${'ratio'.padStart(7)}  hit`];
  for (const r of results) {
    lines.push(
      r.clip.padEnd(17) + r.group.padEnd(10) + r.reference.toFixed(2).padStart(10) +
        r.librosa.toFixed(2).padStart(10) + (r.librosa / r.reference).toFixed(3).padStart(7) + '  ' + verdict(r.librosa, r.reference).padEnd(6) +
        r.improved.toFixed(2).padStart(10) + (r.improved / r.reference).toFixed(3).padStart(7) + '  ' + verdict(r.improved, r.reference),
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const unknown = [...args].filter((a) => a !== '--json' && a !== '--clips');
  if (unknown.length) {
    console.error(`unknown argument ${unknown.join(' ')}; usage: node bench/tempo-accuracy.ts [--clips] [--json]`);
    process.exit(2);
  }
  const results = await evaluateTempoClips();
  const summary = summarise(results);
  const timing = await timeEstimators();
  if (args.has('--json')) {
    console.log(JSON.stringify({ tolerance: TOLERANCE, summary, timing, clips: results }, null, 2));
    return;
  }
  console.log(formatTable(summary));
  console.log(
    `\nCost per 30 s window (onset envelope given, median of ${timing.windows} clips): librosa-compatible ${timing.librosaMs.toFixed(1)} ms, ` +
      `both via estimateTempi ${timing.bothMs.toFixed(1)} ms, the refinement itself ${(1000 * timing.refineMs).toFixed(1)} µs`,
  );
  if (args.has('--clips')) console.log(`\n${formatClips(results)}`);
}

if (import.meta.main) await main();

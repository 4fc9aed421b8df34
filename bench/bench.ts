import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TrackRequest, TrackResult } from '../src-main/core/analysis/analyse-track.ts';
import { DECODE_SAMPLE_RATE, ffmpegArguments } from '../src-main/core/decode/decoder.ts';
import { resolveFfmpegPath } from '../src-main/core/decode/ffmpeg-path.ts';
import { openDatabase } from '../src-main/core/db/open-database.ts';
import { WorkerPool } from '../src-main/core/pipeline/worker-pool.ts';
import { scanLibrary, type ScanSummary, type StageSeconds } from '../src-main/core/scan/scan-library.ts';
import { CACHE_DIR, ensureBenchLibrary, ensureSubset } from './build-library.ts';
import { forEachConcurrent, runFfmpeg } from './ffmpeg-jobs.ts';
import { measureDescriptorSpeed, type DescriptorSpeed } from './descriptor-speed.ts';
import { formatModelSpeed, measureModelSpeed } from './model-speed.ts';
import { formatStageSpeeds, measureMusicnnStages } from './musicnn-stage-speed.ts';
import { measure, rssSampler, type Phase } from './phases.ts';

const RESULTS_FILE = path.join(CACHE_DIR, 'bench-results.json');
/** Decodes through the decoder interface like the analysis stage, computing nothing: isolates what the engine adds to decoding. */
const DECODE_ONLY_WORKER = new URL('./decode-only-worker.ts', import.meta.url);
/** Scans a library in a process of its own. */
const SCAN_CHILD = new URL('./scan-child.ts', import.meta.url);
/** The subset scanned on its own: the issue's second measure, every format, a tenth of the time. */
const SUBSET_TRACKS = 20;
/** The first scan must take at most this many times the decode floor. */
const SCAN_TARGET = 3;
/** Peak RSS target of a first scan with two workers, MB. */
const RSS_TARGET_MB = 400;
/** Tracks timed one by one, in this thread, for the descriptor and MusiCNN costs. */
const DESCRIPTOR_SAMPLE_TRACKS = 6;
/** What the engine adds to decoding must stay under this fraction of the decode time. */
const OVERHEAD_TARGET = 0.1;

/** The decode floor's command line: ffmpeg alone, the file to 22050 Hz mono float32, discarded. */
function floorArguments(file: string): string[] {
  return ['-nostdin', '-hide_banner', '-v', 'error', '-i', `file:${path.resolve(file)}`, '-map', '0:a:0', '-ac', '1', '-ar', String(DECODE_SAMPLE_RATE), '-c:a', 'pcm_f32le', '-f', 'f32le', 'pipe:1'];
}

/** A first scan and a rescan in a fresh process (`scan-child.ts`) into `databaseFile`, as phases of `tracks` tracks named `name`. */
async function scanInChild(name: string, root: string, tracks: number, databaseFile: string): Promise<{ first: { phase: Phase; result: ScanSummary }; rescan: { phase: Phase; result: ScanSummary }; failures: string[] }> {
  const child = spawn(process.execPath, [fileURLToPath(SCAN_CHILD), root, databaseFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`${SCAN_CHILD.pathname} ${root} exited with ${code}`);
  const report = JSON.parse(output.trim().split('\n').at(-1)!);
  const named = (phase: Phase, label: string): Phase => ({ ...phase, name: `${label}${name}`, tracksPerSec: tracks / phase.seconds });
  console.log(`  first scan${name}: ${report.first.phase.seconds.toFixed(1)} s; rescan${name}: ${report.rescan.phase.seconds.toFixed(1)} s`);
  return {
    first: { ...report.first, phase: named(report.first.phase, 'first scan') },
    rescan: { ...report.rescan, phase: named(report.rescan.phase, 'rescan') },
    failures: report.failures,
  };
}

/** Every file through the decoder interface in a worker pool of the scan's size, without walking, tags, database or pipeline. */
async function decodeThroughInterface(files: string[], workers: number, ffmpegPath: string): Promise<void> {
  const pool = new WorkerPool<TrackRequest, TrackResult>(DECODE_ONLY_WORKER, workers);
  try {
    await Promise.all(files.map((file) => pool.run({ path: file, declaredDurationSec: null, ffmpegPath, parts: 'all' })));
  } finally {
    await pool.close();
  }
}

/** Runs a scan of `root` into a fresh temporary database. */
async function scanIntoFreshDatabase(root: string, options: { ffmpegPath: string; workers: number; analysisWorker?: URL }, failures: string[]): Promise<ScanSummary> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sonority-bench-'));
  const db = openDatabase(path.join(dir, 'library.db'));
  try {
    return await scanLibrary({ root, db, ...options, onEvent: (e) => void (e.type === 'failure' && failures.push(`${e.path}: ${e.message}`)) });
  } finally {
    db.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Fails the benchmark when a scan did not analyse (or, rescanning, skip) every track. */
function checkScan(summary: ScanSummary, expected: { analysed: number; skipped: number }, failures: string[]): void {
  if (summary.analysed !== expected.analysed || summary.skipped !== expected.skipped || summary.failed > 0) {
    throw new Error(`scan ${JSON.stringify(summary)} expected ${JSON.stringify(expected)}; failures:\n${failures.slice(0, 10).join('\n')}`);
  }
}

interface Ratios {
  /** |before − after| / mean of the two ffmpeg decode-only runs: the run-to-run noise. */
  baselineNoise: number;
  /** (decoder interface − decode only) / decode only: moving the samples into Node. */
  decoderInterfaceOverhead: number;
  /** (engine on decode − decoder interface) / decode only: what walking, tags, database and scheduling add. */
  engineOverhead: number;
  /** Full first scan over decode only (our decoder's full decode, every channel, soxr). */
  analysisOverDecode: number;
  /** Full first scan over the decode floor (ffmpeg to 22050 Hz mono float32; the mean of the runs before and after). */
  scanOverFloor: number;
  rescanOverScan: number;
}

/** Relates the phases to one another (decode only = the mean of the runs before and after). */
function compare(p: Record<'floorBefore' | 'before' | 'interface' | 'engine' | 'scan' | 'rescan' | 'after' | 'floorAfter', Phase>): Ratios {
  const decode = (p.before.seconds + p.after.seconds) / 2;
  return {
    baselineNoise: Math.abs(p.before.seconds - p.after.seconds) / decode,
    decoderInterfaceOverhead: (p.interface.seconds - decode) / decode,
    engineOverhead: (p.engine.seconds - p.interface.seconds) / decode,
    analysisOverDecode: p.scan.seconds / decode,
    scanOverFloor: p.scan.seconds / ((p.floorBefore.seconds + p.floorAfter.seconds) / 2),
    rescanOverScan: p.rescan.seconds / p.scan.seconds,
  };
}

/** Prints a first scan against the decode floor (the mean of `floors`): the ratio, tracks/s, peak RSS and each stage's share; returns them. */
function scanTarget(name: string, scan: Phase, floors: Phase[], summary: ScanSummary) {
  const floorSeconds = floors.reduce((sum, floor) => sum + floor.seconds, 0) / floors.length;
  const ratio = scan.seconds / floorSeconds;
  const stages = summary.stageSeconds;
  const shares = stageShares(stages);
  console.log(`
${name}: decode floor ${floorSeconds.toFixed(1)} s, first scan ${scan.seconds.toFixed(1)} s (${scan.tracksPerSec.toFixed(2)} tracks/s): ${ratio.toFixed(2)} × the floor (target ≤ ${SCAN_TARGET}: ${ratio <= SCAN_TARGET ? 'met' : 'NOT met'}); peak RSS ${scan.peakRssMb.toFixed(0)} MB (target < ${RSS_TARGET_MB}: ${scan.peakRssMb < RSS_TARGET_MB ? 'met' : 'NOT met'})
  where the workers' time went: ${Object.entries(shares).map(([stage, share]) => `${stage} ${(share * 100).toFixed(1)} %`).join(', ')} (of ${(stages.decode + stages.descriptors + stages.musicnn).toFixed(0)} worker-seconds); classify ${stages.classify.toFixed(2)} s after the analysis; main thread CPU ${scan.mainThreadCpuSeconds?.toFixed(1) ?? 'n/a'} s`);
  return { floorSeconds, scanSeconds: scan.seconds, ratio, tracksPerSec: scan.tracksPerSec, peakRssMb: scan.peakRssMb, stageSeconds: stages, shares };
}

/** Each analysis stage's share of the workers' time (decoding includes waiting for ffmpeg). */
function stageShares(stages: StageSeconds): Record<'decode' | 'descriptors' | 'musicnn', number> {
  const total = stages.decode + stages.descriptors + stages.musicnn;
  return { decode: stages.decode / total, descriptors: stages.descriptors / total, musicnn: stages.musicnn / total };
}

const columns: Array<[string, number, (p: Phase, audioSec: number) => string]> = [
  ['phase', -22, (p) => p.name],
  ['wall s', 9, (p) => p.seconds.toFixed(1)],
  ['tracks/s', 10, (p) => p.tracksPerSec.toFixed(2)],
  ['x realtime', 12, (p, audioSec) => (audioSec / p.seconds).toFixed(0)],
  ['node CPU s', 12, (p) => p.cpuSeconds.toFixed(1)],
  ['main thr CPU s', 16, (p) => p.mainThreadCpuSeconds?.toFixed(1) ?? 'n/a'],
  ['ffmpeg CPU s', 14, (p) => p.ffmpegCpuSeconds?.toFixed(1) ?? 'n/a'],
  ['peak RSS MB', 13, (p) => p.peakRssMb.toFixed(0)],
];
const cell = (text: string, width: number) => (width < 0 ? text.padEnd(-width) : text.padStart(width));

/** Prints the phases as a table, then the ratios and the descriptor cost. */
function report(phases: Phase[], audioHours: number, ratios: Ratios, speed: DescriptorSpeed, maxRssMb: number): void {
  console.log('\n' + columns.map(([title, width]) => cell(title, width)).join(''));
  for (const phase of phases) console.log(columns.map(([, width, value]) => cell(value(phase, audioHours * 3600), width)).join(''));
  const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
  const verdict = ratios.baselineNoise > OVERHEAD_TARGET ? 'inconclusive: the two decode-only runs differ by more than the target' : ratios.engineOverhead < OVERHEAD_TARGET ? 'met' : 'NOT met';
  console.log(`
decode-only run-to-run difference: ${percent(ratios.baselineNoise)}
decoder interface (samples into Node worker threads) adds: ${percent(ratios.decoderInterfaceOverhead)} of decode time
engine (walk, tags, database, scheduling) adds: ${percent(ratios.engineOverhead)} of decode time (target < ${percent(OVERHEAD_TARGET)}: ${verdict})
first scan / decode only (our decoder, whole files): ${ratios.analysisOverDecode.toFixed(2)}; first scan / decode floor: ${ratios.scanOverFloor.toFixed(2)}
rescan / first scan: ${ratios.rescanOverScan.toFixed(5)}
descriptors, one thread, ${speed.tracks} tracks (${speed.trackMinutes.toFixed(1)} min, ${speed.analysedMinutes.toFixed(1)} min analysed): ${speed.descriptorMsPerAnalysedMinute.toFixed(0)} ms per analysed minute, ${speed.descriptorMsPerTrackMinute.toFixed(0)} ms per minute of track; decoding the same tracks ${speed.decodeMsPerTrackMinute.toFixed(0)} ms per minute; descriptors / decode ${speed.descriptorsOverDecode.toFixed(1)}
peak RSS of the benchmark process (getrusage maxRSS; main and worker threads, not the ffmpeg children; the scans ran in a process of their own): ${maxRssMb.toFixed(0)} MB`);
}

const library = await ensureBenchLibrary();
const count = library.files.length;
console.log(`library: ${count} tracks, ${library.totalHours.toFixed(1)} h, ${(library.bytes / 1e9).toFixed(2)} GB (${library.cached ? 'cached' : `built in ${library.buildSeconds.toFixed(0)} s`})`);
const subset = await ensureSubset(library, SUBSET_TRACKS);
const ffmpegPath = resolveFfmpegPath();
const workers = os.availableParallelism();
const loadAverage = os.loadavg()[0]!;
console.log(`measuring with ${workers} workers / ffmpeg processes at a time (load average before: ${loadAverage.toFixed(2)}; other work on the machine skews the numbers):`);
const sampler = rssSampler();
const decodeFloor = (files: readonly string[]) => () => forEachConcurrent(files, workers, async (file) => runFfmpeg(ffmpegPath, floorArguments(file)));
const decodeOnly = () => forEachConcurrent(library.files, workers, async (file) => runFfmpeg(ffmpegPath, ffmpegArguments(file)));
const failures: string[] = [];
const dbDir = await fs.mkdtemp(path.join(os.tmpdir(), 'sonority-bench-'));
const databaseFile = path.join(dbDir, 'library.db');
try {
  const floorBefore = await measure('decode floor (before)', count, sampler, decodeFloor(library.files));
  const scans = await scanInChild('', library.root, count, databaseFile);
  failures.push(...scans.failures);
  checkScan(scans.first.result, { analysed: count, skipped: 0 }, failures);
  checkScan(scans.rescan.result, { analysed: 0, skipped: count }, failures);
  const [first, rescan] = [scans.first, scans.rescan];
  const floorAfter = await measure('decode floor (after)', count, sampler, decodeFloor(library.files));
  const subsetFloor = await measure(`decode floor, ${subset.files.length} tracks`, subset.files.length, sampler, decodeFloor(subset.files));
  const subsetScans = await scanInChild(`, ${subset.files.length} tracks`, subset.root, subset.files.length, path.join(dbDir, 'subset.db'));
  checkScan(subsetScans.first.result, { analysed: subset.files.length, skipped: 0 }, subsetScans.failures);
  const subsetScan = subsetScans.first;
  const before = await measure('decode only (before)', count, sampler, decodeOnly);
  const viaInterface = await measure('decoder interface', count, sampler, () => decodeThroughInterface(library.files, workers, ffmpegPath));
  const engine = await measure('engine on decode', count, sampler, () => scanIntoFreshDatabase(library.root, { ffmpegPath, workers, analysisWorker: DECODE_ONLY_WORKER }, failures));
  checkScan(engine.result, { analysed: count, skipped: 0 }, failures);
  const after = await measure('decode only (after)', count, sampler, decodeOnly);
  const sampleTracks = library.files.filter((_, i) => i % Math.floor(count / DESCRIPTOR_SAMPLE_TRACKS) === 0).slice(0, DESCRIPTOR_SAMPLE_TRACKS);
  const speed = await measureDescriptorSpeed(sampleTracks);
  const modelSpeed = await measureModelSpeed(sampleTracks);
  const musicnnSpeed = await measureMusicnnStages(sampleTracks);

  const phases = { floorBefore: floorBefore.phase, scan: first.phase, rescan: rescan.phase, floorAfter: floorAfter.phase, subsetFloor: subsetFloor.phase, subsetScan: subsetScan.phase, before: before.phase, interface: viaInterface.phase, engine: engine.phase, after: after.phase };
  const ratios = compare(phases);
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  report(Object.values(phases), library.totalHours, ratios, speed, maxRssMb);
  const target = { library: scanTarget('library', first.phase, [floorBefore.phase, floorAfter.phase], first.result), subset: scanTarget(`${subset.files.length}-track subset`, subsetScan.phase, [subsetFloor.phase], subsetScan.result) };
  console.log(`rescan: ${((rescan.phase.seconds * 1000) / count).toFixed(2)} s per 1,000 tracks`);
  const db = openDatabase(databaseFile);
  const descriptorBytes = db.prepare('SELECT AVG(LENGTH(window_starts) + LENGTH(windows) + LENGTH(frame_starts) + LENGTH(frames) + 8) AS bytes FROM descriptors').get() as { bytes: number };
  console.log(`descriptor storage: ${descriptorBytes.bytes.toFixed(0)} bytes per track on average`);
  const musicnnBytes = db.prepare(`SELECT AVG(LENGTH(window_starts) + LENGTH(window_patches) + LENGTH(patch_starts) + IFNULL(LENGTH(tags) + LENGTH(window_tags) + LENGTH(heads) + LENGTH(patch_heads) + LENGTH(embeddings), 0))
    + IFNULL((SELECT AVG(LENGTH(embedding)) FROM musicnn_means), 0) AS bytes FROM musicnn`).get() as { bytes: number };
  console.log(`MusiCNN storage: ${musicnnBytes.bytes.toFixed(0)} bytes per track on average`);
  db.close();
  console.log(`the same ${sampleTracks.length} tracks, one at a time in this thread:\n${formatStageSpeeds(speed, musicnnSpeed)}`);
  console.log(formatModelSpeed(modelSpeed));
  const results = {
    date: new Date().toISOString(),
    machine: { cpus: os.availableParallelism(), cpuModel: os.cpus()[0]?.model ?? null, loadAverage, node: process.version, ffmpeg: ffmpegPath },
    library: { root: library.root, tracks: count, hours: library.totalHours, bytes: library.bytes, buildSeconds: library.buildSeconds, cached: library.cached },
    workers,
    phases,
    ratios,
    target,
    descriptorSpeed: speed,
    descriptorBytesPerTrack: descriptorBytes.bytes,
    musicnnSpeed,
    musicnnBytesPerTrack: musicnnBytes.bytes,
    modelSpeed,
    overheadTarget: OVERHEAD_TARGET,
    maxRssMb,
  };
  await fs.writeFile(RESULTS_FILE, JSON.stringify(results, null, 2) + '\n');
  console.log(`results written to ${RESULTS_FILE}`);
} finally {
  sampler.stop();
  await fs.rm(dbDir, { recursive: true, force: true });
}

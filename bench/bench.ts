import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TrackRequest, TrackResult } from '../src-main/core/analysis/analyse-track.ts';
import { ffmpegArguments } from '../src-main/core/decode/decoder.ts';
import { resolveFfmpegPath } from '../src-main/core/decode/ffmpeg-path.ts';
import { openDatabase } from '../src-main/core/db/open-database.ts';
import { WorkerPool } from '../src-main/core/pipeline/worker-pool.ts';
import { scanLibrary, type ScanSummary } from '../src-main/core/scan/scan-library.ts';
import { CACHE_DIR, ensureBenchLibrary } from './build-library.ts';
import { forEachConcurrent, runFfmpeg } from './ffmpeg-jobs.ts';
import { measureDescriptorSpeed, type DescriptorSpeed } from './descriptor-speed.ts';
import { formatModelSpeed, measureModelSpeed } from './model-speed.ts';
import { formatStageSpeeds, measureMusicnnStages } from './musicnn-stage-speed.ts';
import { loadTensorFlow } from '../src-main/core/model/tf-runtime.ts';
import { loadGenreModel } from '../src-main/core/model/genre-model.ts';

const RESULTS_FILE = path.join(CACHE_DIR, 'bench-results.json');
/** Decodes through the decoder interface like the analysis stage, computing nothing: isolates what the engine adds to decoding. */
const DECODE_ONLY_WORKER = new URL('./decode-only-worker.ts', import.meta.url);
/** Tracks timed one by one, in this thread, for the descriptor and MusiCNN costs. */
const DESCRIPTOR_SAMPLE_TRACKS = 6;
/** What the engine adds to decoding must stay under this fraction of the decode time. */
const OVERHEAD_TARGET = 0.1;

interface Phase {
  name: string;
  seconds: number;
  tracksPerSec: number;
  /** CPU time of this Node process: main thread and worker threads, not the ffmpeg children. */
  cpuSeconds: number;
  /** CPU time of the main thread alone (walking, tags, database, scheduling); null off Linux. */
  mainThreadCpuSeconds: number | null;
  /** CPU time of the ffmpeg children that finished in the phase; null off Linux. */
  ffmpegCpuSeconds: number | null;
  /** Highest sampled resident set size of this process during the phase, in MB. */
  peakRssMb: number;
}

/** Sums two CPU-time fields of a Linux /proc stat file (counted after the command name, in 1/100 s); null where there is none. */
function procCpuSeconds(statFile: string, field: number): number | null {
  try {
    const fields = readFileSync(statFile, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[field]) + Number(fields[field + 1])) / 100;
  } catch {
    return null;
  }
}

/** utime + stime of the main thread. */
const mainThreadCpu = () => procCpuSeconds(`/proc/self/task/${process.pid}/stat`, 11);
/** cutime + cstime: the children this process has waited for. */
const childrenCpu = () => procCpuSeconds('/proc/self/stat', 13);
const delta = (before: number | null, after: number | null) => (before === null || after === null ? null : after - before);

interface RssSampler {
  /** The peak RSS in bytes since the previous call. */
  take(): number;
  stop(): void;
}

/** Samples this process's RSS every 50 ms. */
function rssSampler(): RssSampler {
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, 50);
  return {
    take() {
      sample();
      const result = peak;
      peak = 0;
      return result;
    },
    stop: () => clearInterval(timer),
  };
}

/** Runs `work` as one measured phase over `tracks` files. */
async function measure<T>(name: string, tracks: number, sampler: RssSampler, work: () => Promise<T>): Promise<{ phase: Phase; result: T }> {
  sampler.take();
  const [cpuBefore, mainBefore, childrenBefore] = [process.cpuUsage(), mainThreadCpu(), childrenCpu()];
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const phase: Phase = {
    name,
    seconds,
    tracksPerSec: tracks / seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    mainThreadCpuSeconds: delta(mainBefore, mainThreadCpu()),
    ffmpegCpuSeconds: delta(childrenBefore, childrenCpu()),
    peakRssMb: sampler.take() / 2 ** 20,
  };
  console.log(`  ${name}: ${seconds.toFixed(1)} s`);
  return { phase, result };
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
  /** Full first scan (descriptors) over decode only. */
  analysisOverDecode: number;
  rescanOverScan: number;
}

/** Relates the phases to one another (decode only = the mean of the runs before and after). */
function compare(p: Record<'before' | 'interface' | 'engine' | 'scan' | 'rescan' | 'after', Phase>): Ratios {
  const decode = (p.before.seconds + p.after.seconds) / 2;
  return {
    baselineNoise: Math.abs(p.before.seconds - p.after.seconds) / decode,
    decoderInterfaceOverhead: (p.interface.seconds - decode) / decode,
    engineOverhead: (p.engine.seconds - p.interface.seconds) / decode,
    analysisOverDecode: p.scan.seconds / decode,
    rescanOverScan: p.rescan.seconds / p.scan.seconds,
  };
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
full analysis (first scan with descriptors) / decode only: ${ratios.analysisOverDecode.toFixed(2)}
rescan / first scan: ${ratios.rescanOverScan.toFixed(5)}
descriptors, one thread, ${speed.tracks} tracks (${speed.trackMinutes.toFixed(1)} min, ${speed.analysedMinutes.toFixed(1)} min analysed): ${speed.descriptorMsPerAnalysedMinute.toFixed(0)} ms per analysed minute, ${speed.descriptorMsPerTrackMinute.toFixed(0)} ms per minute of track; decoding the same tracks ${speed.decodeMsPerTrackMinute.toFixed(0)} ms per minute; descriptors / decode ${speed.descriptorsOverDecode.toFixed(1)}
peak RSS of this process (getrusage maxRSS; main and worker threads, not the ffmpeg children): ${maxRssMb.toFixed(0)} MB`);
}

const library = await ensureBenchLibrary();
const count = library.files.length;
console.log(`library: ${count} tracks, ${library.totalHours.toFixed(1)} h, ${(library.bytes / 1e9).toFixed(2)} GB (${library.cached ? 'cached' : `built in ${library.buildSeconds.toFixed(0)} s`})`);
const ffmpegPath = resolveFfmpegPath();
const workers = os.availableParallelism();
const loadAverage = os.loadavg()[0]!;
console.log(`measuring with ${workers} workers / ffmpeg processes at a time (load average before: ${loadAverage.toFixed(2)}; other work on the machine skews the numbers):`);
const sampler = rssSampler();
const decodeOnly = () => forEachConcurrent(library.files, workers, async (file) => runFfmpeg(ffmpegPath, ffmpegArguments(file)));
const failures: string[] = [];
const dbDir = await fs.mkdtemp(path.join(os.tmpdir(), 'sonority-bench-'));
const db = openDatabase(path.join(dbDir, 'library.db'));
const model = await loadGenreModel(await loadTensorFlow());
const scan = () => scanLibrary({ root: library.root, db, ffmpegPath, workers, model, onEvent: (e) => void (e.type === 'failure' && failures.push(`${e.path}: ${e.message}`)) });
try {
  const before = await measure('decode only (before)', count, sampler, decodeOnly);
  const viaInterface = await measure('decoder interface', count, sampler, () => decodeThroughInterface(library.files, workers, ffmpegPath));
  const engine = await measure('engine on decode', count, sampler, () => scanIntoFreshDatabase(library.root, { ffmpegPath, workers, analysisWorker: DECODE_ONLY_WORKER }, failures));
  checkScan(engine.result, { analysed: count, skipped: 0 }, failures);
  const after = await measure('decode only (after)', count, sampler, decodeOnly);
  const first = await measure('first scan (full)', count, sampler, scan);
  checkScan(first.result, { analysed: count, skipped: 0 }, failures);
  const rescan = await measure('rescan (unchanged)', count, sampler, scan);
  checkScan(rescan.result, { analysed: 0, skipped: count }, failures);
  const sampleTracks = library.files.filter((_, i) => i % Math.floor(count / DESCRIPTOR_SAMPLE_TRACKS) === 0).slice(0, DESCRIPTOR_SAMPLE_TRACKS);
  const speed = await measureDescriptorSpeed(sampleTracks);
  const modelSpeed = await measureModelSpeed(sampleTracks);
  const musicnnSpeed = await measureMusicnnStages(sampleTracks);

  const phases = { before: before.phase, interface: viaInterface.phase, engine: engine.phase, after: after.phase, scan: first.phase, rescan: rescan.phase };
  const ratios = compare(phases);
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  report(Object.values(phases), library.totalHours, ratios, speed, maxRssMb);
  const descriptorBytes = db.prepare('SELECT AVG(LENGTH(window_starts) + LENGTH(windows) + LENGTH(frame_starts) + LENGTH(frames) + 8) AS bytes FROM descriptors').get() as { bytes: number };
  console.log(`descriptor storage: ${descriptorBytes.bytes.toFixed(0)} bytes per track on average`);
  const musicnnBytes = db.prepare(`SELECT AVG(LENGTH(window_starts) + LENGTH(window_patches) + LENGTH(patch_starts) + IFNULL(LENGTH(tags) + LENGTH(window_tags) + LENGTH(heads) + LENGTH(patch_heads) + LENGTH(embeddings), 0))
    + IFNULL((SELECT AVG(LENGTH(embedding)) FROM musicnn_means), 0) AS bytes FROM musicnn`).get() as { bytes: number };
  console.log(`MusiCNN storage: ${musicnnBytes.bytes.toFixed(0)} bytes per track on average`);
  console.log(`the same ${sampleTracks.length} tracks, one at a time in this thread:\n${formatStageSpeeds(speed, musicnnSpeed)}`);
  console.log(formatModelSpeed(modelSpeed));
  const results = {
    date: new Date().toISOString(),
    machine: { cpus: os.availableParallelism(), cpuModel: os.cpus()[0]?.model ?? null, loadAverage, node: process.version, ffmpeg: ffmpegPath },
    library: { root: library.root, tracks: count, hours: library.totalHours, bytes: library.bytes, buildSeconds: library.buildSeconds, cached: library.cached },
    workers,
    phases,
    ratios,
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
  model.dispose();
  db.close();
  await fs.rm(dbDir, { recursive: true, force: true });
}

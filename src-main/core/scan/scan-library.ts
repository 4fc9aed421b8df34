import { scoreNewTracks } from '../learning/scan-opinions.ts';
import type { Taxonomy } from '../taxonomy/taxonomy.ts';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describeFileError, SonorityError } from '../errors.ts';
import { runPipeline, type Stage } from '../pipeline/runner.ts';
import { WorkerPool } from '../pipeline/worker-pool.ts';
import type { Db } from '../db/open-database.ts';
import { createTracksStore } from '../db/tracks-store.ts';
import { createFailuresStore } from '../db/failures-store.ts';
import { createScansStore } from '../db/scans-store.ts';
import { createMusicnnStore } from '../db/musicnn-store.ts';
import { FEATURE_SET_VERSION } from '../analysis/analyse-file.ts';
import type { TrackRequest, TrackResult } from '../analysis/analyse-track.ts';
import { currentMusicnnVersion } from '../musicnn/model-metadata.ts';
import { forcedMusicnnRuntime } from '../musicnn/tagger-runtime.ts';
import { walkFolder, type FoundFile } from './walk.ts';
import { ProgressTracker, type Outcome, type ScanProgress } from './progress.ts';
import { classifyLibrary } from '../classify/classify-library.ts';
import type { GenreModel } from '../model/genre-model.ts';
import { analysisRequest, assertUnchangedSinceWalk, attachTags, ignoredByName, storeAnalysed, triage, withResult, type ScanItem, type StageContext } from './scan-stages.ts';
import { removeAbandonedTemporaryFiles } from '../writeback/settle-pending.ts';

export type ScanEvent =
  | { type: 'started'; scanId: number; root: string; workers: number }
  | { type: 'found'; path: string }
  | { type: 'failure'; path: string; stage: string; code: string; message: string }
  | { type: 'progress'; progress: ScanProgress }
  /** Once per scan, when the first MusiCNN analysis comes back: the model and the runtime that ran it (again should a worker use another). */
  | { type: 'musicnn'; model: string; runtime: string; note?: string }
  | { type: 'classify'; done: number; total: number };

export interface ScanOptions {
  root: string;
  db: Db;
  ffmpegPath?: string;
  /** Worker threads for decoding and DSP (default: the number of cores). */
  workers?: number;
  /** Worker script of the analysis stage (default: descriptors and MusiCNN); a module that serves `TrackRequest` → `TrackResult`. */
  analysisWorker?: URL;
  /** Genre model for the classify stage, run after the analysis on every track it has not predicted yet. */
  model?: GenreModel;
  /** Retry files whose earlier failure would otherwise be kept as is. */
  retryFailed?: boolean;
  /** With `model`: tracks the library's stored CRNN has no opinion of get one after the classify stage; the taxonomy (read only then) gives their trusted genre. */
  taxonomy?: () => Taxonomy;
  signal?: AbortSignal;
  onEvent?: (event: ScanEvent) => void;
}

export interface ScanSummary {
  scanId: number;
  root: string;
  status: 'completed' | 'cancelled';
  found: number;
  analysed: number;
  skipped: number;
  moved: number;
  failed: number;
  gone: number;
  ignored: number;
  /** Tracks the classify stage predicted (new, re-analysed, or left from an interrupted run). */
  predicted: number;
  /** Tracks the library's stored CRNN gave an opinion (added since it was trained). */
  learnedOpinions: number;
  seconds: number;
  /** Where the analysis time went: the workers' decoding, descriptors and MusiCNN, summed over files (so up to workers × wall time), and the classify stage. */
  stageSeconds: StageSeconds;
}

/** Seconds spent in each stage of a scan. */
export interface StageSeconds {
  decode: number;
  descriptors: number;
  musicnn: number;
  classify: number;
}

/** The library's opinions of new tracks; when they cannot be made now (an unreadable taxonomy), the scan still succeeds and the next one tries again. */
function scoreNewTracksOrLater(db: Db, model: GenreModel, taxonomy: () => Taxonomy): number {
  try {
    return scoreNewTracks(db, model.metadata, taxonomy);
  } catch {
    return 0;
  }
}

/** The stages a file enters after triage: its failure there ends an analysis, which the rate counts. */
const ANALYSIS_STAGES: ReadonlySet<string> = new Set(['tags', 'analyse', 'store']);

const ANALYSIS_WORKER = new URL('../analysis/analysis-worker.ts', import.meta.url);

/** Emits a `musicnn` event for each runtime the analysis results name, the first time one does. */
function musicnnRuntimeAnnouncer(emit: (event: ScanEvent) => void): (result: TrackResult) => void {
  const announced = new Set<string>();
  return ({ musicnn }) => {
    if (!musicnn.ok || !musicnn.analysis.runtime || announced.has(musicnn.analysis.runtime)) return;
    const { model, runtime, runtimeNote } = musicnn.analysis;
    announced.add(runtime);
    emit({ type: 'musicnn', model, runtime, ...(runtimeNote ? { note: runtimeNote } : {}) });
  };
}

/** Resolves the folder to scan, with a specific error when it is missing or not a folder. */
async function resolveRoot(root: string): Promise<string> {
  const resolved = path.resolve(root);
  const stat = await fs.stat(resolved).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new SonorityError('folder-missing', `the folder ${resolved} does not exist`);
    throw new SonorityError('folder-unreadable', `cannot open the folder ${resolved}: ${describeFileError(error).message}`);
  });
  if (!stat.isDirectory()) throw new SonorityError('not-a-folder', `${resolved} is a file, not a folder; give the folder that holds your music`);
  return fs.realpath(resolved);
}

/**
 * Scans a music folder into the library: walks it, skips what is unchanged,
 * reads tags, decodes and analyses in worker threads, and stores each file in
 * its own transaction, so a killed scan loses at most the files in flight and
 * the next scan resumes. Per-file problems are recorded as failures; only
 * problems with the folder or the database throw.
 */
export async function scanLibrary(options: ScanOptions): Promise<ScanSummary> {
  const root = await resolveRoot(options.root);
  const emit = options.onEvent ?? (() => {});
  forcedMusicnnRuntime(process.env); // a bad setting stops the scan here rather than failing every file's MusiCNN stage
  const tracks = createTracksStore(options.db, FEATURE_SET_VERSION, currentMusicnnVersion());
  const failures = createFailuresStore(options.db);
  const scans = createScansStore(options.db);
  const scanId = scans.start(root);
  await removeAbandonedTemporaryFiles(options.db); // what killed tag writes left, as large as the audio files
  const progress = new ProgressTracker();
  const settle = (_file: FoundFile, outcome: Outcome) => {
    progress.record(outcome, outcome === 'analysed');
    emit({ type: 'progress', progress: progress.snapshot() });
  };
  const reportPartialFailure = (file: FoundFile, stage: string, { code, message }: { code: string; message: string }) => emit({ type: 'failure', path: file.path, stage, code, message });
  const context: StageContext = {
    scanId, tracks, failures, musicnn: createMusicnnStore(options.db), retryFailed: options.retryFailed ?? false,
    atomically: (work) => options.db.transaction(work)(), settle, reportPartialFailure,
  };
  const announceRuntime = musicnnRuntimeAnnouncer(emit);
  const stageSeconds: StageSeconds = { decode: 0, descriptors: 0, musicnn: 0, classify: 0 };
  const addTimings = ({ decodeMs, descriptorsMs, musicnnMs }: TrackResult['timings']) => {
    stageSeconds.decode += decodeMs / 1000;
    stageSeconds.descriptors += descriptorsMs / 1000;
    stageSeconds.musicnn += musicnnMs / 1000;
  };
  const recordFailure = (file: { path: string; size?: number; mtimeMs?: number }, stage: string, error: unknown) => {
    const { code, message } = describeFileError(error);
    failures.record({ path: file.path, stage, code, message, size: file.size ?? null, mtimeMs: file.mtimeMs ?? null }, scanId);
    tracks.markFailed(file.path, scanId);
    emit({ type: 'failure', path: file.path, stage, code, message });
    progress.record('failed', ANALYSIS_STAGES.has(stage));
    emit({ type: 'progress', progress: progress.snapshot() });
  };

  // A problem that makes every file fail (no working ffmpeg) stops the scan instead.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const pool = new WorkerPool<TrackRequest, TrackResult>(options.analysisWorker ?? ANALYSIS_WORKER, options.workers ?? os.availableParallelism());
  emit({ type: 'started', scanId, root, workers: pool.size });
  const stages: Stage[] = [
    { name: 'triage', concurrency: 4, run: (file: FoundFile) => triage(file, context) },
    {
      name: 'tags',
      concurrency: 2,
      run: (item: ScanItem) => {
        progress.enterAnalysis();
        return attachTags(item);
      },
    },
    {
      name: 'analyse',
      concurrency: pool.size,
      run: async (item: ScanItem, signal) => {
        const result = await pool.run(analysisRequest(item, options.ffmpegPath), { signal }).catch((error: { code?: string }) => {
          if (error.code === 'ffmpeg-missing') stop.abort(error);
          throw error;
        });
        addTimings(result.timings);
        await assertUnchangedSinceWalk(item);
        announceRuntime(result);
        return withResult(item, result);
      },
    },
    { name: 'store', run: (item: ScanItem) => storeAnalysed(item, context) },
  ];

  async function* walkAndCount(): AsyncGenerator<FoundFile> {
    for await (const entry of walkFolder(root)) {
      progress.walked++;
      if (entry.kind === 'problem') recordFailure(entry, 'walk', new SonorityError(entry.code, entry.message));
      else if (ignoredByName(entry, tracks)) settle(entry, 'ignored');
      else {
        emit({ type: 'found', path: entry.path });
        yield entry;
      }
    }
    progress.walking = false;
    emit({ type: 'progress', progress: progress.snapshot() });
  }

  try {
    await runPipeline(walkAndCount(), stages, {
      signal,
      buffer: pool.size * 2,
      sourceBuffer: 10_000,
      onError: (stage, item, error) => {
        if (!signal.aborted) recordFailure(item as FoundFile, stage, error);
      },
    });
  } finally {
    await pool.close();
  }
  const analysedAll = !signal.aborted;
  const gone = analysedAll ? tracks.markGoneUnder(root, scanId) : 0;
  if (analysedAll) failures.clearUnseenUnder(root, scanId);
  let predicted = 0;
  let classifyError: unknown;
  if (analysedAll && options.model) {
    const classifyStarted = performance.now();
    predicted = await classifyLibrary({ db: options.db, model: options.model, signal, onProgress: (p) => emit({ type: 'classify', ...p }) }).catch((error: unknown) => {
      classifyError = error;
      return 0;
    });
    stageSeconds.classify = (performance.now() - classifyStarted) / 1000;
  }
  const learnedOpinions = analysedAll && options.model && options.taxonomy && !classifyError ? scoreNewTracksOrLater(options.db, options.model, options.taxonomy) : 0;
  // Stopped during the classify stage: the analysis is complete, the predictions resume next time.
  const status = signal.aborted || classifyError ? 'cancelled' : 'completed';
  const final = progress.snapshot();
  const { analysed, skipped, moved, failed, ignored } = final;
  const summary: ScanSummary = { scanId, root, status, found: final.walked - ignored, analysed, skipped, moved, failed, gone, ignored, predicted, learnedOpinions, seconds: final.elapsedSec, stageSeconds };
  scans.finish(scanId, status, summary);
  if (classifyError) throw new SonorityError('classify-failed', `the analysis was saved, but the genre model failed: ${(classifyError as Error).message ?? String(classifyError)}`, { cause: classifyError });
  if (stop.signal.aborted) throw new SonorityError('ffmpeg-missing', (stop.signal.reason as Error).message);
  return summary;
}

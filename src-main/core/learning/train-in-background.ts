import { Worker } from 'node:worker_threads';
import { SonorityError } from '../errors.ts';
import type { LearningSummary } from '../shapes.ts';

/** What the training worker needs: it opens its own connection to the database. */
export interface TrainingRequest {
  databasePath: string;
  base: { id: string; featureSet: string };
  taxonomyPath?: string;
  /** The worker's environment over the process's (`SONORITY_TF_BACKEND` chooses the backend). */
  env: Record<string, string | undefined>;
  /** One Int32: 1 asks the worker to stop at its next training step. */
  cancelFlag: SharedArrayBuffer;
}

/** What the worker posts. */
export type TrainingMessage =
  | { type: 'runtime'; description: string }
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; summary: LearningSummary }
  | { type: 'error'; code: string; message: string };

/** Training progress as people see it. */
export interface TrainingProgress {
  /** Training steps done and in all (the out-of-fold fits, then the final fit). */
  done: number;
  total: number;
  seconds: number;
  /** Seconds left at the rate so far; null before the first step. */
  etaSeconds: number | null;
}

/** A training running in a worker thread. */
export interface BackgroundTraining {
  /** Resolves with the stored model's summary; rejects with a SonorityError (`cancelled` when cancelled). */
  result: Promise<LearningSummary>;
  /** Asks the worker to stop at its next step; nothing is stored. */
  cancel(): void;
}

const WORKER = new URL('./training-worker.ts', import.meta.url);

/**
 * Trains the library model in a worker thread, so the caller's thread (the
 * app's main process) stays responsive: `onProgress` gets each step with
 * the elapsed time and an ETA, `onRuntime` the TensorFlow.js backend used.
 * The worker writes the model into the database in one transaction at the
 * end; cancelling before that leaves the previous model as it was.
 */
export function trainInBackground(request: Omit<TrainingRequest, 'cancelFlag'>, handlers: { onProgress?: (progress: TrainingProgress) => void; onRuntime?: (description: string) => void } = {}): BackgroundTraining {
  const cancelFlag = new SharedArrayBuffer(4);
  const worker = new Worker(WORKER, { workerData: { ...request, cancelFlag } satisfies TrainingRequest, env: { ...process.env, ...Object.fromEntries(Object.entries(request.env).filter(([, value]) => value !== undefined)) } });
  const started = performance.now();
  const result = new Promise<LearningSummary>((resolve, reject) => {
    worker.on('message', (message: TrainingMessage) => {
      if (message.type === 'runtime') handlers.onRuntime?.(message.description);
      else if (message.type === 'progress') {
        const seconds = (performance.now() - started) / 1000;
        handlers.onProgress?.({ done: message.done, total: message.total, seconds, etaSeconds: message.done > 0 ? (seconds / message.done) * (message.total - message.done) : null });
      } else if (message.type === 'done') resolve(message.summary);
      else reject(new SonorityError(message.code, message.message));
    });
    worker.on('error', (error) => reject(new SonorityError('learning-failed', `the learning worker failed: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => reject(new SonorityError('learning-failed', `the learning worker stopped (exit code ${code}) before it finished`)));
  });
  void result.finally(() => void worker.terminate()).catch(() => {});
  return { result, cancel: () => Atomics.store(new Int32Array(cancelFlag), 0, 1) };
}

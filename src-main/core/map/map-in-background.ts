import { Worker } from 'node:worker_threads';
import { SonorityError } from '../errors.ts';
import type { MapUpdate } from './update-map.ts';

/** What the map worker needs: it opens its own connection to the database. */
export interface MapRequest {
  databasePath: string;
  recompute: boolean;
}

/** What the worker posts. */
export type MapMessage = { type: 'done'; update: MapUpdate } | { type: 'error'; code: string; message: string };

const WORKER = new URL('./map-worker.ts', import.meta.url);

/**
 * Brings the library map up to date (`updateMap`) in a worker thread, so
 * the caller's thread (the app's main process) stays responsive while UMAP
 * runs; the worker stores the result in its own transaction. Resolves with
 * what it did; rejects with a SonorityError (`map-failed`).
 */
export function updateMapInBackground(request: MapRequest): Promise<MapUpdate> {
  const worker = new Worker(WORKER, { workerData: request satisfies MapRequest });
  const result = new Promise<MapUpdate>((resolve, reject) => {
    worker.on('message', (message: MapMessage) => (message.type === 'done' ? resolve(message.update) : reject(new SonorityError(message.code, message.message))));
    worker.on('error', (error) => reject(new SonorityError('map-failed', `the map worker failed: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => reject(new SonorityError('map-failed', `the map worker stopped (exit code ${code}) before it finished`)));
  });
  void result.finally(() => void worker.terminate()).catch(() => {});
  return result;
}

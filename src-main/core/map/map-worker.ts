/**
 * The worker thread that updates the library map (see
 * `map-in-background.ts`): opens the database itself, runs `updateMap` and
 * posts what it did, or the error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { withDatabaseFile } from '../db/open-database.ts';
import { updateMap } from './update-map.ts';
import type { MapMessage, MapRequest } from './map-in-background.ts';

const request = workerData as MapRequest;
const post = (message: MapMessage) => parentPort!.postMessage(message);

try {
  const update = await withDatabaseFile(request.databasePath, 'write', (db) => updateMap(db, { recompute: request.recompute }));
  post({ type: 'done', update });
} catch (error) {
  const { code, message } = error as { code?: string; message?: string };
  post({ type: 'error', code: code ?? 'map-failed', message: message ?? String(error) });
}

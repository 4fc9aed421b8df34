/**
 * The worker thread that trains the library model (see
 * `train-in-background.ts`): opens the database itself (checked, as every
 * writer does), trains, stores the
 * result in one transaction, and posts progress, the summary or the error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { withDatabaseFile } from '../db/open-database.ts';
import { loadTensorFlow, describeRuntime } from '../model/tf-runtime.ts';
import { loadTaxonomy } from '../taxonomy/taxonomy-file.ts';
import { SonorityError } from '../errors.ts';
import { trainLibraryModel } from './train-library-model.ts';
import type { TrainingRequest, TrainingMessage } from './train-in-background.ts';

const request = workerData as TrainingRequest;
const cancelled = new Int32Array(request.cancelFlag);
const post = (message: TrainingMessage) => parentPort!.postMessage(message);
const controller = new AbortController();

try {
  const runtime = await loadTensorFlow(request.env);
  post({ type: 'runtime', description: describeRuntime(runtime) });
  const summary = await withDatabaseFile(request.databasePath, 'write', (db) => trainLibraryModel(db, runtime, request.base, loadTaxonomy(request.taxonomyPath), {
    onProgress: (done, total) => {
      if (Atomics.load(cancelled, 0) === 1) controller.abort(new SonorityError('cancelled', 'learning was cancelled; the previous library model is kept'));
      post({ type: 'progress', done, total });
    },
    signal: controller.signal,
  }));
  post({ type: 'done', summary });
} catch (error) {
  const { code, message } = error as { code?: string; message?: string };
  post({ type: 'error', code: code ?? 'learning-failed', message: message ?? String(error) });
}

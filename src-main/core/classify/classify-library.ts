import type { Db } from '../db/open-database.ts';
import { createPredictionsStore, type StoredDescriptors } from '../db/predictions-store.ts';
import { runPipeline, type Stage } from '../pipeline/runner.ts';
import type { GenreModel, TrackPrediction } from '../model/genre-model.ts';

/** Progress of the classify stage. */
export interface ClassifyProgress {
  done: number;
  total: number;
}

/** What the classify stage runs on, and how it reports. */
export interface ClassifyOptions {
  db: Db;
  model: GenreModel;
  signal?: AbortSignal;
  onProgress?: (progress: ClassifyProgress) => void;
  /** Tracks per model call (default 64). */
  batchSize?: number;
}

type Batch = StoredDescriptors[];
type Predicted = { track: StoredDescriptors; prediction: TrackPrediction }[];

async function* batchesOf(ids: number[], size: number, load: (id: number) => StoredDescriptors): AsyncGenerator<Batch> {
  for (let i = 0; i < ids.length; i += size) yield ids.slice(i, i + size).map(load);
}

/**
 * The classify stage: runs the genre model on every analysed track that has
 * descriptors of the model's feature set but no prediction by this model (so
 * a new model, or a re-analysed track, gets predicted and an interrupted run
 * resumes), in batches, each stored in one transaction. Returns how many
 * tracks it predicted.
 */
export async function classifyLibrary(options: ClassifyOptions): Promise<number> {
  const { metadata } = options.model;
  const store = createPredictionsStore(options.db, metadata);
  const ids = store.pendingTrackIds();
  const progress: ClassifyProgress = { done: 0, total: ids.length };
  options.onProgress?.({ ...progress });
  const stages: Stage[] = [
    { name: 'classify', run: (batch: Batch): Predicted => options.model.predictTracks(batch).map((prediction, i) => ({ track: batch[i]!, prediction })) },
    {
      name: 'store-predictions',
      run: (predicted: Predicted) => {
        store.saveAll(predicted);
        progress.done += predicted.length;
        options.onProgress?.({ ...progress });
        return undefined;
      },
    },
  ];
  let failure: unknown;
  await runPipeline(batchesOf(ids, options.batchSize ?? 64, store.loadDescriptors), stages, { signal: options.signal, onError: (_stage, _item, error) => void (failure ??= error) });
  if (failure) throw failure;
  return progress.done;
}

import path from 'node:path';
import { loadTensorFlow } from '../../src-main/core/model/tf-runtime.ts';
import { loadGenreModel, type GenreModel } from '../../src-main/core/model/genre-model.ts';
import { readFeatureTable, readIdList, selectRows } from '../../src-main/core/model/feature-table.ts';
import type { LabelledRows } from '../../src-main/core/model/train-genre-model.ts';
import { GTZAN } from './gtzan.ts';

export const TRAINVAL_TABLE = path.join(GTZAN, 'features_30_sec.trainval.csv');

/** The shipped genre model on the portable backend (tests never depend on tfjs-node being installed). */
export async function shippedModel(): Promise<GenreModel> {
  return loadGenreModel(await loadTensorFlow({ SONORITY_TF_BACKEND: 'wasm' }));
}

/** The train or valid rows of the GTZAN table with their labels. */
export function splitRows(split: 'train' | 'valid'): LabelledRows {
  const rows = selectRows(readFeatureTable(TRAINVAL_TABLE), readIdList(path.join(GTZAN, 'splits', `${split}.txt`)), split);
  return { ids: rows.ids, rows: rows.rows, labels: rows.labels as string[] };
}

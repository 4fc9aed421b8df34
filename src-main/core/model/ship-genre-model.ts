import fs from 'node:fs';
import path from 'node:path';
import type { TfRuntime } from './tf-runtime.ts';
import { readFeatureTable, readIdList, selectRows, type FeatureTable } from './feature-table.ts';
import { trainGenreModel, type CandidateResult, type LabelledRows } from './train-genre-model.ts';
import { saveGenreModel } from './model-files.ts';
import { loadGenreModel } from './genre-model.ts';
import { DEFAULT_DECISION } from './decision.ts';
import { buildModelCard, modelCardMarkdown, type ModelCard } from './model-card.ts';
import { confusionMatrixSvg } from './confusion-svg.ts';
import { FEATURE_SET_VERSION } from '../analysis/analyse-file.ts';
import { SonorityError } from '../errors.ts';

/** The table, split lists, output folder and seed of a training run. */
export interface ShipOptions {
  table: string;
  trainIds: string;
  validIds: string;
  out: string;
  seed: number;
  onCandidate?: (result: CandidateResult) => void;
}

function labelled(table: FeatureTable, listFile: string): LabelledRows {
  const rows = selectRows(table, readIdList(listFile), path.basename(listFile));
  if (rows.labels.some((label) => label === null)) throw new SonorityError('bad-table', `the feature table has no label column; training needs one`);
  return { ids: rows.ids, rows: rows.rows, labels: rows.labels as string[] };
}

/** Median milliseconds of `repeats` calls of `predict`, after a warm-up call. */
function timeInference(predict: () => void, repeats = 50): number {
  predict();
  const times = Array.from({ length: repeats }, () => {
    const start = performance.now();
    predict();
    return performance.now() - start;
  }).sort((a, b) => a - b);
  return times[repeats >> 1]!;
}

/**
 * `npm run train`: trains with the protocol of `trainGenreModel`, writes the
 * model (TensorFlow.js layers format + metadata) into `out`, measures
 * inference, and writes the model card (`card.json`, `MODEL_CARD.md`, the
 * valid confusion matrix as SVG). Returns the card.
 */
export async function shipGenreModel(runtime: TfRuntime, options: ShipOptions): Promise<ModelCard> {
  const table = readFeatureTable(options.table);
  const [train, valid] = [labelled(table, options.trainIds), labelled(table, options.validIds)];
  const trained = trainGenreModel(runtime, train, valid, options.seed, options.onCandidate);
  const metadata = await saveGenreModel(runtime.tf, trained.network.model, options.out, {
    format: 'sonority-genre-model', version: 1, featureSet: FEATURE_SET_VERSION, labels: trained.labels,
    architecture: { name: trained.chosen.name, summary: trained.chosen.summary, ...trained.chosen.network },
    standardiser: trained.standardiser, temperature: trained.calibration.temperature, ood: trained.ood, decision: DEFAULT_DECISION,
    trainedIds: trained.trainedIds, seed: trained.seed,
  });
  const parameters = trained.network.model.countParams();
  trained.network.model.dispose();
  const model = await loadGenreModel(runtime, options.out);
  const track = { windows: valid.rows.slice(0, 3), frames: [] };
  const msPerTrack = timeInference(() => model.predictTracks([track]));
  model.dispose();
  const card = buildModelCard(trained, metadata, {
    table: path.basename(options.table), trainCount: train.ids.length, validCount: valid.ids.length,
    backend: runtime.backend, tfjsVersion: runtime.tf.version.tfjs, parameters, weightsBytes: fs.statSync(path.join(options.out, 'weights.bin')).size,
    inference: { backend: runtime.backend, msPerTrack, windowsPerTrack: track.windows.length },
  });
  fs.writeFileSync(path.join(options.out, 'card.json'), `${JSON.stringify(card, null, 1)}\n`);
  fs.writeFileSync(path.join(options.out, 'confusion-valid.svg'), confusionMatrixSvg(trained.valid.confusion, trained.labels, { title: `${metadata.id} on valid` }));
  fs.writeFileSync(path.join(options.out, 'MODEL_CARD.md'), modelCardMarkdown(card, 'confusion-valid.svg'));
  return card;
}

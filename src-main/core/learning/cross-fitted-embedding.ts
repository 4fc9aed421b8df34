import fs from 'node:fs';
import path from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import type { TfRuntime } from '../model/tf-runtime.ts';
import { CANDIDATES, type Candidate } from '../model/candidates.ts';
import { DEFAULT_MODEL_DIR } from '../model/model-files.ts';
import { buildNetwork } from '../model/network.ts';
import { trainMember } from '../model/train-member.ts';
import { fitStandardiser, standardise } from '../model/standardiser.ts';
import { MODEL_LABELS } from '../taxonomy/taxonomy.ts';
import { artistGroups, assignFolds } from './artist-folds.ts';

/** Labelled descriptor rows (model labels) with their artists. */
export interface BaseTrainingRows {
  rows: readonly ArrayLike<number>[];
  labels: readonly string[];
  artists: readonly (string | null)[];
}

/** How a model was trained, from its card (`card.json` in `dir`): the chosen candidate, its first member's epoch count, and the seed. */
export function trainingRecipeOf(dir: string = DEFAULT_MODEL_DIR): { candidate: Candidate; epochs: number; seed: number } {
  const card = JSON.parse(fs.readFileSync(path.join(dir, 'card.json'), 'utf8')) as { chosen: string; seed: number; candidates: { name: string; epochs: number[] }[] };
  return { candidate: CANDIDATES.find((c) => c.name === card.chosen)!, epochs: card.candidates.find((c) => c.name === card.chosen)!.epochs[0]!, seed: card.seed };
}

/**
 * Embeddings that do not know the answer, for evaluating library learning
 * on the base model's own training data: the rows are split into two
 * artist-grouped halves (stratified by label), a base network of
 * `candidate`'s architecture and training spec is trained for `epochs`
 * epochs on one half's labels and embeds the other half, and vice versa.
 * Each half is standardised with its training half's standardiser, as the
 * shipped model standardises with its training rows'. Returns the half of
 * each row (0 or 1) and its embedding (the last hidden layer). The two
 * networks' hidden units need not mean the same, so only the rows of one
 * half share an embedding space.
 */
export function crossFittedEmbeddings(runtime: TfRuntime, data: BaseTrainingRows, candidate: Candidate, epochs: number, seed: number): { half: Int32Array; embeddings: Float32Array[] } {
  const { tf } = runtime;
  const labels = Int32Array.from(data.labels, (label) => (MODEL_LABELS as readonly string[]).indexOf(label));
  const missing = data.labels.find((_, i) => labels[i]! < 0);
  if (missing !== undefined) throw new RangeError(`"${missing}" is not a model label (${MODEL_LABELS.join(', ')})`);
  const half = assignFolds(artistGroups(data.artists), labels, 2, seed);
  const embeddings = new Array<Float32Array>(data.rows.length);
  for (const held of [0, 1]) {
    const [train, test] = [1 - held, held].map((h) => [...half.keys()].filter((i) => half[i] === h));
    const standardiser = fitStandardiser(train!.map((i) => data.rows[i]!));
    const inputs = (rows: number[]) => tf.tensor2d(standardise(standardiser, rows.map((i) => data.rows[i]!)).map((r) => Array.from(r)));
    const network = buildNetwork(tf, { ...candidate.network, inputs: data.rows[0]!.length, classes: MODEL_LABELS.length }, seed);
    const x = inputs(train!);
    network.members.forEach((layers, m) => trainMember(tf, layers, candidate.training, { x, y: train!.map((i) => labels[i]!) }, seed + m, { epochs }));
    const embedded = inputs(test!);
    const outputs = network.model.predict(embedded) as TF.Tensor[];
    const values = outputs[1]!.arraySync() as number[][];
    test!.forEach((row, k) => (embeddings[row] = Float32Array.from(values[k]!)));
    [x, embedded, ...outputs].forEach((tensor) => tensor.dispose());
    network.model.dispose();
  }
  return { half, embeddings };
}

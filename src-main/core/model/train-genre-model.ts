import type * as TF from '@tensorflow/tfjs';
import type { TfRuntime } from './tf-runtime.ts';
import { CANDIDATES, type Candidate } from './candidates.ts';
import { buildNetwork, type Network } from './network.ts';
import { trainMember, type Examples } from './train-member.ts';
import { fitStandardiser, standardise, type Standardiser } from './standardiser.ts';
import { classificationReport, type ClassificationReport } from './metrics.ts';
import { expectedCalibrationError, fitTemperature, negativeLogLikelihood, softmax } from './calibration.ts';
import { fitOod, type OodModel } from './ood.ts';
import { MODEL_LABELS } from '../taxonomy/taxonomy.ts';
import { SonorityError } from '../errors.ts';

/** Labelled rows of 57 raw descriptors. */
export interface LabelledRows {
  ids: string[];
  rows: ArrayLike<number>[];
  labels: string[];
}

/** One compared model, trained on train and measured on valid. */
export interface CandidateResult {
  name: string;
  summary: string;
  memberEpochs: number[];
  seconds: number;
  valid: ClassificationReport;
}

/** Calibration of the chosen model on valid, before and after temperature scaling. */
export interface CalibrationResult {
  temperature: number;
  eceBefore: number;
  /** ECE with temperatures cross-fitted on the two halves of valid (each half scaled by the other's fit). */
  eceAfter: number;
  nllBefore: number;
  nllAfter: number;
}

/** Everything training produces: the shipped network and what the model card reports. */
export interface TrainedGenreModel {
  candidates: CandidateResult[];
  chosen: Candidate;
  /** The chosen model's valid report (trained on train only), temperature-scaled. */
  valid: ClassificationReport;
  /** Those temperature-scaled valid probabilities, with the true class of each row. */
  validProbabilities: number[][];
  validTruth: number[];
  calibration: CalibrationResult;
  /** The shipped network, refitted on train+valid. */
  network: Network;
  standardiser: Standardiser;
  ood: OodModel;
  labels: string[];
  trainedIds: string[];
  seed: number;
  seconds: number;
}

function labelIndices(rows: LabelledRows, name: string): number[] {
  return rows.labels.map((label, i) => {
    const index = (MODEL_LABELS as readonly string[]).indexOf(label);
    if (index < 0) throw new SonorityError('bad-table', `${name} row ${rows.ids[i]} has the label "${label}", not one of ${MODEL_LABELS.join(', ')}`);
    return index;
  });
}

function examples(tf: TfRuntime['tf'], standardiser: Standardiser, rows: LabelledRows, name: string): Examples {
  return { x: tf.tensor2d(standardise(standardiser, rows.rows).map((r) => Array.from(r))), y: labelIndices(rows, name) };
}

function logitsOf(network: Network, x: TF.Tensor2D): number[][] {
  const [logits, embedding] = network.model.predict(x) as TF.Tensor[];
  const values = logits!.arraySync() as number[][];
  logits!.dispose();
  embedding!.dispose();
  return values;
}

function memberSeed(seed: number, member: number): number {
  return seed * 7919 + member;
}

function trainCandidate(runtime: TfRuntime, candidate: Candidate, train: Examples, valid: Examples, seed: number): { result: CandidateResult; logits: number[][] } {
  const started = performance.now();
  const network = buildNetwork(runtime.tf, { ...candidate.network, inputs: train.x.shape[1], classes: MODEL_LABELS.length }, seed);
  const memberEpochs = network.members.map((layers, m) => trainMember(runtime.tf, layers, candidate.training, train, memberSeed(seed, m), { valid }).epochs);
  const logits = logitsOf(network, valid.x);
  network.model.dispose();
  const probabilities = logits.map((row) => softmax(row));
  const seconds = (performance.now() - started) / 1000;
  return { result: { name: candidate.name, summary: candidate.summary, memberEpochs, seconds, valid: classificationReport(probabilities, valid.y, MODEL_LABELS) }, logits };
}

/** Temperature on valid, with ECE after scaling measured by cross-fitting on valid's even and odd rows. */
function calibrate(logits: number[][], y: number[]): CalibrationResult {
  const temperature = fitTemperature(logits, y);
  const halves = [0, 1].map((parity) => logits.map((_, i) => i).filter((i) => i % 2 === parity));
  const crossFitted = new Array<number[]>(logits.length);
  halves.forEach((half, h) => {
    const other = halves[1 - h]!;
    const t = fitTemperature(other.map((i) => logits[i]!), other.map((i) => y[i]!));
    for (const i of half) crossFitted[i] = softmax(logits[i]!, t);
  });
  const before = logits.map((row) => softmax(row));
  return {
    temperature,
    eceBefore: expectedCalibrationError(before, y),
    eceAfter: expectedCalibrationError(crossFitted, y),
    nllBefore: negativeLogLikelihood(before, y),
    nllAfter: negativeLogLikelihood(crossFitted, y),
  };
}

function concat(a: LabelledRows, b: LabelledRows): LabelledRows {
  return { ids: [...a.ids, ...b.ids], rows: [...a.rows, ...b.rows], labels: [...a.labels, ...b.labels] };
}

/**
 * The training protocol: every candidate is fitted on `train` and early-stopped
 * on `valid`; the best valid accuracy wins (ties keep the simpler one); its
 * temperature is fitted on valid; then it is refitted on train+valid from the
 * same seed for each member's early-stopped epoch count, and the
 * out-of-distribution model is fitted on all those rows.
 */
export function trainGenreModel(runtime: TfRuntime, train: LabelledRows, valid: LabelledRows, seed: number, onCandidate?: (result: CandidateResult) => void): TrainedGenreModel {
  const { tf } = runtime;
  const started = performance.now();
  const selectionStandardiser = fitStandardiser(train.rows);
  const [trainExamples, validExamples] = [examples(tf, selectionStandardiser, train, 'train'), examples(tf, selectionStandardiser, valid, 'valid')];
  const trained = CANDIDATES.map((candidate) => {
    const outcome = trainCandidate(runtime, candidate, trainExamples!, validExamples!, seed);
    onCandidate?.(outcome.result);
    return outcome;
  });
  const best = trained.reduce((a, b) => (b.result.valid.accuracy > a.result.valid.accuracy ? b : a));
  const chosen = CANDIDATES.find((c) => c.name === best.result.name)!;
  const calibration = calibrate(best.logits, validExamples!.y);
  const validProbabilities = best.logits.map((row) => softmax(row, calibration.temperature));
  const validTruth = validExamples!.y;
  const validReport = classificationReport(validProbabilities, validTruth, MODEL_LABELS);
  [trainExamples!, validExamples!].forEach((e) => e.x.dispose());

  const all = concat(train, valid);
  const standardiser = fitStandardiser(all.rows);
  const allExamples = examples(tf, standardiser, all, 'train+valid');
  const network = buildNetwork(tf, { ...chosen.network, inputs: allExamples.x.shape[1], classes: MODEL_LABELS.length }, seed);
  network.members.forEach((layers, m) => trainMember(tf, layers, chosen.training, allExamples, memberSeed(seed, m), { epochs: best.result.memberEpochs[m]! }));
  allExamples.x.dispose();
  const ood = fitOod(standardise(standardiser, all.rows));
  return {
    candidates: trained.map((t) => t.result), chosen, valid: validReport, validProbabilities, validTruth, calibration, network, standardiser, ood,
    labels: [...MODEL_LABELS], trainedIds: all.ids, seed, seconds: (performance.now() - started) / 1000,
  };
}

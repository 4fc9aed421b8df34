import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type * as TF from '@tensorflow/tfjs';
import type { Tf } from './tf-runtime.ts';
import type { Standardiser } from './standardiser.ts';
import type { OodModel } from './ood.ts';
import { SonorityError } from '../errors.ts';

/** Everything besides the weights that a shipped genre model needs (`genre-model.json`). */
export interface GenreModelMetadata {
  format: 'sonority-genre-model';
  version: 1;
  /** Stable id stored with every prediction: name plus a hash of weights and metadata. */
  id: string;
  /** The descriptor set the model reads; analyses of another set must be redone first. */
  featureSet: string;
  /** Class order of the outputs (model labels; display names come from the taxonomy). */
  labels: string[];
  architecture: { name: string; summary: string; hidden: number[]; members: number };
  standardiser: Standardiser;
  /** Softmax temperature fitted on valid. */
  temperature: number;
  ood: OodModel;
  decision: {
    /** Top probability from which a prediction counts as confident (when not out of distribution). */
    confidentProbability: number;
    /** Top-two probability gap under which a track is ambiguous. */
    ambiguousMargin: number;
  };
  /** Table ids the shipped weights were fitted on, so `eval` can warn about overlap. */
  trainedIds: string[];
  seed: number;
}

/** The shipped model's folder, inside the project (and the packaged app's resources). */
export const DEFAULT_MODEL_DIR = fileURLToPath(new URL('../../../models/genre-gtzan/', import.meta.url));

const FILES = { topology: 'model.json', weights: 'weights.bin', metadata: 'genre-model.json' };

function joined(data: TF.io.WeightData): Buffer {
  return Buffer.concat((Array.isArray(data) ? data : [data]).map((part) => Buffer.from(part)));
}

/**
 * Writes a model in TensorFlow.js layers format (`model.json`, `weights.bin`)
 * with its metadata, and returns the metadata with its id filled in.
 */
export async function saveGenreModel(tf: Tf, model: TF.LayersModel, dir: string, metadata: Omit<GenreModelMetadata, 'id'>): Promise<GenreModelMetadata> {
  fs.mkdirSync(dir, { recursive: true });
  let weights: Buffer = Buffer.alloc(0);
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    weights = joined(artifacts.weightData!);
    const manifest = [{ paths: [FILES.weights], weights: artifacts.weightSpecs }];
    fs.writeFileSync(path.join(dir, FILES.topology), `${JSON.stringify({ format: 'layers-model', generatedBy: artifacts.generatedBy, convertedBy: null, modelTopology: artifacts.modelTopology, weightsManifest: manifest })}\n`);
    fs.writeFileSync(path.join(dir, FILES.weights), weights);
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const hash = createHash('sha256').update(weights).update(JSON.stringify(metadata)).digest('hex').slice(0, 8);
  const complete: GenreModelMetadata = { ...metadata, id: `gtzan-${metadata.architecture.name}-${hash}` };
  fs.writeFileSync(path.join(dir, FILES.metadata), `${JSON.stringify(complete, null, 1)}\n`);
  return complete;
}

function readModelFile(dir: string, name: string): Buffer {
  try {
    return fs.readFileSync(path.join(dir, name));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    const hint = missing ? (path.resolve(dir) === path.resolve(DEFAULT_MODEL_DIR) ? 'no such file (run `npm run train`)' : 'no such file: is this a model folder?') : (error as Error).message;
    throw new SonorityError('model-missing', `cannot read the genre model's ${name} in ${dir}: ${hint}`);
  }
}

function parseModelJson<T>(dir: string, name: string): T {
  try {
    return JSON.parse(readModelFile(dir, name).toString('utf8')) as T;
  } catch (error) {
    if (error instanceof SonorityError) throw error;
    throw new SonorityError('model-invalid', `the genre model's ${name} in ${dir} is damaged: ${(error as Error).message}`);
  }
}

/** Reads only a saved model's metadata (its id, labels, thresholds), without TensorFlow.js. */
export function readModelMetadata(dir: string = DEFAULT_MODEL_DIR): GenreModelMetadata {
  const metadata = parseModelJson<GenreModelMetadata>(dir, FILES.metadata);
  if (metadata.format !== 'sonority-genre-model' || metadata.version !== 1) throw new SonorityError('model-invalid', `${path.join(dir, FILES.metadata)} is not a Sonority genre model (version 1)`);
  return metadata;
}

/** Reads a saved model folder: the layers model and its metadata. Throws `model-missing` or `model-invalid`. */
export async function readGenreModel(tf: Tf, dir: string): Promise<{ model: TF.LayersModel; metadata: GenreModelMetadata }> {
  const metadata = readModelMetadata(dir);
  const topology = parseModelJson<{ modelTopology: object; weightsManifest: { weights: TF.io.WeightsManifestEntry[] }[] }>(dir, FILES.topology);
  const weightData = new Uint8Array(readModelFile(dir, FILES.weights)).buffer;
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: topology.modelTopology, weightSpecs: topology.weightsManifest.flatMap((group) => group.weights), weightData })).catch((error: Error) => {
    throw new SonorityError('model-invalid', `the genre model in ${dir} cannot be loaded: ${error.message}`);
  });
  const outputs = (model.outputs[0]!.shape.at(-1) ?? 0) as number;
  if (outputs !== metadata.labels.length) throw new SonorityError('model-invalid', `the genre model in ${dir} has ${outputs} outputs but ${metadata.labels.length} labels`);
  return { model, metadata };
}

import fs from 'node:fs';
import path from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { SonorityError } from '../errors.ts';
import type { Tf } from '../model/tf-runtime.ts';

/** The parts of a TensorFlow.js graph-model `model.json` that loading needs. */
interface GraphModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: TF.io.WeightsManifestEntry[] }[];
  signature?: object;
  userDefinedMetadata?: Record<string, object>;
}

function readFile(dir: string, name: string, what: string): Buffer {
  try {
    return fs.readFileSync(path.join(dir, name));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new SonorityError('model-missing', `cannot read ${what}'s ${name} in ${dir}: ${reason}`);
  }
}

/** Reads and parses a JSON file of a model folder; `model-missing` or `model-invalid` naming `what` when it cannot. */
export function readModelJson<T>(dir: string, name: string, what: string): T {
  try {
    return JSON.parse(readFile(dir, name, what).toString('utf8')) as T;
  } catch (error) {
    if (error instanceof SonorityError) throw error;
    throw new SonorityError('model-invalid', `${what}'s ${name} in ${dir} is damaged: ${(error as Error).message}`);
  }
}

/**
 * Reads a TensorFlow.js graph model from a folder on disk (`model.json` and
 * the weight shards its manifest names, concatenated in manifest order) into
 * the artifacts `tf.loadGraphModel` takes, with no network and no `fetch`.
 */
export function readGraphModelArtifacts(dir: string, what: string): TF.io.ModelArtifacts {
  const json = readModelJson<GraphModelJson>(dir, 'model.json', what);
  if (json.format !== 'graph-model' || !json.modelTopology || !Array.isArray(json.weightsManifest)) throw new SonorityError('model-invalid', `${what}'s model.json in ${dir} is not a TensorFlow.js graph model`);
  const shards = json.weightsManifest.flatMap((group) => group.paths.map((shard) => readFile(dir, shard, what)));
  const weightData = new Uint8Array(Buffer.concat(shards)).buffer;
  return {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
    weightData,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy ?? null,
    ...(json.signature ? { signature: json.signature } : {}),
    ...(json.userDefinedMetadata ? { userDefinedMetadata: json.userDefinedMetadata } : {}),
  };
}

/** A TensorFlow.js IO handler that loads the graph model in `dir` from disk (see `readGraphModelArtifacts`). */
export function diskGraphModelHandler(dir: string, what: string): TF.io.IOHandler {
  return { load: async () => readGraphModelArtifacts(dir, what) };
}

/** Loads the graph model in `dir` on `tf` (no network); `model-missing` or `model-invalid` naming `what` when it cannot. */
export async function loadDiskGraphModel(tf: Tf, dir: string, what: string): Promise<TF.GraphModel> {
  return tf.loadGraphModel(diskGraphModelHandler(dir, what)).catch((error: Error) => {
    if (error instanceof SonorityError) throw error;
    throw new SonorityError('model-invalid', `${what} in ${dir} cannot be loaded: ${error.message}`);
  });
}

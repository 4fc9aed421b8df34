import { describeRuntime, loadTensorFlow } from '../core/model/tf-runtime.ts';
import { loadGenreModel, type GenreModel } from '../core/model/genre-model.ts';
import type { CliIo } from './io.ts';

/** Loads TensorFlow.js and the genre model (`--model DIR`, else `SONORITY_MODEL`, else the shipped one), logging the backend on stderr; also returns that backend's description. */
export async function loadModelAndBackendForCli(io: CliIo, dir?: string): Promise<{ model: GenreModel; backend: string }> {
  const runtime = await loadTensorFlow(io.env);
  const model = await loadGenreModel(runtime, dir ?? (io.env.SONORITY_MODEL || undefined));
  const backend = describeRuntime(runtime);
  io.stderr.write(`Genre model ${model.metadata.id} · ${backend}\n`);
  return { model, backend };
}

/** Loads the genre model like `loadModelAndBackendForCli`, returning the model only. */
export async function loadModelForCli(io: CliIo, dir?: string): Promise<GenreModel> {
  return (await loadModelAndBackendForCli(io, dir)).model;
}

import { describeRuntime, loadTensorFlow } from '../core/model/tf-runtime.ts';
import { loadGenreModel, type GenreModel } from '../core/model/genre-model.ts';
import type { CliIo } from './io.ts';

/** Loads TensorFlow.js and the genre model (`--model DIR`, else `SONORITY_MODEL`, else the shipped one), logging the backend on stderr. */
export async function loadModelForCli(io: CliIo, dir?: string): Promise<GenreModel> {
  const runtime = await loadTensorFlow(io.env);
  const model = await loadGenreModel(runtime, dir ?? (io.env.SONORITY_MODEL || undefined));
  io.stderr.write(`Genre model ${model.metadata.id} · ${describeRuntime(runtime)}\n`);
  return model;
}

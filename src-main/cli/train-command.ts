import { parseArgs } from 'node:util';
import path from 'node:path';
import { SonorityError } from '../core/errors.ts';
import { describeRuntime, loadTensorFlow } from '../core/model/tf-runtime.ts';
import { shipGenreModel } from '../core/model/ship-genre-model.ts';
import { writeJsonLine, type CliIo } from './io.ts';

export const TRAIN_USAGE = 'sonority train --features CSV --train IDS --valid IDS --out DIR [--seed N] [--json]';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** `sonority train` (`npm run train`): trains the genre model and writes it with its model card. */
export async function trainCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { features: { type: 'string' }, train: { type: 'string' }, valid: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string', default: '1' }, json: { type: 'boolean' } } });
  const { features, train, valid, out } = values;
  if (!features || !train || !valid || !out) throw new SonorityError('usage', `give the table, both id lists and the output folder\nusage: ${TRAIN_USAGE}`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new SonorityError('usage', `--seed takes a whole number ≥ 0, not "${values.seed}"`);
  const runtime = await loadTensorFlow(io.env);
  io.stderr.write(`${describeRuntime(runtime)}\nTraining on ${features} (seed ${seed})…\n`);
  const card = await shipGenreModel(runtime, {
    table: path.resolve(features), trainIds: path.resolve(train), validIds: path.resolve(valid), out: path.resolve(out), seed,
    onCandidate: (c) => io.stderr.write(`  ${c.name.padEnd(20)} valid accuracy ${pct(c.valid.accuracy)} · top-2 ${pct(c.valid.top2)} · NLL ${c.valid.nll.toFixed(3)} · ${c.seconds.toFixed(1)} s\n`),
  });
  if (values.json) writeJsonLine(io, card);
  else io.stdout.write(`Chose ${card.chosen}: valid accuracy ${pct(card.valid.accuracy)}, ECE ${card.calibration.eceBefore.toFixed(3)} → ${card.calibration.eceAfter.toFixed(3)} (T = ${card.calibration.temperature.toFixed(3)}).\nWrote ${card.modelId} to ${path.resolve(out)} in ${card.training.seconds.toFixed(1)} s.\n`);
  return 0;
}

import { parseArgs } from 'node:util';
import { SonorityError } from '../core/errors.ts';
import { readFeatureTable, readIdList, selectRows } from '../core/model/feature-table.ts';
import { classificationReport, formatReport } from '../core/model/metrics.ts';
import { writeJsonLine, type CliIo } from './io.ts';
import { loadModelForCli } from './model-loading.ts';

export const EVAL_USAGE = 'sonority eval --features CSV [--ids LIST] [--model DIR] [--json]';

/**
 * `sonority eval` (`npm run eval`): the shipped model on any table with the
 * GTZAN columns and a label column, each row read as a one-window track;
 * prints the model card's metrics, and warns when rows were in its training data.
 */
export async function evalCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { features: { type: 'string' }, ids: { type: 'string' }, model: { type: 'string' }, json: { type: 'boolean' } } });
  if (!values.features) throw new SonorityError('usage', `give the feature table\nusage: ${EVAL_USAGE}`);
  const full = readFeatureTable(values.features);
  const table = values.ids ? selectRows(full, readIdList(values.ids), values.ids) : full;
  if (table.ids.length === 0) throw new SonorityError('bad-table', `${values.features} has no rows to evaluate`);
  const model = await loadModelForCli(io, values.model);
  const { labels, trainedIds } = model.metadata;
  const truth = table.labels.map((label, i) => {
    const index = label === null ? -1 : labels.indexOf(label);
    if (index < 0) throw new SonorityError('bad-table', `row ${table.ids[i]} has the label "${label ?? ''}", not one of the model's: ${labels.join(', ')}`);
    return index;
  });
  const predictions = model.predictTracks(table.rows.map((row) => ({ windows: [row], frames: [] })));
  model.dispose();
  const report = classificationReport(predictions.map((p) => p.probabilities), truth, labels);
  const trained = new Set(trainedIds);
  const seen = table.ids.filter((id) => trained.has(id)).length;
  const outOfDistribution = predictions.filter((p) => p.outOfDistribution).length;
  if (values.json) {
    writeJsonLine(io, { modelId: model.metadata.id, rows: table.ids.length, rowsInTrainingData: seen, outOfDistribution, ...report });
    return 0;
  }
  if (seen > 0) io.stdout.write(`Warning: ${seen} of these ${table.ids.length} rows were in the model's training data; their scores are not an estimate of accuracy on new music.\n`);
  io.stdout.write(`Model ${model.metadata.id} on ${table.ids.length} rows (${outOfDistribution} flagged out of distribution)\n${formatReport(report)}`);
  return 0;
}

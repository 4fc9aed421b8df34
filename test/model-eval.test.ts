import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runCli, tempDir } from './helpers/fixtures.ts';
import { TRAINVAL_TABLE, shippedModel, splitRows } from './helpers/model.ts';
import { DEFAULT_MODEL_DIR } from '../src-main/core/model/model-files.ts';

const metadata = JSON.parse(fs.readFileSync(path.join(DEFAULT_MODEL_DIR, 'genre-model.json'), 'utf8'));

/** The metrics computed by hand from the model's probabilities, loop by loop. */
function handMetrics(probabilities: Float32Array[], truth: number[], classes: number) {
  const order = (p: Float32Array) => Array.from(p.keys()).sort((a, b) => p[b]! - p[a]! || a - b);
  const predicted = probabilities.map((p) => order(p)[0]!);
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  predicted.forEach((p, i) => confusion[truth[i]!]![p]!++);
  const perClass = confusion.map((row, k) => {
    const tp = row[k]!;
    const support = row.reduce((a, b) => a + b, 0);
    const predictedK = confusion.reduce((a, r) => a + r[k]!, 0);
    const precision = predictedK ? tp / predictedK : 0;
    const recall = support ? tp / support : 0;
    return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, support };
  });
  let ece = 0;
  for (let b = 0; b < 15; b++) {
    const inBin = probabilities.map((p, i) => ({ c: Math.max(...p), ok: predicted[i] === truth[i] })).filter(({ c }) => (b === 0 ? c <= 1 / 15 : c > b / 15 && c <= (b + 1) / 15));
    if (inBin.length) ece += Math.abs(inBin.filter((x) => x.ok).length - inBin.reduce((a, x) => a + x.c, 0)) / probabilities.length;
  }
  return {
    accuracy: predicted.filter((p, i) => p === truth[i]).length / truth.length,
    top2: probabilities.filter((p, i) => order(p).slice(0, 2).includes(truth[i]!)).length / truth.length,
    top3: probabilities.filter((p, i) => order(p).slice(0, 3).includes(truth[i]!)).length / truth.length,
    confusion, perClass, ece,
    nll: -probabilities.reduce((a, p, i) => a + Math.log(p[truth[i]!]!), 0) / truth.length,
  };
}

describe('sonority eval', () => {
  const dir = tempDir();
  const table = path.join(dir, 'small.csv');
  const valid = splitRows('valid');
  const ids = valid.ids.filter((_, i) => i % 16 === 0);
  beforeAll(() => {
    const lines = fs.readFileSync(TRAINVAL_TABLE, 'utf8').trim().split('\n');
    fs.writeFileSync(table, `${[lines[0], ...lines.filter((line) => ids.some((id) => line.startsWith(`${id}.`)))].join('\n')}\n`);
  });

  it('prints metrics equal to a hand computation on a small table', async () => {
    const model = await shippedModel();
    const rows = ids.map((id) => valid.rows[valid.ids.indexOf(id)]!);
    const probabilities = model.predictTracks(rows.map((row) => ({ windows: [row], frames: [] }))).map((p) => p.probabilities);
    model.dispose();
    const truth = ids.map((id) => metadata.labels.indexOf(valid.labels[valid.ids.indexOf(id)]!));
    const expected = handMetrics(probabilities, truth, 10);

    const result = await runCli(['eval', '--features', table, '--json']);
    expect(result.code).toBe(0);
    const [report] = jsonLines(result.stdout);
    expect(report).toMatchObject({ modelId: metadata.id, rows: ids.length, rowsInTrainingData: ids.length, count: ids.length, confusion: expected.confusion });
    for (const key of ['accuracy', 'top2', 'top3', 'ece', 'nll'] as const) expect(report![key], key).toBeCloseTo(expected[key], 6);
    report!.perClass.forEach((c: Record<string, number>, k: number) => {
      for (const key of ['precision', 'recall', 'f1', 'support'] as const) expect(c[key], `${metadata.labels[k]} ${key}`).toBeCloseTo(expected.perClass[k]![key], 6);
    });
    expect(result.stderr).toMatch(/TensorFlow\.js backend: (wasm|cpu|tensorflow)/);
  });

  it('keeps only the listed ids, and warns in text when rows were in the training data', async () => {
    const list = path.join(dir, 'ids.txt');
    fs.writeFileSync(list, `${ids.slice(0, 5).join('\n')}\n`);
    const json = jsonLines((await runCli(['eval', '--features', table, '--ids', list, '--json'])).stdout)[0]!;
    expect(json.count).toBe(5);
    const text = await runCli(['eval', '--features', table, '--ids', list]);
    expect(text.stdout).toContain('Warning: 5 of these 5 rows were in the model\'s training data');
    expect(text.stdout).toMatch(/accuracy/i);
  });

  it('explains a table without the GTZAN columns or with an unknown id, and exits 2', async () => {
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'filename,label\nx.wav,rock\n');
    const missing = await runCli(['eval', '--features', bad]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${bad} lacks the columns chroma_stft_mean`);
    const list = path.join(dir, 'unknown.txt');
    fs.writeFileSync(list, 'rock.99999\n');
    const unknown = await runCli(['eval', '--features', table, '--ids', list]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('names rock.99999, which the feature table does not have');
  });
});

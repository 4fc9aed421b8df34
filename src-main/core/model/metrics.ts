import {
  argmax,
  checkLabelledScores,
  expectedCalibrationError,
  negativeLogLikelihood,
  type ClassScores,
  type ScoreMatrix,
} from './calibration.ts';

/** Precision, recall, F1 and support (number of true examples) of one class. */
export interface ClassScore {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Everything the model card and `eval` print about a classifier's predictions on a labelled set. */
export interface ClassificationReport {
  count: number;
  accuracy: number;
  top2: number;
  top3: number;
  macroF1: number;
  perClass: ({ name: string } & ClassScore)[];
  /** Rows true class, columns predicted class. */
  confusion: number[][];
  /** Expected calibration error over 15 bins. */
  ece: number;
  nll: number;
}

/** Longest class name printed by `formatReport`; longer names are cut. */
const NAME_WIDTH_LIMIT = 16;

/**
 * Counts of (true, predicted) class pairs: `matrix[t][p]`, rows true, columns
 * predicted. Throws a RangeError when the lengths differ or an index lies
 * outside 0 … classCount − 1.
 */
export function confusionMatrix(trueIdx: readonly number[], predIdx: readonly number[], classCount: number): number[][] {
  if (trueIdx.length !== predIdx.length) throw new RangeError(`${trueIdx.length} labels but ${predIdx.length} predictions`);
  const isClass = (c: number) => Number.isInteger(c) && c >= 0 && c < classCount;
  const matrix = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0));
  trueIdx.forEach((t, i) => {
    const p = predIdx[i]!;
    if (!isClass(t) || !isClass(p)) throw new RangeError(`example ${i}: (true ${t}, predicted ${p}) is not a pair of class indices`);
    matrix[t]![p]!++;
  });
  return matrix;
}

/**
 * Per-class scores from a confusion matrix (rows true, columns predicted),
 * following scikit-learn's `zero_division=0`: the precision of a class never
 * predicted is 0, the recall of a class with no true examples is 0, and F1 is 0
 * when precision + recall is 0. F1 is computed as 2·TP / (support + predicted),
 * which equals 2PR / (P + R) and is exact for small counts.
 */
export function perClassScores(confusion: readonly (readonly number[])[]): ClassScore[] {
  return confusion.map((row, c) => {
    const truePositives = row[c]!;
    const support = sum(row);
    const predicted = sum(confusion.map((r) => r[c]!));
    return {
      precision: predicted > 0 ? truePositives / predicted : 0,
      recall: support > 0 ? truePositives / support : 0,
      f1: support + predicted > 0 ? (2 * truePositives) / (support + predicted) : 0,
      support,
    };
  });
}

/**
 * Fraction of examples whose true class is among their `k` highest-scoring
 * classes. Ties are broken by lower class index first: a class ranks above the
 * true class when its score is higher, or equal and its index lower (as argmax).
 */
export function topKAccuracy(probs: ScoreMatrix, trueIdx: readonly number[], k: number): number {
  checkLabelledScores(probs, trueIdx);
  const hits = probs.filter((row, i) => rankOf(row, trueIdx[i]!) < k).length;
  return hits / probs.length;
}

/**
 * Accuracy, top-2/top-3 accuracy, macro F1 (the unweighted mean over all
 * classes in `classNames`, including any with no examples), per-class scores,
 * confusion matrix, 15-bin ECE and NLL of `probs` (one row per example, one
 * column per class in `classNames` order) against the true class indices.
 */
export function classificationReport(probs: ScoreMatrix, trueIdx: readonly number[], classNames: readonly string[]): ClassificationReport {
  checkLabelledScores(probs, trueIdx);
  if (probs.some((row) => row.length !== classNames.length)) throw new RangeError(`every row needs ${classNames.length} class scores`);
  const confusion = confusionMatrix(trueIdx, probs.map((row) => argmax(row)), classNames.length);
  const scores = perClassScores(confusion);
  return {
    count: probs.length,
    accuracy: sum(confusion.map((row, c) => row[c]!)) / probs.length,
    top2: topKAccuracy(probs, trueIdx, 2),
    top3: topKAccuracy(probs, trueIdx, 3),
    macroF1: sum(scores.map((s) => s.f1)) / scores.length,
    perClass: scores.map((s, c) => ({ name: classNames[c]!, ...s })),
    confusion,
    ece: expectedCalibrationError(probs, trueIdx),
    nll: negativeLogLikelihood(probs, trueIdx),
  };
}

/**
 * Plain-text report for the terminal: the headline numbers, a per-class table
 * (precision, recall, F1 to 3 decimals, support) and the confusion matrix with
 * the first letters of each class name as column headers, all columns aligned.
 * Class names are cut to 16 characters, so 10 classes fit in 100 columns.
 */
export function formatReport(report: ClassificationReport): string {
  const names = report.perClass.map((c) => c.name);
  const nameWidth = Math.min(NAME_WIDTH_LIMIT, Math.max(5, ...names.map((n) => n.length))) + 2;
  return [...headline(report), '', ...perClassTable(report, nameWidth), '', ...confusionTable(report, names, nameWidth)].join('\n');
}

function headline(report: ClassificationReport): string[] {
  const rows: [string, string][] = [
    ['Examples', String(report.count)],
    ['Accuracy', fixed3(report.accuracy)],
    ['Top-2 accuracy', fixed3(report.top2)],
    ['Top-3 accuracy', fixed3(report.top3)],
    ['Macro F1', fixed3(report.macroF1)],
    ['ECE', fixed3(report.ece)],
    ['NLL', fixed3(report.nll)],
  ];
  return rows.map(([label, value]) => label.padEnd(16) + value);
}

function perClassTable(report: ClassificationReport, nameWidth: number): string[] {
  const row = (name: string, cells: string[]) => cell(name, nameWidth) + cells.map((c) => c.padStart(10)).join('');
  return [
    row('class', ['precision', 'recall', 'f1', 'support']),
    ...report.perClass.map((c) => row(c.name, [fixed3(c.precision), fixed3(c.recall), fixed3(c.f1), String(c.support)])),
  ];
}

function confusionTable(report: ClassificationReport, names: string[], nameWidth: number): string[] {
  const countWidth = Math.max(4, String(Math.max(...report.confusion.flat())).length + 1);
  const row = (label: string, cells: string[]) => cell(label, nameWidth) + cells.map((c) => c.padStart(countWidth)).join('');
  return [
    'Confusion matrix (rows true, columns predicted)',
    row('', names.map((n) => n.slice(0, countWidth - 1))),
    ...report.confusion.map((counts, t) => row(names[t]!, counts.map(String))),
  ];
}

/** `text` cut to leave a two-space gap, left-aligned in `width` characters. */
function cell(text: string, width: number): string {
  return text.slice(0, width - 2).padEnd(width);
}

function fixed3(value: number): string {
  return value.toFixed(3);
}

/** Position of class `c` when the row is sorted by descending score, ties by ascending index (0 = top). */
function rankOf(row: ClassScores, c: number): number {
  const score = row[c]!;
  let ahead = 0;
  for (let j = 0; j < row.length; j++) if (row[j]! > score || (row[j] === score && j < c)) ahead++;
  return ahead;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

/** Area under the ROC curve of `scores` for telling positives from negatives (ties count half); NaN without both. */
export function auroc(scores: readonly number[], positive: readonly boolean[]): number {
  const order = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  const ranks = new Array<number>(scores.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]!] === scores[order[start]!]) end++;
    for (let r = start; r <= end; r++) ranks[order[r]!] = (start + end) / 2 + 1;
    start = end + 1;
  }
  const positives = positive.filter(Boolean).length;
  const negatives = positive.length - positives;
  const rankSum = ranks.reduce((sum, rank, i) => sum + (positive[i] ? rank : 0), 0);
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

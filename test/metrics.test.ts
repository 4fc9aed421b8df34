import { describe, expect, it } from 'vitest';
import {
  argmax,
  expectedCalibrationError,
  fitTemperature,
  negativeLogLikelihood,
  softmax,
} from '../src-main/core/model/calibration.ts';
import { confusionMatrixSvg } from '../src-main/core/model/confusion-svg.ts';
import {
  classificationReport,
  confusionMatrix,
  formatReport,
  perClassScores,
  topKAccuracy,
} from '../src-main/core/model/metrics.ts';
import { createRandom } from '../src-main/core/model/prng.ts';

// Six examples, three classes. Predictions (argmax, ties to the lower index):
// 0 ✓, 1 ✗, 1 ✓, 0 ✗ (tie 0.4/0.4), 2 ✓, 0 ✗.
const PROBS = [
  [0.7, 0.2, 0.1],
  [0.3, 0.6, 0.1],
  [0.2, 0.5, 0.3],
  [0.4, 0.4, 0.2],
  [0.1, 0.1, 0.8],
  [0.5, 0.25, 0.25],
];
const TRUE = [0, 0, 1, 1, 2, 2];
const PRED = [0, 1, 1, 0, 2, 0];
const CONFUSION = [
  [1, 1, 0],
  [1, 1, 0],
  [1, 0, 1],
];
const NAMES = ['blues', 'classical', 'country'];

describe('argmax and confusionMatrix', () => {
  it('argmax picks the first of tied maxima', () => {
    expect(PROBS.map((row) => argmax(row))).toEqual(PRED);
    expect(argmax(new Float32Array([0.1, 0.9, 0.9]))).toBe(1);
  });

  it('counts (true, predicted) pairs with rows true and columns predicted', () => {
    expect(confusionMatrix(TRUE, PRED, 3)).toEqual(CONFUSION);
    expect(confusionMatrix([0, 0, 1], [1, 1, 1], 2)).toEqual([
      [0, 2],
      [0, 1],
    ]);
  });

  it('rejects indices outside the classes and mismatched lengths', () => {
    expect(() => confusionMatrix([0, 3], [0, 0], 3)).toThrow(RangeError);
    expect(() => confusionMatrix([0], [0, 1], 3)).toThrow(RangeError);
  });
});

describe('perClassScores', () => {
  it('gives exact precision, recall and F1 for each class', () => {
    const scores = perClassScores(CONFUSION);
    const expected = [
      { precision: 1 / 3, recall: 1 / 2, f1: 2 / 5, support: 2 },
      { precision: 1 / 2, recall: 1 / 2, f1: 1 / 2, support: 2 },
      { precision: 1, recall: 1 / 2, f1: 2 / 3, support: 2 },
    ];
    scores.forEach((s, c) => {
      const e = expected[c]!;
      expect(s.precision).toBeCloseTo(e.precision, 12);
      expect(s.recall).toBeCloseTo(e.recall, 12);
      expect(s.f1).toBeCloseTo(e.f1, 12);
      expect(s.support).toBe(e.support);
    });
  });

  it('scores 0 (not NaN) for a class never predicted or with no examples', () => {
    expect(perClassScores([[2, 0], [1, 0]])[1]).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(perClassScores([[1, 1], [0, 0]])[1]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(perClassScores([[1, 0], [0, 0]])[1]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
  });
});

describe('topKAccuracy', () => {
  it('counts the true class within the top k, ties going to the lower index', () => {
    expect(topKAccuracy(PROBS, TRUE, 1)).toBeCloseTo(3 / 6, 12);
    // Last example: true class 2 ties class 1 at 0.25 and loses the tie, so it is third.
    expect(topKAccuracy(PROBS, TRUE, 2)).toBeCloseTo(5 / 6, 12);
    expect(topKAccuracy(PROBS, TRUE, 3)).toBe(1);
  });

  it('accepts Float32Array rows and rejects a label outside the row', () => {
    expect(topKAccuracy([new Float32Array([0.2, 0.8])], [1], 1)).toBe(1);
    expect(() => topKAccuracy([[0.2, 0.8]], [2], 1)).toThrow(RangeError);
  });
});

describe('softmax', () => {
  it('matches exp(z) / Σ exp(z) and is unchanged by a large shift', () => {
    const total = Math.exp(1) + Math.exp(2) + Math.exp(3);
    const expected = [Math.exp(1) / total, Math.exp(2) / total, Math.exp(3) / total];
    softmax([1, 2, 3]).forEach((p, i) => expect(p).toBeCloseTo(expected[i]!, 14));
    softmax([1001, 1002, 1003]).forEach((p, i) => expect(p).toBeCloseTo(expected[i]!, 14));
  });

  it('divides the logits by the temperature', () => {
    const [a, b] = softmax([0, Math.log(4)], 2);
    expect(a).toBeCloseTo(1 / 3, 14);
    expect(b).toBeCloseTo(2 / 3, 14);
  });
});

describe('expectedCalibrationError', () => {
  it('matches a hand-worked three-bin example', () => {
    // Bins (0,1/3], (1/3,2/3], (2/3,1]. Middle: confidences 0.6, 0.5, 0.4, 0.5 with one hit → |1 − 2.0|;
    // top: 0.7 and 0.8 with two hits → |2 − 1.5|. ECE = (1.0 + 0.5) / 6.
    expect(expectedCalibrationError(PROBS, TRUE, 3)).toBeCloseTo(1 / 4, 12);
  });

  it('puts a confidence on a bin edge in the lower bin', () => {
    // Two bins. 0.5 (hit) belongs to (0, 0.5]: |1 − 0.5|; the two 0.9s (one hit) to (0.5, 1]: |1 − 1.8|.
    // Were 0.5 counted in the upper bin, ECE would be |2 − 2.3| / 3 = 0.1.
    const probs = [
      [0.5, 0.5],
      [0.9, 0.1],
      [0.1, 0.9],
    ];
    expect(expectedCalibrationError(probs, [0, 0, 0], 2)).toBeCloseTo(1.3 / 3, 12);
  });

  it('puts a confidence of exactly 0 in the first bin', () => {
    expect(expectedCalibrationError([[0, 0]], [0], 4)).toBe(1);
  });
});

describe('negativeLogLikelihood', () => {
  it('is the mean −ln p(true class)', () => {
    const expected = -Math.log(0.7 * 0.3 * 0.5 * 0.4 * 0.8 * 0.25) / 6;
    expect(negativeLogLikelihood(PROBS, TRUE)).toBeCloseTo(expected, 12);
  });

  it('clamps a zero probability at 1e-12', () => {
    expect(negativeLogLikelihood([[1, 0]], [1])).toBeCloseTo(-Math.log(1e-12), 12);
  });
});

describe('fitTemperature', () => {
  /** Logits c·z for standard-normal z, with labels drawn from softmax(z): the calibrating temperature is c. */
  function syntheticLogits(scale: number, examples: number, classes: number, seed: number) {
    const random = createRandom(seed);
    const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const logits: Float64Array[] = [];
    const labels: number[] = [];
    for (let i = 0; i < examples; i++) {
      const z = Array.from({ length: classes }, () => 2 * gaussian());
      const probs = softmax(z);
      let u = random();
      const label = probs.findIndex((p) => (u -= p) < 0);
      labels.push(label === -1 ? classes - 1 : label);
      logits.push(Float64Array.from(z, (v) => scale * v));
    }
    return { logits, labels };
  }

  const nllAt = (logits: Float64Array[], labels: number[], temperature: number) =>
    negativeLogLikelihood(logits.map((row) => softmax(row, temperature)), labels);

  it.each([0.4, 2.5])('recovers the temperature %f that generated the logits', (scale) => {
    const { logits, labels } = syntheticLogits(scale, 20_000, 10, 7);
    const fitted = fitTemperature(logits, labels);
    expect(fitted / scale).toBeGreaterThan(0.97);
    expect(fitted / scale).toBeLessThan(1.03);
    const best = nllAt(logits, labels, fitted);
    for (const other of [1, 0.9 * fitted, 1.1 * fitted]) expect(best).toBeLessThanOrEqual(nllAt(logits, labels, other));
  });
});

describe('classificationReport and formatReport', () => {
  const report = classificationReport(PROBS, TRUE, NAMES);

  it('collects every number the model card prints', () => {
    expect(report.count).toBe(6);
    expect(report.accuracy).toBeCloseTo(1 / 2, 12);
    expect(report.top2).toBeCloseTo(5 / 6, 12);
    expect(report.top3).toBe(1);
    expect(report.macroF1).toBeCloseTo((2 / 5 + 1 / 2 + 2 / 3) / 3, 12);
    expect(report.perClass.map((c) => c.name)).toEqual(NAMES);
    expect(report.perClass[0]!.precision).toBeCloseTo(1 / 3, 12);
    expect(report.confusion).toEqual(CONFUSION);
    expect(report.ece).toBeCloseTo(expectedCalibrationError(PROBS, TRUE, 15), 12);
    expect(report.nll).toBeCloseTo(negativeLogLikelihood(PROBS, TRUE), 12);
  });

  it('rejects rows whose width differs from the class names', () => {
    expect(() => classificationReport(PROBS, TRUE, ['a', 'b'])).toThrow(RangeError);
  });

  it('prints headline numbers, an aligned per-class table and the confusion matrix', () => {
    const lines = formatReport(report).split('\n');
    expect(lines).toContain('Accuracy        0.500');
    expect(lines).toContain('Top-2 accuracy  0.833');
    expect(lines).toContain('Macro F1        0.522');
    expect(formatReport(report)).toContain(
      [
        'class       precision    recall        f1   support',
        'blues           0.333     0.500     0.400         2',
        'classical       0.500     0.500     0.500         2',
        'country         1.000     0.500     0.667         2',
      ].join('\n'),
    );
    expect(lines.slice(-5)).toEqual([
      'Confusion matrix (rows true, columns predicted)',
      '            blu cla cou',
      'blues         1   1   0',
      'classical     1   1   0',
      'country       1   0   1',
    ]);
  });

  it('fits ten classes with long names and large counts in 100 columns', () => {
    const names = Array.from({ length: 10 }, (_, i) => `${i} ${'a very long genre name '.repeat(2)}`);
    const probs = Array.from({ length: 10 }, (_, i) => Array.from({ length: 10 }, (_, j) => (i === j ? 1 : 0)));
    const big = classificationReport(probs, [...Array(10).keys()], names);
    big.confusion[0]![0] = 123_456;
    for (const line of formatReport(big).split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
});

describe('confusionMatrixSvg', () => {
  /** Tags nest and close, attributes are double-quoted, and text has no raw `<`, `>` or stray `&`. */
  function expectWellFormed(xml: string): void {
    const tag = /<(\/?)([A-Za-z][\w.:-]*)((?:\s+[\w.:-]+="[^"<]*")*)\s*(\/?)>/g;
    const expectClean = (text: string) => {
      expect(text).not.toMatch(/[<>]/);
      expect(text.replace(/&(amp|lt|gt|quot|apos);/g, '')).not.toContain('&');
    };
    const open: string[] = [];
    let end = 0;
    for (const match of xml.matchAll(tag)) {
      const [whole, closing, name, attributes, selfClosing] = match;
      expectClean(xml.slice(end, match.index));
      expectClean(attributes!);
      end = match.index + whole.length;
      if (closing) expect(open.pop()).toBe(name);
      else if (!selfClosing) open.push(name!);
    }
    expectClean(xml.slice(end));
    expect(open).toEqual([]);
    expect(xml.startsWith('<svg ')).toBe(true);
    expect(xml.endsWith('</svg>')).toBe(true);
  }

  const names = ['R&B <slow>', 'rock', "drum 'n' bass"];
  const confusion = [
    [8, 2, 0],
    [1, 9, 0],
    [0, 0, 0],
  ];
  const svg = confusionMatrixSvg(confusion, names, { title: 'Genres "test" & more' });

  it('is well-formed XML with escaped names and title', () => {
    expectWellFormed(svg);
    expect(svg).toContain('Genres &quot;test&quot; &amp; more');
    for (const name of ['R&amp;B &lt;slow&gt;', 'rock', 'drum &apos;n&apos; bass']) {
      expect(svg.split(`>${name}</text>`).length - 1).toBe(2);
    }
  });

  it('draws one shaded cell per pair plus the background, with counts and axis titles', () => {
    expect(svg.match(/<rect /g)).toHaveLength(3 * 3 + 1);
    expect(svg).toContain('>true</text>');
    expect(svg).toContain('>predicted</text>');
    expect(svg).not.toMatch(/href|@import|url\(/);
    // Row-normalised shades: 8/10 and 9/10 are dark with white counts; 2/10 and the empty row are light with dark counts.
    expect(svg).toMatch(/fill="rgb\(56,89,137\)" stroke="#ffffff"\/><text [^>]*fill="#ffffff">8</);
    expect(svg).toMatch(/fill="rgb\(32,68,122\)" stroke="#ffffff"\/><text [^>]*fill="#ffffff">9</);
    expect(svg).toMatch(/fill="rgb\(199,210,225\)" stroke="#ffffff"\/><text [^>]*fill="#1a1a1a">2</);
    expect(svg.match(/fill="rgb\(247,251,255\)"/g)).toHaveLength(5);
  });
});

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseFile, descriptorRows } from '../src-main/core/analysis/analyse-file.ts';
import type { GenreModel, TrackPrediction } from '../src-main/core/model/genre-model.ts';
import { fitOod, invertSpd, oodDistance } from '../src-main/core/model/ood.ts';
import { createRandom } from '../src-main/core/model/prng.ts';
import { NON_MUSIC } from '../bench/ood-separation.ts';
import { SHARED_DATA } from './helpers/fixtures.ts';
import { shippedModel } from './helpers/model.ts';

const RECORDINGS = path.join(SHARED_DATA, 'recordings');
const MUSIC = ['Hungarian_Dance_number_5_-_Allegro_in_F_sharp_minor_(string_orchestra)', '442789__lena-orsa__happy-music-pistachio-ice-cream-ragtime', 'Karissa_Hobbs_-_Lets_Go_Fishin'];

describe('the out-of-distribution check', () => {
  it('inverts a covariance exactly and measures Mahalanobis distance', () => {
    const matrix = Float64Array.from([4, 2, 0, 2, 3, 1, 0, 1, 2]);
    const inverse = invertSpd(matrix, 3);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      const product = [0, 1, 2].reduce((sum, k) => sum + matrix[i * 3 + k]! * inverse[k * 3 + j]!, 0);
      expect(product).toBeCloseTo(i === j ? 1 : 0, 12);
    }
    expect(() => invertSpd(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(/positive definite/);
    // Identity precision: the distance is the Euclidean norm over √d.
    expect(oodDistance({ mean: [1, 1, 1, 1], precision: Array.from({ length: 16 }, (_, k) => (k % 5 === 0 ? 1 : 0)) }, [3, 1, 1, 1])).toBeCloseTo(1, 12);
  });

  it('puts the threshold at the requested quantile of the training rows', () => {
    const random = createRandom(7);
    const rows = Array.from({ length: 400 }, () => [random() * 2 - 1, random() * 2 - 1, random() * 2 - 1]);
    const model = fitOod(rows, 0.1, 0.95);
    const inside = rows.filter((row) => oodDistance(model, row) <= model.threshold).length;
    expect(inside).toBe(380);
    expect(oodDistance(model, [10, 10, 10])).toBeGreaterThan(model.threshold);
  });

  describe('on real recordings', () => {
    let model: GenreModel;
    const predictions = new Map<string, TrackPrediction>();
    beforeAll(async () => {
      model = await shippedModel();
      for (const name of [...NON_MUSIC, ...MUSIC]) {
        const file = path.join(RECORDINGS, `${name}.hq.ogg`);
        const analysis = await analyseFile({ path: file.includes('robin') ? path.join(RECORDINGS, '456440__inspectorj__bird-whistling-robin-single-13.hq.ogg') : file });
        predictions.set(name, model.predictTracks([{ windows: descriptorRows(analysis.windows), frames: descriptorRows(analysis.frames) }])[0]!);
      }
    }, 180_000);
    afterAll(() => model.dispose());

    it('never suggests a genre confidently for speech, a robin or a whale', () => {
      for (const name of NON_MUSIC) expect(predictions.get(name)!.confident, name).toBe(false);
    });

    it('flags the robin, the whale and the loudest reading as out of distribution, and not the music', () => {
      for (const name of ['456440__inspectorj__bird-whistling-robin', 'glacier-bay-humpback', '198-209-0000']) expect(predictions.get(name)!.outOfDistribution, name).toBe(true);
      for (const name of MUSIC) expect(predictions.get(name)!.outOfDistribution, name).toBe(false);
    });
  });
});

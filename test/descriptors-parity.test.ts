import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAudio } from '../src-main/core/decode/decoder.ts';
import { DESCRIPTOR_NAMES, computeDescriptors, type Descriptors } from '../src-main/core/features/descriptors.ts';
import { GTZAN, PARITY_CLIPS, readFeatureTable } from './helpers/gtzan.ts';

/** The acceptance bound: 0.5 % relative, or 1e-6 absolute for values near zero; tempo exact. */
function expectParity(ours: Descriptors, reference: Record<string, number>, label: string): void {
  for (const name of DESCRIPTOR_NAMES) {
    const want = reference[name]!;
    const got = ours[name];
    if (name === 'tempo') {
      expect(got, `${label} tempo`).toBe(want);
      continue;
    }
    const ok = Math.abs(got - want) <= 0.005 * Math.abs(want) || Math.abs(got - want) <= 1e-6;
    expect(ok, `${label} ${name}: ours ${got}, table ${want}`).toBe(true);
  }
}

const table30 = readFeatureTable('features_30_sec.trainval.csv');
const table3 = readFeatureTable('features_3_sec.parity.csv');

describe('descriptor names', () => {
  it('are the 57 columns of the GTZAN table, in order', () => {
    expect(Object.keys(table30[0]!).slice(2, -1)).toEqual(DESCRIPTOR_NAMES);
  });
});

describe('parity with the GTZAN 30-second table (librosa 0.7)', () => {
  it.each(PARITY_CLIPS)('%s: all 57 descriptors', async (clip) => {
    const y = await decodeAudio(path.join(GTZAN, 'clips', `${clip}.wav`));
    const row = table30.find((r) => r.filename === `${clip}.wav`)!;
    expect(y.length).toBe(row.length);
    expectParity(computeDescriptors(y), row, clip);
  });
});

describe('parity with the GTZAN 3-second table', () => {
  const clips = [...new Set(table3.map((r) => r.filename.split('.').slice(0, 2).join('.')))];
  it.each(clips)('%s: every 3-second segment', async (clip) => {
    const y = await decodeAudio(path.join(GTZAN, 'clips', `${clip}.wav`));
    const rows = table3.filter((r) => r.filename.startsWith(`${clip}.`));
    expect(rows).toHaveLength(10);
    for (const row of rows) {
      const segment = Number(row.filename.split('.')[2]);
      const samples = y.subarray(66150 * segment, 66150 * segment + 66149);
      expect(samples.length).toBe(row.length);
      expectParity(computeDescriptors(samples), row, row.filename);
    }
  });
});

/**
 * Prints, per descriptor, the worst relative error against the GTZAN tables
 * over the eight 30-second parity clips and the thirty 3-second segments
 * (a Markdown table for the README). Usage: npm run bench:parity
 */
import fs from 'node:fs';
import path from 'node:path';
import { decodeAudio } from '../src-main/core/decode/decoder.ts';
import { DESCRIPTOR_NAMES, computeDescriptors } from '../src-main/core/features/descriptors.ts';

const gtzan = path.resolve(import.meta.dirname, '..', '..', 'shared', 'data', 'gtzan');

function readTable(file: string): Map<string, Record<string, number>> {
  const [header, ...lines] = fs.readFileSync(path.join(gtzan, file), 'utf8').trim().split('\n');
  const columns = header!.split(',');
  return new Map(lines.map((line) => {
    const cells = line.split(',');
    return [cells[0]!, Object.fromEntries(columns.map((c, i) => [c, Number(cells[i])]))];
  }));
}

const worst = (table: Map<string, Record<string, number>>, results: Map<string, Record<string, number>>) =>
  Object.fromEntries(DESCRIPTOR_NAMES.map((name) => {
    let max = 0;
    for (const [id, ours] of results) {
      const want = table.get(id)![name]!;
      max = Math.max(max, want === 0 ? Math.abs(ours[name]!) : Math.abs(ours[name]! - want) / Math.abs(want));
    }
    return [name, max];
  }));

const table30 = readTable('features_30_sec.trainval.csv');
const table3 = readTable('features_3_sec.parity.csv');
const results30 = new Map<string, Record<string, number>>();
const results3 = new Map<string, Record<string, number>>();
for (const genre of ['blues', 'classical', 'country', 'disco', 'jazz', 'metal', 'reggae', 'rock']) {
  const y = await decodeAudio(path.join(gtzan, 'clips', `${genre}.00000.wav`));
  results30.set(`${genre}.00000.wav`, computeDescriptors(y));
  for (let d = 0; d < 10; d++) {
    const id = `${genre}.00000.${d}.wav`;
    if (table3.has(id)) results3.set(id, computeDescriptors(y.subarray(66150 * d, 66150 * d + 66149)));
  }
}
const w30 = worst(table30, results30);
const w3 = worst(table3, results3);
console.log(`| descriptor | worst relative error, 8 clips × 30 s | worst relative error, ${results3.size} segments × 3 s |\n| --- | --- | --- |`);
for (const name of DESCRIPTOR_NAMES) console.log(`| ${name} | ${w30[name]!.toExponential(1)} | ${w3[name]!.toExponential(1)} |`);

import fs from 'node:fs';
import path from 'node:path';
import { SHARED_DATA } from './fixtures.ts';

export const GTZAN = path.join(SHARED_DATA, 'gtzan');

/** Reads a GTZAN feature table into rows keyed by column name (numbers parsed, `filename`/`label` kept as text). */
export function readFeatureTable(file: string): Array<Record<string, number> & { filename: string; label: string }> {
  const [header, ...lines] = fs.readFileSync(path.join(GTZAN, file), 'utf8').trim().split('\n');
  const columns = header!.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(columns.map((c, i) => [c, c === 'filename' || c === 'label' ? cells[i] : Number(cells[i])])) as any;
  });
}

/** The eight bit-exact 30-second parity clips. */
export const PARITY_CLIPS = ['blues', 'classical', 'country', 'disco', 'jazz', 'metal', 'reggae', 'rock'].map((g) => `${g}.00000`);

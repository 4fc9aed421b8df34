import fs from 'node:fs';
import { SonorityError } from '../errors.ts';
import { DESCRIPTOR_NAMES } from '../features/descriptors.ts';

/** Rows of a GTZAN-format feature table: the 57 descriptors in GTZAN column order, with ids and labels. */
export interface FeatureTable {
  ids: string[];
  /** `label` column values, or null when the table has none. */
  labels: (string | null)[];
  /** One row of 57 descriptors per id. */
  rows: Float64Array[];
}

function parseRow(cells: string[], columns: Map<string, number>, file: string, line: number): Float64Array {
  return Float64Array.from(DESCRIPTOR_NAMES, (name) => {
    const value = Number(cells[columns.get(name)!]);
    if (!Number.isFinite(value)) throw new SonorityError('bad-table', `${file}, line ${line}: ${name} is "${cells[columns.get(name)!]}", not a number`);
    return value;
  });
}

/**
 * Reads a CSV with the GTZAN table's columns (`filename`, the 57 descriptor
 * names, optionally `label`; other columns ignored, any order). Throws
 * `bad-table` naming the file, line and column of the first problem.
 */
export function readFeatureTable(file: string): FeatureTable {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new SonorityError('bad-table', `cannot read the feature table ${file}: ${(error as Error).message}`);
  }
  const [header = '', ...lines] = text.trim().split(/\r?\n/);
  const columns = new Map(header.split(',').map((name, i) => [name.trim(), i]));
  const missing = ['filename', ...DESCRIPTOR_NAMES].filter((name) => !columns.has(name));
  if (missing.length > 0) throw new SonorityError('bad-table', `${file} lacks the column${missing.length > 1 ? 's' : ''} ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`);
  const table: FeatureTable = { ids: [], labels: [], rows: [] };
  lines.forEach((line, i) => {
    const cells = line.split(',');
    if (cells.length !== columns.size) throw new SonorityError('bad-table', `${file}, line ${i + 2}: ${cells.length} cells where the header has ${columns.size}`);
    table.ids.push(clipId(cells[columns.get('filename')!]!));
    table.labels.push(columns.has('label') ? cells[columns.get('label')!]!.trim() : null);
    table.rows.push(parseRow(cells, columns, file, i + 2));
  });
  return table;
}

/** `blues.00000.wav` → `blues.00000`: the id used by split lists. */
function clipId(filename: string): string {
  return filename.trim().replace(/\.(wav|au|mp3|flac|ogg)$/i, '');
}

/** Reads a list of ids, one per line (blank lines and `#` comments ignored). */
export function readIdList(file: string): string[] {
  try {
    return fs.readFileSync(file, 'utf8').split(/\r?\n/).map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
  } catch (error) {
    throw new SonorityError('bad-table', `cannot read the id list ${file}: ${(error as Error).message}`);
  }
}

/** The rows of `table` whose ids are in `ids`, in `ids` order; throws `bad-table` for an id the table lacks. */
export function selectRows(table: FeatureTable, ids: readonly string[], listName: string): FeatureTable {
  const index = new Map(table.ids.map((id, i) => [id, i]));
  const picked = ids.map((id) => {
    const i = index.get(id);
    if (i === undefined) throw new SonorityError('bad-table', `${listName} names ${id}, which the feature table does not have`);
    return i;
  });
  return { ids: picked.map((i) => table.ids[i]!), labels: picked.map((i) => table.labels[i]!), rows: picked.map((i) => table.rows[i]!) };
}

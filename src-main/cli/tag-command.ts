import path from 'node:path';
import { parseArgs } from 'node:util';
import { SonorityError } from '../core/errors.ts';
import { loadTaxonomy } from '../core/taxonomy/taxonomy-file.ts';
import { genresToWrite } from '../core/taxonomy/taxonomy.ts';
import { withDatabase, type CliIo } from './io.ts';
import { WRITE_OPTIONS, WRITE_USAGE, runWrites } from './write-run.ts';

export const TAG_USAGE = `sonority tag <file>... --genre G [--genre G2] ${WRITE_USAGE}`;

/**
 * `sonority tag <file>... --genre G`: sets the genres of the given files
 * through the same journaled, atomic path as `apply` (`--dry-run` shows the
 * exact change). Exit 0 all written, 1 some failed, 2 could not run.
 */
export async function tagCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { genre: { type: 'string', multiple: true }, ...WRITE_OPTIONS } });
  if (positionals.length === 0 || !values.genre?.length) throw new SonorityError('usage', `give the files and at least one --genre\nusage: ${TAG_USAGE}`);
  const genres = genresToWrite(loadTaxonomy(), values.genre);
  const items = positionals.map((file) => ({ path: path.resolve(file), genres, checkUnchangedSinceScan: true }));
  return withDatabase(values.db, io.env, (db) => runWrites(io, db, 'tag', items, values));
}

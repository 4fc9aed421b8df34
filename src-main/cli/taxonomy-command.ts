import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { SonorityError } from '../core/errors.ts';
import { DEFAULT_TAXONOMY } from '../core/taxonomy/default-taxonomy.ts';
import { defaultTaxonomyPath, loadTaxonomy, saveTaxonomy } from '../core/taxonomy/taxonomy-file.ts';
import { writeJsonLine, type CliIo } from './io.ts';

export const TAXONOMY_USAGE = 'sonority taxonomy [--init] [--json]';

/** `sonority taxonomy`: shows the genre taxonomy in use and where to edit it; `--init` writes the built-in one there to start from. */
export async function taxonomyCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { init: { type: 'boolean' }, json: { type: 'boolean' } } });
  const file = defaultTaxonomyPath();
  if (values.init) {
    if (fs.existsSync(file)) throw new SonorityError('taxonomy-exists', `${file} already exists; edit it, or delete it to start again from the built-in taxonomy`);
    saveTaxonomy(file, DEFAULT_TAXONOMY);
    io.stdout.write(`Wrote the built-in taxonomy to ${file}; edit it and Sonority uses it from then on.\n`);
    return 0;
  }
  const { definition } = loadTaxonomy(file);
  if (values.json) {
    writeJsonLine(io, { file, custom: fs.existsSync(file), ...definition });
    return 0;
  }
  io.stdout.write(`${fs.existsSync(file) ? `Your taxonomy: ${file}` : `Built-in taxonomy (\`sonority taxonomy --init\` writes it to ${file} to edit)`}\n`);
  for (const genre of definition.genres) {
    const extras = [genre.label && `model label ${genre.label}`, genre.parent && `under ${genre.parent}`, genre.aliases?.length && `aliases: ${genre.aliases.join(', ')}`].filter(Boolean);
    io.stdout.write(`  ${genre.name}${extras.length ? `  (${extras.join('; ')})` : ''}\n`);
  }
  return 0;
}

import path from 'node:path';
import { parseArgs } from 'node:util';
import { SonorityError } from '../core/errors.ts';
import { createTrustStore, type TrustKind } from '../core/db/trust-store.ts';
import { trackIdAt } from '../core/db/track-records.ts';
import { canonicalGenre } from '../core/taxonomy/taxonomy.ts';
import { loadTaxonomy } from '../core/taxonomy/taxonomy-file.ts';
import { withDatabase, writeJsonLine, type CliIo } from './io.ts';

export const TRUST_USAGE = 'sonority trust (--track FILE... | --folder DIR | --genre G) [--no | --clear] [--db FILE]\n  sonority trust [--list] [--json]';

/**
 * `sonority trust`: which genre tags library learning may learn from. By
 * default every tagged track is trusted; `--no` distrusts a track, a folder
 * or a genre, `--clear` removes the rule. Lists the rules without a target.
 */
export async function trustCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: {
    track: { type: 'boolean' }, folder: { type: 'string' }, genre: { type: 'string' }, no: { type: 'boolean' }, clear: { type: 'boolean' }, list: { type: 'boolean' }, db: { type: 'string' }, json: { type: 'boolean' },
  } });
  const kinds = [values.track && 'track', values.folder !== undefined && 'folder', values.genre !== undefined && 'genre'].filter(Boolean) as TrustKind[];
  if (kinds.length > 1 || (values.no && values.clear) || (kinds[0] === 'track') !== (positionals.length > 0)) throw new SonorityError('usage', `give one of --track FILE..., --folder DIR or --genre G, with --no or --clear at most\nusage: ${TRUST_USAGE}`);
  const trusted = values.clear ? null : !values.no;
  return withDatabase(values.db, io.env, (db) => {
    const store = createTrustStore(db);
    if (kinds[0] === 'track') db.transaction(() => positionals.forEach((file) => store.set('track', '', trackIdAt(db, path.resolve(file)), trusted)))();
    if (kinds[0] === 'folder') store.set('folder', path.resolve(values.folder!), null, trusted);
    if (kinds[0] === 'genre') store.set('genre', canonicalGenre(loadTaxonomy(), values.genre!) ?? values.genre!.trim(), null, trusted);
    const rules = store.list();
    if (values.json) for (const rule of rules) writeJsonLine(io, { type: 'rule', ...rule });
    else {
      io.stdout.write(rules.length ? `Trust rules (the rest of your tagged tracks are trusted):\n` : 'No trust rules: every tagged track is trusted.\n');
      for (const r of rules) io.stdout.write(`  ${r.trusted ? 'trusted    ' : 'not trusted'}  ${r.kind.padEnd(6)} ${r.target}\n`);
      if (kinds.length) io.stdout.write('Run `sonority learn` to retrain on them.\n');
    }
    return 0;
  }, kinds.length ? 'write' : 'read');
}

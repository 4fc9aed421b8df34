import fs from 'node:fs';
import path from 'node:path';
import { parseFile } from 'music-metadata';
import { beforeAll, describe, expect, it } from 'vitest';
import { SHARED_DATA, convertReal, hashFile, jsonLines, runCli, tempDir } from './helpers/fixtures.ts';
import { GTZAN } from './helpers/gtzan.ts';
import { DEFAULT_TAXONOMY } from '../src-main/core/taxonomy/default-taxonomy.ts';

const clip = (name: string) => path.join(GTZAN, 'clips', `${name}.wav`);

describe('review decisions and batch apply', () => {
  const library = tempDir();
  const db = path.join(tempDir(), 'apply.db');
  const files = {
    disputed: path.join(library, 'classical tagged metal.mp3'),
    untagged: path.join(library, 'jazz.flac'),
    typed: path.join(library, 'country.ogg'),
    kept: path.join(library, 'metal.m4a'),
    whale: path.join(library, 'whale.ogg'),
  };
  const originals = new Map<string, string>();
  const cli = (...args: string[]) => runCli([...args, '--db', db]);
  const planned = async (...args: string[]) => jsonLines((await cli('apply', '--dry-run', '--json', ...args)).stdout).filter((l) => l.type === 'file').map((l) => [path.basename(l.path), l.newGenres]);

  beforeAll(async () => {
    await convertReal(clip('classical.00000'), files.disputed, 'mp3', { genre: 'Metal' });
    await convertReal(clip('jazz.00000'), files.untagged, 'flac');
    await convertReal(clip('country.00000'), files.typed, 'ogg', { genre: 'Folk' });
    await convertReal(clip('metal.00000'), files.kept, 'm4a', { genre: 'Thrash' });
    fs.copyFileSync(path.join(SHARED_DATA, 'recordings', 'glacier-bay-humpback.hq.ogg'), files.whale);
    expect((await cli('scan', library)).code).toBe(0);
    for (const file of Object.values(files)) originals.set(file, hashFile(file));
  }, 90_000);

  it('has nothing to apply before any decision, and refuses a decision it cannot honour', async () => {
    expect((await cli('apply')).stdout).toBe('Nothing to apply: no decision waits to be written and no prediction passes the filters.\n');
    const notModel = await cli('review', files.untagged, '--choose', 'Polka');
    expect(notModel.code).toBe(2);
    expect(notModel.stderr).toContain('"Polka" is not one of the model\'s genres');
    const unknown = await cli('review', path.join(library, 'nope.mp3'), '--accept');
    expect(unknown.stderr).toContain('is not an analysed track of this library');
  });

  it('records decisions, and the dry run shows exactly the decided changes, then the confident predictions when asked', async () => {
    expect((await cli('review', files.untagged, '--choose', 'blues')).stdout).toContain(`choose  ${files.untagged} → Blues`);
    expect((await cli('review', files.typed, '--genre', 'Country & Western', '--genre', 'Folk')).stdout).toContain('→ Country, Folk');
    expect((await cli('review', files.kept, '--keep')).code).toBe(0);
    const both = await cli('review', files.disputed, '--accept-top', '2', '--json');
    const [decision] = jsonLines(both.stdout);
    expect(decision).toMatchObject({ action: 'accept' });
    expect(decision!.genres).toHaveLength(2);
    expect((await cli('review', files.disputed, '--skip')).code).toBe(0);
    const partial = await cli('review', files.whale, path.join(library, 'nope.mp3'), '--keep');
    expect(partial.code).toBe(2);
    expect(await planned()).toEqual([['country.ogg', ['Country', 'Folk']], ['jazz.flac', ['Blues']]]);
    // The disputed file was skipped, so only decisions remain; the whale is out of distribution and never written.
    expect(await planned('--min-confidence', '0.6', '--disputed')).toEqual([['country.ogg', ['Country', 'Folk']], ['jazz.flac', ['Blues']]]);
    expect((await planned('--min-confidence', '0')).map(([name]) => name)).not.toContain('whale.ogg');
    expect((await cli('review', files.disputed, '--accept')).code).toBe(0);
    const withModel = await planned('--min-confidence', '0.6', '--disputed');
    expect(withModel).toEqual([['classical tagged metal.mp3', ['Classical']], ['country.ogg', ['Country', 'Folk']], ['jazz.flac', ['Blues']]]);
    const text = (await cli('apply', '--dry-run', '--min-confidence', '0.6', '--disputed')).stdout;
    expect(text).toMatch(/would set  .*classical tagged metal\.mp3\n {13}Metal → Classical {2}\(decision\)/);
    for (const file of Object.values(files)) expect(hashFile(file)).toBe(originals.get(file));
  });

  it('passes every genre through the taxonomy whitelist, and says which it will not write', async () => {
    const config = tempDir();
    fs.mkdirSync(path.join(config, 'Sonority'));
    fs.writeFileSync(path.join(config, 'Sonority', 'taxonomy.json'), JSON.stringify({ ...DEFAULT_TAXONOMY, policy: { whitelist: ['Blues', 'Country', 'Folk'], outside: 'refuse' } }));
    const result = await runCli(['apply', '--dry-run', '--min-confidence', '0.6', '--disputed', '--db', db], { env: { XDG_CONFIG_HOME: config } });
    expect(result.stdout).toMatch(/not written .*classical tagged metal\.mp3\n {13}"Classical" is not in your genre whitelist/);
    expect(result.stdout).toContain('Dry run: would write 2 files');
  });

  it('applies them, leaves kept and out-of-distribution tracks alone, and does not apply twice', async () => {
    const result = await cli('apply', '--min-confidence', '0.6', '--disputed', '--json');
    expect(result.code).toBe(0);
    expect(jsonLines(result.stdout).at(-1)).toMatchObject({ written: 3, failed: 0 });
    expect((await parseFile(files.disputed)).common.genre).toEqual(['Classical']);
    expect((await parseFile(files.untagged)).common.genre).toEqual(['Blues']);
    expect((await parseFile(files.typed)).common.genre).toEqual(['Country', 'Folk']);
    for (const file of [files.kept, files.whale]) expect(hashFile(file)).toBe(originals.get(file));
    expect(await planned()).toEqual([]);
  });

  it('undoes the apply byte for byte, after which the decisions wait to be written again', async () => {
    expect((await cli('undo', '--last')).code).toBe(0);
    for (const file of Object.values(files)) expect(hashFile(file), file).toBe(originals.get(file));
    expect(await planned()).toEqual([['classical tagged metal.mp3', ['Classical']], ['country.ogg', ['Country', 'Folk']], ['jazz.flac', ['Blues']]]);
  });
});

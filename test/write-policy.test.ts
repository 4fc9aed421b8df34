import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTaxonomy, genresToWrite, type WritePolicy } from '../src-main/core/taxonomy/taxonomy.ts';
import { DEFAULT_TAXONOMY } from '../src-main/core/taxonomy/default-taxonomy.ts';
import { loadTaxonomy } from '../src-main/core/taxonomy/taxonomy-file.ts';
import { tempDir } from './helpers/fixtures.ts';

const withPolicy = (policy: WritePolicy) => createTaxonomy({ ...DEFAULT_TAXONOMY, policy });

describe('the taxonomy write policy', () => {
  it('writes display names and, without a policy, any genre', () => {
    expect(genresToWrite(createTaxonomy(DEFAULT_TAXONOMY), ['hip hop', 'Heavy Metal', 'Polka Fusion'])).toEqual(['Hip-Hop', 'Heavy Metal', 'Polka Fusion']);
  });

  it('allows, maps to the nearest whitelisted parent, or refuses a genre outside the whitelist', () => {
    const whitelist = ['Rock', 'Metal', 'Jazz'];
    expect(genresToWrite(withPolicy({ whitelist, outside: 'allow' }), ['Heavy Metal', 'Polka'])).toEqual(['Heavy Metal', 'Polka']);
    expect(genresToWrite(withPolicy({ whitelist, outside: 'parent' }), ['Heavy Metal', 'Thrash Metal', 'bop'])).toEqual(['Metal', 'Jazz']);
    expect(() => genresToWrite(withPolicy({ whitelist, outside: 'parent' }), ['Polka'])).toThrow('"Polka" is not in your genre whitelist, nor is any genre it belongs to');
    expect(genresToWrite(withPolicy({ whitelist, outside: 'refuse' }), ['metal', 'ROCK'])).toEqual(['Metal', 'Rock']);
    expect(() => genresToWrite(withPolicy({ whitelist, outside: 'refuse' }), ['Heavy Metal'])).toThrow('"Heavy Metal" is not in your genre whitelist (taxonomy policy "refuse")');
  });

  it('rejects a whitelist naming an unknown genre, and a malformed policy in the user file', () => {
    expect(() => withPolicy({ whitelist: ['Rokc'], outside: 'refuse' })).toThrow('the whitelist names "Rokc", which is not a genre in the taxonomy');
    const file = path.join(tempDir(), 'taxonomy.json');
    fs.writeFileSync(file, JSON.stringify({ ...DEFAULT_TAXONOMY, policy: { whitelist: ['Rock'], outside: 'sometimes' } }));
    expect(() => loadTaxonomy(file)).toThrow(`the genre taxonomy ${file} is invalid: "policy" must be {"whitelist"`);
    fs.writeFileSync(file, JSON.stringify({ ...DEFAULT_TAXONOMY, policy: { whitelist: ['Rock'], outside: 'parent' } }));
    expect(loadTaxonomy(file).definition.policy).toEqual({ whitelist: ['Rock'], outside: 'parent' });
  });
});

import { canonicalGenres, type Taxonomy } from '../taxonomy/taxonomy.ts';
import type { WrittenGenre } from '../shapes.ts';

/**
 * The file's genre tag values as written ("Punk Rock"), each with the
 * taxonomy's display name(s) when they read differently ("Punk"; "Rock, Pop"
 * for a value "Rock; Pop"), else null. Blank values are dropped.
 */
export function writtenGenres(taxonomy: Taxonomy, raws: readonly string[]): WrittenGenre[] {
  return raws.map((raw) => raw.trim()).filter(Boolean).map((written) => {
    const canonical = canonicalGenres(taxonomy, [written]);
    const same = canonical.length === 1 && canonical[0] === written;
    return { written, canonical: same ? null : canonical.join(', ') };
  });
}

import type { Db } from '../db/open-database.ts';
import { canonicalGenres, normaliseGenreKey, type Taxonomy } from '../taxonomy/taxonomy.ts';

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/**
 * The genre names people may want when they type genres: the taxonomy's
 * genres and every genre written in the library's files (as display names
 * where the taxonomy knows them, verbatim otherwise), one per key, sorted.
 */
export function genreNames(db: Db, taxonomy: Taxonomy): string[] {
  const written = (db.prepare(`SELECT DISTINCT g.genre FROM track_genres g JOIN tracks t ON t.id = g.track_id WHERE t.status = 'analysed'`).all() as { genre: string }[]).map((row) => row.genre);
  const byKey = new Map<string, string>();
  for (const name of [...taxonomy.definition.genres.map((genre) => genre.name), ...canonicalGenres(taxonomy, written)]) {
    const key = normaliseGenreKey(name) || name;
    if (!byKey.has(key)) byKey.set(key, name);
  }
  return [...byKey.values()].sort(collator.compare);
}

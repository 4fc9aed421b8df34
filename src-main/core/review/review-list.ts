import type { Db } from '../db/open-database.ts';
import type { GenreProbability, ReviewStatus } from '../shapes.ts';
import { canonicalGenres, displayNameForLabel, genresAgree, labelForGenre, type Taxonomy } from '../taxonomy/taxonomy.ts';

/** One predicted track as the review lists show it. */
export interface ReviewEntry {
  trackId: number;
  path: string;
  artist: string | null;
  title: string | null;
  /** The file's genres, canonicalised through the taxonomy. */
  tagGenres: string[];
  predictedLabel: string;
  predictedGenre: string;
  probability: number;
  ambiguous: boolean;
  status: ReviewStatus;
}

/** A prediction's genres (labels in model order, with their probabilities) as display names, most probable first. */
export function genreProbabilities(taxonomy: Taxonomy, labels: readonly string[], probabilities: ArrayLike<number>): GenreProbability[] {
  return labels.map((label, i) => ({ label, genre: displayNameForLabel(taxonomy, label), probability: probabilities[i]! })).sort((a, b) => b.probability - a.probability);
}

/**
 * The review status of one predicted track (the rule every review list and
 * the track view use): `row` is its stored prediction (top label, and the
 * `confident` and out-of-distribution flags as 0/1), `tagGenres` its genres
 * canonicalised through the taxonomy.
 */
export function statusOf(taxonomy: Taxonomy, row: { label: string; confident: number; ood: number }, tagGenres: string[]): ReviewStatus {
  if (row.ood) return 'out-of-distribution';
  if (tagGenres.length === 0) return 'untagged';
  if (genresAgree(taxonomy, tagGenres, row.label)) return 'agrees';
  if (tagGenres.every((genre) => labelForGenre(taxonomy, genre) === null)) return 'outside-model';
  return row.confident ? 'disputed' : 'unsure';
}

/** Memoises `fn` by a string key (a library holds few distinct genre tags: 100,000 tracks need a few hundred evaluations, not 100,000). */
function memoise<T>(fn: (key: string) => T): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    if (!cache.has(key)) cache.set(key, fn(key));
    return cache.get(key)!;
  };
}

/**
 * Every present track the model has predicted, with its review status, most
 * confident first; `only` keeps one status (`disputed`: ranked by how sure the model is).
 */
export function listReview(db: Db, modelId: string, taxonomy: Taxonomy, only?: ReviewStatus): ReviewEntry[] {
  // `+p.model_id`: scan the predictions table; the confidence index would cost a table lookup per row (5× slower at 100,000 tracks).
  const rows = db.prepare(`SELECT t.id, t.path, t.artist, t.title, p.top_label AS label, p.top_probability AS probability, p.confident, p.ambiguous, p.out_of_distribution AS ood,
      (SELECT json_group_array(genre) FROM (SELECT genre FROM track_genres g WHERE g.track_id = t.id ORDER BY position)) AS genres
    FROM predictions p JOIN tracks t ON t.id = p.track_id
    WHERE +p.model_id = ? AND t.status = 'analysed' ORDER BY p.top_probability DESC, t.path`).all(modelId) as Array<Record<string, any>>;
  const canonical = memoise((genres) => canonicalGenres(taxonomy, JSON.parse(genres) as string[]));
  const status = memoise((key) => {
    const [genres, label, confident, ood] = JSON.parse(key) as [string, string, number, number];
    return statusOf(taxonomy, { label, confident, ood }, canonical(genres));
  });
  return rows.map((row) => ({
    trackId: row.id, path: row.path, artist: row.artist, title: row.title, tagGenres: [...canonical(row.genres)],
    predictedLabel: row.label, predictedGenre: displayNameForLabel(taxonomy, row.label), probability: row.probability,
    ambiguous: row.ambiguous === 1, status: status(JSON.stringify([row.genres, row.label, row.confident, row.ood])),
  })).filter((entry) => !only || entry.status === only);
}

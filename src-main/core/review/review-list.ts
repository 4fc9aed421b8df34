import type { Db } from '../db/open-database.ts';
import type { GenreProbability, ReviewStatus, WrittenGenre } from '../shapes.ts';
import { writtenGenres } from './written-genres.ts';
import { canonicalGenres, displayNameForLabel, type Taxonomy } from '../taxonomy/taxonomy.ts';
import { gtzanReliabilityOf, judgeTrack, libraryExperts, musicnnModelId, storedInputs, type TrackJudgement } from './track-opinion.ts';

/** One judged track as the review lists show it. */
export interface ReviewEntry {
  trackId: number;
  path: string;
  artist: string | null;
  title: string | null;
  /** The file's genres, canonicalised through the taxonomy. */
  tagGenres: string[];
  /** The file's genre text as written, with display names where the taxonomy maps it elsewhere. */
  writtenGenres: WrittenGenre[];
  /** The GTZAN model's top label, genre and probability (null without its prediction). */
  predictedLabel: string | null;
  predictedGenre: string | null;
  probability: number | null;
  ambiguous: boolean;
  status: ReviewStatus;
  /** The combined opinion's dispute of the tag (0 … 1; 0 when untagged or undisputable). */
  dispute: number;
  /** The combined opinion's top genre and its confidence (null when no expert speaks). */
  suggestedGenre: string | null;
  suggestedConfidence: number | null;
  /** The combined opinion in one line each (`../opinion/explain.ts`), computed when called; not part of the entry's JSON. */
  explain: TrackJudgement['explain'];
}

/** The combined suggestion the Library and playlists offer for a track: none for a track out of distribution. */
export function offeredSuggestion(entry: ReviewEntry): { genre: string; confidence: number } | null {
  return entry.suggestedGenre === null || entry.status === 'out-of-distribution' ? null : { genre: entry.suggestedGenre, confidence: entry.suggestedConfidence! };
}

/** A prediction's genres (labels in model order, with their probabilities) as display names, most probable first. */
export function genreProbabilities(taxonomy: Taxonomy, labels: readonly string[], probabilities: ArrayLike<number>): GenreProbability[] {
  return labels.map((label, i) => ({ label, genre: displayNameForLabel(taxonomy, label), probability: probabilities[i]! })).sort((a, b) => b.probability - a.probability);
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
 * Every present track with a prediction by the model or a MusiCNN analysis,
 * with its review status from the combined opinion (`track-opinion.ts`), the
 * GTZAN model's most confident first; `only` keeps one status (`disputed`:
 * ranked by the combined dispute, most disputed first).
 */
export function listReview(db: Db, modelId: string, taxonomy: Taxonomy, only?: ReviewStatus): ReviewEntry[] {
  const musicnnId = musicnnModelId();
  const rows = db.prepare(`SELECT t.id, t.path, t.artist, t.title, p.top_label AS label, p.top_probability AS probability, p.ambiguous, p.out_of_distribution AS ood, p.ood_score AS oodScore,
      p.labels, p.probabilities, m.tags AS musicnnTags, m.track_id IS NOT NULL AS hasMusicnn,
      (SELECT json_group_array(genre) FROM (SELECT genre FROM track_genres g WHERE g.track_id = t.id ORDER BY position)) AS genres
    FROM tracks t LEFT JOIN predictions p ON p.track_id = t.id AND p.model_id = ? LEFT JOIN musicnn m ON m.track_id = t.id AND m.model = ?
    WHERE t.status = 'analysed' AND (p.track_id IS NOT NULL OR m.track_id IS NOT NULL)
    ORDER BY p.top_probability IS NULL, p.top_probability DESC, t.path`).all(modelId, musicnnId) as Array<Record<string, any>>;
  const canonical = memoise((genres) => canonicalGenres(taxonomy, JSON.parse(genres) as string[]));
  const written = memoise((genres) => writtenGenres(taxonomy, JSON.parse(genres) as string[]));
  const library = libraryExperts(db, modelId, taxonomy);
  const reliability = gtzanReliabilityOf(modelId);
  const entries = rows.map((row): ReviewEntry => {
    const tagGenres = [...canonical(row.genres)];
    const judged = judgeTrack(taxonomy, storedInputs(row as Parameters<typeof storedInputs>[0], library.get(row.id)), tagGenres, reliability);
    return {
      trackId: row.id, path: row.path, artist: row.artist, title: row.title, tagGenres, writtenGenres: written(row.genres),
      predictedLabel: row.label ?? null, predictedGenre: row.label ? displayNameForLabel(taxonomy, row.label) : null, probability: row.probability ?? null,
      ambiguous: row.ambiguous === 1, status: judged.status, dispute: judged.dispute,
      suggestedGenre: judged.suggestion?.genre ?? null, suggestedConfidence: judged.suggestion?.confidence ?? null, explain: judged.explain,
    };
  });
  if (!only) return entries;
  const kept = entries.filter((entry) => entry.status === only);
  return only === 'disputed' ? kept.sort((a, b) => b.dispute - a.dispute) : kept;
}

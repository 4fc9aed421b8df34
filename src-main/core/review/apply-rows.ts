import type { Db } from '../db/open-database.ts';
import type { Taxonomy } from '../taxonomy/taxonomy.ts';
import type { ApplyRefusal, ApplyRow, ApplyScope } from '../shapes.ts';
import { planApply, type ApplyFilters, type PlannedWrite } from './apply-plan.ts';
import { locator } from './track-location.ts';

export interface ApplyQuery {
  scope: ApplyScope;
  /** Lowest probability of a prediction to write (not used for `decisions`). */
  minConfidence: number;
}

/** A plan for people (`rows`, `refused`) and the writes behind the rows, in the same order. */
export interface ApplyRowsPlan {
  rows: ApplyRow[];
  writes: PlannedWrite[];
  refused: ApplyRefusal[];
}

const FILTERS: Record<ApplyScope, (minConfidence: number) => ApplyFilters> = {
  decisions: () => ({}),
  all: (minConfidence) => ({ minConfidence }),
  untagged: (minConfidence) => ({ minConfidence, untaggedOnly: true }),
  disputed: (minConfidence) => ({ minConfidence, disputedOnly: true }),
};

interface TrackFacts {
  id: number;
  path: string;
  title: string | null;
  artist: string | null;
  genres: string;
}

/** Title, artist and stored genres of the tracks at these paths, in one query. */
function factsByPath(db: Db, paths: string[]): Map<string, TrackFacts> {
  const rows = db.prepare(`SELECT t.id, t.path, t.title, t.artist,
      (SELECT json_group_array(genre) FROM (SELECT genre FROM track_genres g WHERE g.track_id = t.id ORDER BY position)) AS genres
    FROM tracks t WHERE t.path IN (SELECT value FROM json_each(?))`).all(JSON.stringify(paths)) as TrackFacts[];
  return new Map(rows.map((row) => [row.path, row]));
}

/**
 * What an apply of this scope and threshold would write, with each file's
 * current genres, title and artist (the core's `planApply` rules, so the
 * interface shows exactly what `sonority apply` would do), and the changes
 * the taxonomy's write policy refuses, with its reason. A few queries for the
 * whole plan, so it can be recomputed as a slider moves.
 */
export async function planApplyRows(db: Db, modelId: string, taxonomy: Taxonomy, query: ApplyQuery): Promise<ApplyRowsPlan> {
  const { writes, refused } = await planApply(db, modelId, taxonomy, FILTERS[query.scope](query.minConfidence));
  const facts = factsByPath(db, [...writes.map((w) => w.path), ...refused.map((r) => r.path)]);
  const locate = locator(db);
  const rows = writes.map((write) => {
    const track = facts.get(write.path)!;
    return {
      trackId: write.trackId, title: track.title, ...locate(write.path), artist: track.artist, oldGenres: JSON.parse(track.genres) as string[],
      newGenres: write.genres, source: write.source, confidence: write.confidence,
    };
  });
  return { rows, writes, refused: refused.map((r) => ({ trackId: facts.get(r.path)?.id ?? null, title: facts.get(r.path)?.title ?? null, ...locate(r.path), kind: r.kind, message: r.message })) };
}

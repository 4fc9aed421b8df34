import path from 'node:path';
import type { Db } from '../db/open-database.ts';
import { canonicalGenres, type Taxonomy } from '../taxonomy/taxonomy.ts';
import type { LibraryRow } from '../shapes.ts';
import { listReview } from './review-list.ts';

/**
 * Every analysed track of the library with its genres (canonical display
 * names), the model's top genre and the review status (`not-predicted` when
 * `modelId` is null or has no prediction for it), in path order.
 */
export function libraryTracks(db: Db, modelId: string | null, taxonomy: Taxonomy): LibraryRow[] {
  const reviewed = new Map((modelId ? listReview(db, modelId, taxonomy) : []).map((entry) => [entry.trackId, entry]));
  const rows = db.prepare(`SELECT t.id, t.path, t.title, t.artist, t.album,
      (SELECT json_group_array(genre) FROM (SELECT genre FROM track_genres g WHERE g.track_id = t.id ORDER BY position)) AS genres
    FROM tracks t WHERE t.status = 'analysed' ORDER BY t.path`).all() as Array<{ id: number; path: string; title: string | null; artist: string | null; album: string | null; genres: string }>;
  return rows.map((row) => {
    const review = reviewed.get(row.id);
    return {
      id: row.id, fileName: path.basename(row.path), title: row.title, artist: row.artist, album: row.album,
      genres: review?.tagGenres ?? canonicalGenres(taxonomy, JSON.parse(row.genres) as string[]),
      predicted: review?.predictedGenre ?? null,
      confidence: review?.probability ?? null,
      status: review?.status ?? 'not-predicted',
    };
  });
}

import type { Db } from '../db/open-database.ts';
import { canonicalGenres, type Taxonomy } from '../taxonomy/taxonomy.ts';
import type { DecisionState, LibraryRow } from '../shapes.ts';
import { createDecisionsStore } from '../db/decisions-store.ts';
import { locator } from './track-location.ts';
import { writtenGenres } from './written-genres.ts';
import { listReview, offeredSuggestion } from './review-list.ts';
import { musicnnModelId } from './track-opinion.ts';
import { probabilitiesFromBlob } from '../db/compact-blobs.ts';
import { headsFrom, moodsOf } from './musicnn-view.ts';

/** Each decided track's decision state: genres still to write, written (or already in the file), the tag kept, or skipped. */
function decisionStates(db: Db): Map<number, DecisionState> {
  const decisions = createDecisionsStore(db);
  const toWrite = new Set(decisions.pending().map((pending) => pending.trackId));
  const states = new Map<number, DecisionState>();
  for (const [trackId, action] of decisions.latestActions()) {
    states.set(trackId, action === 'keep' ? 'kept' : action === 'skip' ? 'skipped' : toWrite.has(trackId) ? 'to-write' : 'written');
  }
  return states;
}

/**
 * Every analysed track of the library with its genres (canonical display
 * names), the experts' combined top genre and confidence (none for a track
 * out of distribution: nothing is suggested for it), the review status (`not-predicted` when
 * `modelId` is null or has no prediction for it) and MusiCNN's danceability
 * and mood heads (null without its analysis), its folder, genre text as
 * written and latest decision, in path order.
 */
export function libraryTracks(db: Db, modelId: string | null, taxonomy: Taxonomy): LibraryRow[] {
  const reviewed = new Map((modelId ? listReview(db, modelId, taxonomy) : []).map((entry) => [entry.trackId, entry]));
  const rows = db.prepare(`SELECT t.id, t.path, t.title, t.artist, t.album, m.heads,
      (SELECT json_group_array(genre) FROM (SELECT genre FROM track_genres g WHERE g.track_id = t.id ORDER BY position)) AS genres
    FROM tracks t LEFT JOIN musicnn m ON m.track_id = t.id AND m.model = ?
    WHERE t.status = 'analysed' ORDER BY t.path`).all(musicnnModelId()) as Array<{ id: number; path: string; title: string | null; artist: string | null; album: string | null; genres: string; heads: Uint8Array | null }>;
  const locate = locator(db);
  const decisions = decisionStates(db);
  return rows.map((row) => {
    const review = reviewed.get(row.id);
    const tagged = JSON.parse(row.genres) as string[];
    const heads = row.heads ? headsFrom(probabilitiesFromBlob(row.heads)) : null;
    const suggestion = review ? offeredSuggestion(review) : null;
    return {
      id: row.id, ...locate(row.path), title: row.title, artist: row.artist, album: row.album,
      genres: review?.tagGenres ?? canonicalGenres(taxonomy, tagged),
      writtenGenres: writtenGenres(taxonomy, tagged),
      decision: decisions.get(row.id) ?? null,
      predicted: suggestion?.genre ?? null,
      confidence: suggestion?.confidence ?? null,
      status: review?.status ?? 'not-predicted',
      heads, moods: moodsOf(heads),
    };
  });
}

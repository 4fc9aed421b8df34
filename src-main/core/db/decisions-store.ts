import type { Db } from './open-database.ts';
import { nowIso } from './time.ts';

/** What was decided for a track's genres: take the model's top genre, another predicted one, typed genres, keep the tag, or skip for now. */
export type DecisionAction = 'accept' | 'choose' | 'custom' | 'keep' | 'skip';

/** A decision to record. */
export interface Decision {
  trackId: number;
  action: DecisionAction;
  /** The genres to write (empty for keep and skip). */
  genres: string[];
  modelId: string | null;
  decidedBy: string;
}

/** A track whose latest decision sets genres it does not have and that no write has applied yet (an undone write un-applies it). */
export interface PendingDecision {
  trackId: number;
  path: string;
  genres: string[];
  modelId: string | null;
  action: DecisionAction;
}

/** A recorded decision. */
export interface StoredDecision {
  id: number;
  trackId: number;
  action: DecisionAction;
  genres: string[];
  decidedAt: string;
}

const toStored = (row: unknown): StoredDecision | undefined => {
  const r = row as (StoredDecision & { genres: string }) | undefined;
  return r && { ...r, genres: JSON.parse(r.genres) as string[] };
};

/** Review decisions: record them, find those still to write, and take back the latest of a track. */
export function createDecisionsStore(db: Db) {
  const insert = db.prepare(`INSERT INTO decisions (track_id, action, genres, model_id, decided_by, decided_at) VALUES (@trackId, @action, @genres, @modelId, @decidedBy, @now) RETURNING id`);
  const latest = db.prepare(`SELECT d.track_id AS trackId, t.path, d.genres, d.model_id AS modelId, d.action FROM decisions d JOIN tracks t ON t.id = d.track_id
    WHERE d.id = (SELECT MAX(id) FROM decisions WHERE track_id = d.track_id) AND t.status = 'analysed'
      AND d.action IN ('accept', 'choose', 'custom')
      AND d.genres <> (SELECT json_group_array(genre) FROM (SELECT genre FROM track_genres g WHERE g.track_id = d.track_id ORDER BY position))
      AND NOT EXISTS (SELECT 1 FROM journal j JOIN write_batches b ON b.id = j.batch_id
        WHERE j.track_id = d.track_id AND j.state = 'written' AND b.undoes IS NULL AND j.created_at >= d.decided_at)
    ORDER BY t.path`);
  const decidedTracks = db.prepare(`SELECT DISTINCT track_id AS trackId FROM decisions`);
  const latestActions = db.prepare(`SELECT track_id AS trackId, action FROM decisions WHERE id IN (SELECT MAX(id) FROM decisions GROUP BY track_id)`);
  const columns = 'id, track_id AS trackId, action, genres, decided_at AS decidedAt';
  const byId = db.prepare(`SELECT ${columns} FROM decisions WHERE id = ?`);
  const ofTrack = db.prepare(`SELECT ${columns} FROM decisions WHERE track_id = ? ORDER BY id DESC`);
  const writtenSince = db.prepare(`SELECT 1 FROM journal j JOIN write_batches b ON b.id = j.batch_id
    WHERE j.track_id = ? AND j.state = 'written' AND b.undoes IS NULL AND j.created_at >= ? LIMIT 1`);
  const remove = db.prepare('DELETE FROM decisions WHERE id = ?');
  return {
    /** Records a decision; returns its id. */
    record: (decision: Decision): number => (insert.get({ ...decision, genres: JSON.stringify(decision.genres), now: nowIso() }) as { id: number }).id,
    /** Decisions that set genres and are not written yet. */
    pending: (): PendingDecision[] => latest.all().map((row) => {
      const r = row as PendingDecision & { genres: string };
      return { ...r, genres: JSON.parse(r.genres) as string[] };
    }),
    /** Tracks someone has decided about (batch rules leave them alone). */
    decidedTrackIds: (): Set<number> => new Set(decidedTracks.all().map((row) => (row as { trackId: number }).trackId)),
    /** Each decided track's latest action. */
    latestActions: (): Map<number, DecisionAction> => new Map(latestActions.all().map((row) => {
      const r = row as { trackId: number; action: DecisionAction };
      return [r.trackId, r.action];
    })),
    /** One decision by id. */
    find: (decisionId: number): StoredDecision | undefined => toStored(byId.get(decisionId)),
    /** A track's latest decision (the one that counts). */
    latest: (trackId: number): StoredDecision | undefined => toStored(ofTrack.get(trackId)),
    /** Every decision about a track, newest first. */
    ofTrack: (trackId: number): StoredDecision[] => ofTrack.all(trackId).map((row) => toStored(row)!),
    /** Whether a write (not undone since) has put genres into the track's file after this decision. */
    isWritten: (decision: StoredDecision): boolean => writtenSince.get(decision.trackId, decision.decidedAt) !== undefined,
    /** Deletes a decision; the track's previous one, if any, counts again. */
    remove: (decisionId: number): void => void remove.run(decisionId),
  };
}

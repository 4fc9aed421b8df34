import type { Db } from '../db/open-database.ts';
import { undoWriteBatch } from './undo-writes.ts';

/** An undone batch in a person's terms. */
export interface UndoSummary {
  undoBatchId: number;
  restored: number;
  /** The files that could not be restored (changed since the write, unreadable, …), in words. */
  failed: { title: string | null; message: string }[];
}

/** Undoes write batch `batchId` (see `undoWriteBatch`) and names each file it could not restore by its track's title. Throws `nothing-to-undo`. */
export async function undoBatchForPeople(db: Db, batchId: number): Promise<UndoSummary> {
  const { undoBatchId, outcomes } = await undoWriteBatch(db, batchId);
  const titles = new Map((db.prepare(`SELECT j.path, t.title FROM journal j LEFT JOIN tracks t ON t.id = j.track_id WHERE j.batch_id = ?`).all(batchId) as { path: string; title: string | null }[]).map((row) => [row.path, row.title]));
  const failed = outcomes.flatMap((outcome) => (outcome.ok ? [] : [{ title: titles.get(outcome.path) ?? null, message: outcome.message }]));
  return { undoBatchId, restored: outcomes.length - failed.length, failed };
}

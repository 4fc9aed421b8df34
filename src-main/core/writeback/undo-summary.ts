import type { Db } from '../db/open-database.ts';
import type { UndoResult } from '../shapes.ts';
import { undoWriteBatch } from './undo-writes.ts';
import { locator } from '../review/track-location.ts';

/** Undoes write batch `batchId` (see `undoWriteBatch`) and names each file it could not restore by its track's title, file name and folder. Throws `nothing-to-undo`. */
export async function undoBatchForPeople(db: Db, batchId: number): Promise<UndoResult> {
  const { undoBatchId, outcomes } = await undoWriteBatch(db, batchId);
  const titles = new Map((db.prepare(`SELECT j.path, t.title FROM journal j LEFT JOIN tracks t ON t.id = j.track_id WHERE j.batch_id = ?`).all(batchId) as { path: string; title: string | null }[]).map((row) => [row.path, row.title]));
  const locate = locator(db);
  const failed = outcomes.flatMap((outcome) => (outcome.ok ? [] : [{ title: titles.get(outcome.path) ?? null, ...locate(outcome.path), message: outcome.message }]));
  return { undoBatchId, restored: outcomes.length - failed.length, failed };
}

import type { Db } from './open-database.ts';
import { nowIso, pathsUnder } from './time.ts';

/** One row of the failures table: the latest reason a path could not be analysed. */
export interface FailureRecord {
  path: string;
  stage: string;
  code: string;
  message: string;
  size: number | null;
  mtimeMs: number | null;
  failedAt: string;
}

/** Failures that may pass on their own (permissions fixed, file settled): retried on every scan. */
export const TRANSIENT_FAILURES: ReadonlySet<string> = new Set(['permission-denied', 'vanished', 'changed-during-scan', 'io-error', 'unexpected', 'unreadable-folder']);

/** Persistence of the failures table: record, look up, clear, list. */
export function createFailuresStore(db: Db) {
  const upsert = db.prepare(`INSERT INTO failures (path, track_id, stage, code, message, size, mtime_ms, last_seen_scan, failed_at)
    VALUES (@path, (SELECT id FROM tracks WHERE path = @path), @stage, @code, @message, @size, @mtimeMs, @scanId, @now)
    ON CONFLICT (path) DO UPDATE SET track_id = excluded.track_id, stage = excluded.stage, code = excluded.code, message = excluded.message,
      size = excluded.size, mtime_ms = excluded.mtime_ms, last_seen_scan = excluded.last_seen_scan, failed_at = excluded.failed_at`);
  const byPath = db.prepare('SELECT path, stage, code, message, size, mtime_ms AS mtimeMs, failed_at AS failedAt FROM failures WHERE path = ?');
  const markSeen = db.prepare('UPDATE failures SET last_seen_scan = ? WHERE path = ?');
  const clear = db.prepare('DELETE FROM failures WHERE path = ?');
  const clearUnseen = db.prepare('DELETE FROM failures WHERE path > @from AND path < @to AND (last_seen_scan IS NULL OR last_seen_scan <> @scanId)');
  const list = db.prepare('SELECT path, stage, code, message, size, mtime_ms AS mtimeMs, failed_at AS failedAt FROM failures ORDER BY path');

  return {
    /** Records (or replaces) the failure of `path`. */
    record: (failure: Omit<FailureRecord, 'failedAt'>, scanId: number): void => void upsert.run({ ...failure, scanId, now: nowIso() }),
    /** The current failure of `path`, if any. */
    find: (path: string): FailureRecord | undefined => byPath.get(path) as FailureRecord | undefined,
    /** Keeps a still-failing, unchanged file's failure as current for this scan. */
    markSeen: (path: string, scanId: number): void => void markSeen.run(scanId, path),
    /** Removes the failure of a path that now succeeded. */
    clear: (path: string): void => void clear.run(path),
    /** After a completed scan: drops failures of paths under `root` that no longer exist. */
    clearUnseenUnder: (root: string, scanId: number): number => clearUnseen.run({ ...pathsUnder(root), scanId }).changes,
    /** Every current failure, by path. */
    list: (): FailureRecord[] => list.all() as FailureRecord[],
  };
}

export type FailuresStore = ReturnType<typeof createFailuresStore>;

import type { Db } from './open-database.ts';
import { nowIso } from './time.ts';
import type { BytePatch } from '../tags/byte-patch.ts';
import type { WriteBatch } from '../shapes.ts';

/** A journal entry as the write and undo code need it. */
export interface JournalEntry {
  id: number;
  batchId: number;
  trackId: number | null;
  path: string;
  oldGenres: string[];
  newGenres: string[];
  patch: BytePatch;
  beforeSha256: string;
  afterSha256: string;
  /** The file's modification time before, in nanoseconds (from the milliseconds older versions recorded). */
  beforeMtimeNs: bigint;
  /** The temporary file the new version was written to first (null for entries older versions wrote). */
  temporaryPath: string | null;
  state: 'pending' | 'written' | 'not-written' | 'undone';
}

/** What is recorded before a file is replaced. */
export interface PendingWrite {
  batchId: number;
  trackId: number | null;
  path: string;
  oldGenres: string[];
  newGenres: string[];
  modelId: string | null;
  patch: BytePatch;
  beforeSha256: string;
  afterSha256: string;
  beforeMtimeMs: number;
  beforeMtimeNs: bigint;
  temporaryPath: string;
}

function toEntry(row: Record<string, any>): JournalEntry {
  return {
    id: row.id, batchId: row.batch_id, trackId: row.track_id, path: row.path, state: row.state,
    oldGenres: JSON.parse(row.old_genres), newGenres: JSON.parse(row.new_genres),
    patch: { oldHead: row.old_head, newHeadLength: row.new_head_length, prefixLength: row.prefix_length, oldMiddle: row.old_middle, newMiddleLength: row.new_middle_length },
    beforeSha256: row.before_sha256, afterSha256: row.after_sha256,
    beforeMtimeNs: row.before_mtime_ns === null ? BigInt(Math.round(row.before_mtime_ms * 1e6)) : BigInt(row.before_mtime_ns),
    temporaryPath: row.temp_path,
  };
}

/** The write journal: batches, an entry per file recorded before it is replaced, and their outcome. */
export function createJournalStore(db: Db) {
  const insertBatch = db.prepare(`INSERT INTO write_batches (command, started_at, status, pid, undoes) VALUES (?, ?, 'running', ?, ?) RETURNING id`);
  const finishBatch = db.prepare(`UPDATE write_batches SET status = ?, finished_at = ? WHERE id = ?`);
  const insertEntry = db.prepare(`INSERT INTO journal (batch_id, track_id, path, old_genres, new_genres, model_id, old_head, new_head_length, prefix_length, old_middle, new_middle_length,
      before_sha256, after_sha256, before_mtime_ms, before_mtime_ns, temp_path, state, created_at)
    VALUES (@batchId, @trackId, @path, @oldGenres, @newGenres, @modelId, @oldHead, @newHeadLength, @prefixLength, @oldMiddle, @newMiddleLength, @beforeSha256, @afterSha256, @beforeMtimeMs, @beforeMtimeNs, @temporaryPath, 'pending', @now) RETURNING id`);
  const settle = db.prepare(`UPDATE journal SET state = ?, settled_at = ? WHERE id = ?`);
  const settleWritten = db.transaction((id: number, undoneId: number | null) => {
    const now = nowIso();
    settle.run('written', now, id);
    if (undoneId !== null) settle.run('undone', now, undoneId);
  });
  // An entry still `written` although an undo of its batch wrote its file back: the gap an older version left when killed between the two.
  const undoneByLaterUndo = db.prepare(`UPDATE journal SET state = 'undone', settled_at = ? WHERE id IN (
      SELECT j.id FROM write_batches ub JOIN journal u ON u.batch_id = ub.id JOIN journal j ON j.batch_id = ub.undoes AND j.path = u.path
      WHERE ub.undoes IS NOT NULL AND u.state = 'written' AND j.state = 'written'
        AND u.before_sha256 = j.after_sha256 AND u.after_sha256 = j.before_sha256)`);
  const byState = db.prepare(`SELECT * FROM journal WHERE state = ? ORDER BY id`);
  const ofBatch = db.prepare(`SELECT * FROM journal WHERE batch_id = ? ORDER BY id`);
  const byId = db.prepare(`SELECT * FROM journal WHERE id = ?`);
  const undoneBy = db.prepare(`SELECT j.id FROM journal j JOIN write_batches u ON u.undoes = j.batch_id WHERE u.id = ? AND j.path = ? AND j.state = 'written'`);
  const lastWritten = db.prepare(`SELECT b.id FROM write_batches b WHERE b.undoes IS NULL AND EXISTS (SELECT 1 FROM journal j WHERE j.batch_id = b.id AND j.state = 'written') ORDER BY b.id DESC LIMIT 1`);
  const running = db.prepare(`SELECT id, pid FROM write_batches WHERE status = 'running'`);
  const recent = db.prepare(`SELECT b.id, b.command, b.started_at AS createdAt, b.undoes, COUNT(j.id) AS files,
      COALESCE(SUM(j.state IN ('written', 'undone')), 0) AS written, COALESCE(SUM(j.state = 'undone'), 0) > 0 AND COALESCE(SUM(j.state = 'written'), 0) = 0 AS undone
    FROM (SELECT * FROM write_batches ORDER BY id DESC LIMIT ?) b LEFT JOIN journal j ON j.batch_id = b.id GROUP BY b.id ORDER BY b.id DESC`);

  return {
    /** Opens a batch for a command (`undoes`: the batch an undo reverts). */
    startBatch: (command: string, undoes: number | null = null): number => (insertBatch.get(command, nowIso(), process.pid, undoes) as { id: number }).id,
    /** Closes a batch. */
    finishBatch: (id: number, status: 'completed' | 'interrupted'): void => void finishBatch.run(status, nowIso(), id),
    /** Records a write about to happen; returns the entry id. */
    recordPending: (write: PendingWrite): number => (insertEntry.get({
      ...write, oldGenres: JSON.stringify(write.oldGenres), newGenres: JSON.stringify(write.newGenres),
      oldHead: write.patch.oldHead, newHeadLength: write.patch.newHeadLength, prefixLength: write.patch.prefixLength, oldMiddle: write.patch.oldMiddle, newMiddleLength: write.patch.newMiddleLength, beforeMtimeNs: String(write.beforeMtimeNs), now: nowIso(),
    }) as { id: number }).id,
    /** Settles an entry whose file was not replaced (`written` goes through `settleWritten`, with the entry an undo restored). */
    settle: (id: number, state: 'not-written'): void => void settle.run(state, nowIso(), id),
    /** Settles an entry as `written` and, for an undo's entry, the entry it restored as `undone`, in one transaction. */
    settleWritten: (id: number, undoneId: number | null): void => settleWritten(id, undoneId),
    /** Marks `undone` every entry an undo restored but left `written` (an older version killed between the two). */
    repairUndone: (): void => void undoneByLaterUndo.run(nowIso()),
    /** Entries left `pending` by a process that died between recording and settling them. */
    pending: (): JournalEntry[] => byState.all('pending').map((row) => toEntry(row as Record<string, any>)),
    /** One entry. */
    entry: (id: number): JournalEntry => toEntry(byId.get(id) as Record<string, any>),
    /** For an entry of an undo batch: the entry of the undone batch it restores, if still marked written. */
    restoredEntryId: (undoBatchId: number, path: string): number | null => (undoneBy.get(undoBatchId, path) as { id: number } | undefined)?.id ?? null,
    /** Every entry of a batch. */
    entries: (batchId: number): JournalEntry[] => ofBatch.all(batchId).map((row) => toEntry(row as Record<string, any>)),
    /** The latest batch (not itself an undo) with files still written. */
    lastUndoable: (): number | null => (lastWritten.get() as { id: number } | undefined)?.id ?? null,
    /** The latest `limit` batches, newest first, with their file counts. */
    recentBatches: (limit: number): WriteBatch[] => recent.all(limit).map((row) => ({ ...(row as WriteBatch), undone: (row as { undone: number }).undone === 1 })),
    /** Batches still marked running, with the process that runs them. */
    runningBatches: (): { id: number; pid: number }[] => running.all() as { id: number; pid: number }[],
  };
}

export type JournalStore = ReturnType<typeof createJournalStore>;

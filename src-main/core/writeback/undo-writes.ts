import fs from 'node:fs/promises';
import type { Db } from '../db/open-database.ts';
import { describeWriteError, SonorityError } from '../errors.ts';
import { createJournalStore, type JournalEntry, type JournalStore } from '../db/journal-store.ts';
import { applyReversePatch, reversePatch, sha256 } from '../tags/byte-patch.ts';
import { replaceFileAtomically } from '../tags/atomic-file.ts';
import { settleAsWritten, settleByFile } from './record-in-library.ts';
import { settlePendingWrites } from './settle-pending.ts';

/** How undoing one file went. */
export type UndoOutcome = { ok: true; path: string; genres: string[] } | { ok: false; path: string; code: string; message: string };

async function restore(db: Db, journal: JournalStore, undoBatch: number, entry: JournalEntry): Promise<UndoOutcome> {
  let pendingId: number | null = null;
  try {
    const [bytes, stat] = await Promise.all([fs.readFile(entry.path), fs.stat(entry.path)]);
    if (sha256(bytes) !== entry.afterSha256) throw new SonorityError('changed-since-write', `${entry.path}: the file changed after Sonority wrote it; it was not restored`);
    const old = applyReversePatch(bytes, entry.patch);
    if (sha256(old) !== entry.beforeSha256) throw new SonorityError('journal-mismatch', `${entry.path}: the journal cannot rebuild the old file exactly; it was not restored`);
    await replaceFileAtomically(entry.path, old, stat, {
      mtime: entry.beforeMtimeNs,
      beforeWrite: ({ temporaryPath, mtimeNs }) => {
        pendingId = journal.recordPending({
          batchId: undoBatch, trackId: entry.trackId, path: entry.path, oldGenres: entry.newGenres, newGenres: entry.oldGenres, modelId: null, temporaryPath,
          patch: reversePatch(bytes, old), beforeSha256: entry.afterSha256, afterSha256: entry.beforeSha256, beforeMtimeMs: stat.mtimeMs, beforeMtimeNs: mtimeNs,
        });
      },
    });
    // The undo's entry, the restored entry's `undone` and the library's track change together.
    await settleAsWritten(db, journal, journal.entry(pendingId!), entry.id);
    return { ok: true, path: entry.path, genres: entry.oldGenres };
  } catch (error) {
    if (pendingId !== null) await settleByFile(db, journal, pendingId, entry.id);
    const { code, message } = describeWriteError(error, entry.path);
    return { ok: false, path: entry.path, code, message };
  }
}

export interface UndoOptions {
  /** Stops after the file being restored; the undo batch is then `interrupted`. */
  signal?: AbortSignal;
  onOutcome?: (outcome: UndoOutcome) => void;
}

/**
 * Undoes a write batch (the latest one with files still written when
 * `batchId` is null): every file it wrote is restored byte for byte, with its
 * old modification time, if it is still exactly as Sonority left it; a file
 * changed since is reported and left alone. The undo is journaled like any write.
 */
export async function undoWriteBatch(db: Db, batchId: number | null, options: UndoOptions = {}): Promise<{ batchId: number; undoBatchId: number; outcomes: UndoOutcome[] }> {
  db.pragma('synchronous = FULL');
  await settlePendingWrites(db);
  const journal = createJournalStore(db);
  const target = batchId ?? journal.lastUndoable();
  if (target === null) throw new SonorityError('nothing-to-undo', 'there is no tag write left to undo');
  const entries = journal.entries(target).filter((entry) => entry.state === 'written').reverse();
  if (entries.length === 0) throw new SonorityError('nothing-to-undo', `write batch ${target} has no written file left to undo`);
  const undoBatchId = journal.startBatch('undo', target);
  const outcomes: UndoOutcome[] = [];
  for (const entry of entries) {
    if (options.signal?.aborted) break;
    const outcome = await restore(db, journal, undoBatchId, entry);
    outcomes.push(outcome);
    options.onOutcome?.(outcome);
  }
  journal.finishBatch(undoBatchId, options.signal?.aborted ? 'interrupted' : 'completed');
  return { batchId: target, undoBatchId, outcomes };
}

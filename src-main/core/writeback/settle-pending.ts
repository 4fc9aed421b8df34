import fs from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/open-database.ts';
import { createJournalStore, type JournalEntry, type JournalStore } from '../db/journal-store.ts';
import { isAlive } from '../db/scans-store.ts';
import { isTemporaryFileName } from '../tags/atomic-file.ts';
import { settleByFile } from './record-in-library.ts';

/**
 * Pending entries no process is working on: those of batches no longer
 * running or whose process is gone. Batches this process runs count as
 * abandoned only for a caller that runs no batch itself (`ownAbandoned`: a
 * write or undo about to start).
 */
function abandonedEntries(journal: JournalStore, ownAbandoned: boolean): JournalEntry[] {
  const live = new Set(journal.runningBatches().filter((b) => (b.pid === process.pid ? !ownAbandoned : isAlive(b.pid))).map((b) => b.id));
  return journal.pending().filter((entry) => !live.has(entry.batchId));
}

/**
 * Removes the temporary file a killed write left for `entry`: the one its
 * journal entry names, if it is still a plain file with a temporary file's
 * name, never anything else. Returns false when it is there but could not be
 * removed (the entry should then stay pending, to try again).
 */
async function removeTemporaryFile(entry: JournalEntry): Promise<boolean> {
  const temp = entry.temporaryPath;
  if (temp === null || !isTemporaryFileName(path.basename(temp))) return true;
  const stat = await fs.lstat(temp).catch(() => null);
  if (!stat?.isFile()) return true;
  return fs.rm(temp).then(() => true, (error: NodeJS.ErrnoException) => error.code === 'ENOENT');
}

/**
 * Removes the temporary files (as large as the audio file each) that killed
 * writes on this library left: only those its journal's pending entries
 * name, of batches whose process is gone. A scan calls it; the write
 * commands do it while settling (`settlePendingWrites`).
 */
export async function removeAbandonedTemporaryFiles(db: Db): Promise<void> {
  for (const entry of abandonedEntries(createJournalStore(db), false)) await removeTemporaryFile(entry);
}

/**
 * Settles what a killed write left behind. A `pending` entry's temporary file
 * is removed, and the entry settled by its file: the old one (the rename
 * never happened: `not-written`) or the new one (`written`, and the library
 * is updated to match; for an undo, the entry it undid becomes `undone` in
 * the same transaction); the rename is atomic, so there is no third state
 * unless someone else changed the file since. A file that cannot be read now
 * stays pending, and so do entries of a batch another live process is
 * running. An entry an undo restored but an older version left `written`
 * becomes `undone`. Batches of processes that are gone become `interrupted`.
 * Returns how many pending entries it looked at.
 */
export async function settlePendingWrites(db: Db): Promise<number> {
  const journal = createJournalStore(db);
  const pending = abandonedEntries(journal, true);
  for (const entry of pending) {
    if (!(await removeTemporaryFile(entry))) continue; // still there: settle it another time
    await settleByFile(db, journal, entry.id, journal.restoredEntryId(entry.batchId, entry.path));
  }
  journal.repairUndone();
  for (const batch of journal.runningBatches()) if (batch.pid !== process.pid && !isAlive(batch.pid)) journal.finishBatch(batch.id, 'interrupted');
  return pending.length;
}

import type { Db } from '../db/open-database.ts';
import { createJournalStore } from '../db/journal-store.ts';
import { isAlive } from '../db/scans-store.ts';
import { fileHasHash, settleAsWritten } from './record-in-library.ts';

/**
 * Settles what a killed write left behind. A `pending` entry's file is either
 * the old one (the rename never happened: `not-written`) or the new one
 * (`written`, and the library is updated to match; for an undo, the entry it
 * undid becomes `undone`); the rename is atomic, so there is no third state
 * unless someone else changed the file since. A file that cannot be read now
 * stays pending, and so do entries of a batch another live process is
 * running. Batches of processes that are gone become `interrupted`. Returns
 * how many entries it looked at.
 */
export async function settlePendingWrites(db: Db): Promise<number> {
  const journal = createJournalStore(db);
  const liveElsewhere = new Set(journal.runningBatches().filter((b) => b.pid !== process.pid && isAlive(b.pid)).map((b) => b.id));
  const pending = journal.pending().filter((entry) => !liveElsewhere.has(entry.batchId));
  for (const entry of pending) {
    const replaced = await fileHasHash(entry.path, entry.afterSha256);
    if (replaced === null) continue; // unreadable now (unplugged drive?): settle it another time
    if (!replaced) {
      journal.settle(entry.id, 'not-written');
      continue;
    }
    await settleAsWritten(db, journal, entry.id, entry.trackId, entry.path, entry.newGenres);
    // A restored file of an undo: the entry it undid is undone.
    const undone = journal.restoredEntryId(entry.batchId, entry.path);
    if (undone !== null) journal.settle(undone, 'undone');
  }
  for (const batch of journal.runningBatches()) if (batch.pid !== process.pid && !liveElsewhere.has(batch.id)) journal.finishBatch(batch.id, 'interrupted');
  return pending.length;
}

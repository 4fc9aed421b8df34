import fs from 'node:fs/promises';
import type { Db } from '../db/open-database.ts';
import { createJournalStore } from '../db/journal-store.ts';
import { isAlive } from '../db/scans-store.ts';
import { sha256 } from '../tags/byte-patch.ts';
import { recordInLibrary } from './record-in-library.ts';

/**
 * Settles what a killed write left behind. A `pending` entry's file is either
 * the old one (the rename never happened: `not-written`) or the new one
 * (`written`, and the library is updated to match); the rename is atomic, so
 * there is no third state unless someone else changed the file since. Batches
 * of processes that are gone become `interrupted`. Returns how many entries it settled.
 */
export async function settlePendingWrites(db: Db): Promise<number> {
  const journal = createJournalStore(db);
  const pending = journal.pending().filter((entry) => {
    const batch = journal.runningBatches().find((b) => b.id === entry.batchId);
    return !batch || batch.pid === process.pid || !isAlive(batch.pid);
  });
  for (const entry of pending) {
    const hash = await fs.readFile(entry.path).then(sha256, () => null);
    if (hash === entry.afterSha256) {
      journal.settle(entry.id, 'written');
      await recordInLibrary(db, entry.trackId, entry.path, entry.newGenres);
    } else journal.settle(entry.id, 'not-written');
  }
  for (const batch of journal.runningBatches()) if (batch.pid !== process.pid && !isAlive(batch.pid)) journal.finishBatch(batch.id, 'interrupted');
  return pending.length;
}

import fs from 'node:fs/promises';
import type { Db } from '../db/open-database.ts';
import type { JournalStore } from '../db/journal-store.ts';
import { createTrackFilesStore } from '../db/track-files-store.ts';
import { fingerprintFile } from '../scan/fingerprint.ts';
import { sha256 } from '../tags/byte-patch.ts';

/**
 * Settles a journal entry whose file was replaced, and brings the library's
 * track in step with the file (size, mtime, fingerprint, genres) in the same
 * transaction, so a rescan sees it unchanged and a kill cannot separate the two.
 */
export async function settleAsWritten(db: Db, journal: JournalStore, entryId: number, trackId: number | null, path: string, genres: readonly string[]): Promise<void> {
  const stat = await fs.stat(path);
  const fingerprint = await fingerprintFile(path, stat.size);
  db.transaction(() => {
    journal.settle(entryId, 'written');
    if (trackId !== null) createTrackFilesStore(db).recordRewrite(trackId, { size: stat.size, mtimeMs: stat.mtimeMs, fingerprint }, genres);
  })();
}

/** Whether the file now holds exactly the bytes with this hash (null when it cannot be read: the caller must not conclude anything). */
export async function fileHasHash(path: string, hash: string): Promise<boolean | null> {
  return fs.readFile(path).then((bytes) => sha256(bytes) === hash, () => null);
}

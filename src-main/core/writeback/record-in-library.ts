import fs from 'node:fs/promises';
import type { Db } from '../db/open-database.ts';
import type { JournalEntry, JournalStore } from '../db/journal-store.ts';
import { createTrackFilesStore } from '../db/track-files-store.ts';
import { fingerprintFile } from '../scan/fingerprint.ts';
import { sha256 } from '../tags/byte-patch.ts';

type WrittenEntry = Pick<JournalEntry, 'id' | 'trackId' | 'path' | 'newGenres'>;

/**
 * Settles a journal entry whose file was replaced, and brings the library's
 * track in step with the file (size, mtime, fingerprint, genres) in the same
 * transaction, so a rescan sees it unchanged and a kill cannot separate the
 * two. For an undo's entry, `undoneId` is the entry it restored: it becomes
 * `undone` in that transaction too.
 */
export async function settleAsWritten(db: Db, journal: JournalStore, entry: WrittenEntry, undoneId: number | null = null): Promise<void> {
  const stat = await fs.stat(entry.path);
  const fingerprint = await fingerprintFile(entry.path, stat.size);
  db.transaction(() => {
    journal.settleWritten(entry.id, undoneId);
    if (entry.trackId !== null) createTrackFilesStore(db).recordRewrite(entry.trackId, { size: stat.size, mtimeMs: stat.mtimeMs, fingerprint }, entry.newGenres);
  })();
}

/** Whether the file now holds exactly the bytes with this hash (null when it cannot be read: the caller must not conclude anything). */
async function fileHasHash(path: string, hash: string): Promise<boolean | null> {
  return fs.readFile(path).then((bytes) => sha256(bytes) === hash, () => null);
}

/** Whether the temporary file `entry` names is still there (a failed write could not remove it). */
async function temporaryFileLeft(entry: JournalEntry): Promise<boolean> {
  return entry.temporaryPath !== null && (await fs.lstat(entry.temporaryPath).then((stat) => stat.isFile(), () => false));
}

/**
 * Settles a `pending` entry by what its file holds: the new bytes (`written`,
 * with the library and, for an undo's entry, `undoneId` as in
 * `settleAsWritten`; when the file cannot be described for the library, the
 * journal alone), the old ones (`not-written`, unless its temporary file is
 * still there: the entry stays pending so that a later run removes it), or
 * unreadable (left pending).
 */
export async function settleByFile(db: Db, journal: JournalStore, entryId: number, undoneId: number | null = null): Promise<void> {
  const entry = journal.entry(entryId);
  const replaced = await fileHasHash(entry.path, entry.afterSha256);
  if (replaced === true) await settleAsWritten(db, journal, entry, undoneId).catch(() => journal.settleWritten(entry.id, undoneId));
  if (replaced === false && !(await temporaryFileLeft(entry))) journal.settle(entry.id, 'not-written');
}

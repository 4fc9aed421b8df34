import type { Db } from '../db/open-database.ts';
import { describeWriteError } from '../errors.ts';
import { createJournalStore, type JournalStore } from '../db/journal-store.ts';
import { createTrackFilesStore } from '../db/track-files-store.ts';
import { settleAsWritten, settleByFile } from './record-in-library.ts';
import { writeGenres, type WriteGenresOptions, type WriteGenresResult } from '../tags/write-genres.ts';
import { reversePatch, sha256 } from '../tags/byte-patch.ts';
import { settlePendingWrites } from './settle-pending.ts';

/** One file to give genres. */
export interface GenreWrite {
  path: string;
  genres: string[];
  /** Model behind the genres, recorded in the journal. */
  modelId?: string | null;
  /** Refuse the file when it no longer has the size and mtime the library saw. */
  checkUnchangedSinceScan?: boolean;
}

/** How one file went. */
export type GenreWriteOutcome =
  | ({ ok: true; trackId: number | null } & WriteGenresResult)
  | { ok: false; path: string; trackId: number | null; code: string; message: string };

export interface GenreWriteOptions {
  db: Db;
  /** The command, for the journal (`tag`, `apply`). */
  command: string;
  write: Pick<WriteGenresOptions, 'id3' | 'mtime'>;
  dryRun?: boolean;
  signal?: AbortSignal;
  onOutcome?: (outcome: GenreWriteOutcome) => void;
}

async function writeOne(item: GenreWrite, options: GenreWriteOptions, journal: JournalStore, batchId: number): Promise<GenreWriteOutcome> {
  const known = createTrackFilesStore(options.db).find(item.path);
  const trackId = known?.id ?? null;
  let entryId: number | null = null;
  try {
    const result = await writeGenres(item.path, item.genres, {
      ...options.write,
      dryRun: options.dryRun,
      expected: item.checkUnchangedSinceScan && known ? { size: known.size, mtimeMs: known.mtimeMs } : undefined,
      beforeReplace: ({ before, after, mtimeMs, mtimeNs, temporaryPath, oldGenres, newGenres }) => {
        entryId = journal.recordPending({
          batchId, trackId, path: item.path, oldGenres, newGenres, modelId: item.modelId ?? null, temporaryPath,
          patch: reversePatch(before, after), beforeSha256: sha256(before), afterSha256: sha256(after), beforeMtimeMs: mtimeMs, beforeMtimeNs: mtimeNs,
        });
      },
    });
    if (entryId !== null) await settleAsWritten(options.db, journal, journal.entry(entryId));
    return { ok: true, trackId, ...result };
  } catch (error) {
    // The failure may have come after the rename: the file says which.
    if (entryId !== null) await settleByFile(options.db, journal, entryId);
    const { code, message } = describeWriteError(error, item.path);
    return { ok: false, path: item.path, trackId, code, message };
  }
}

/**
 * Writes genres into files one by one, each journaled before its file is
 * replaced (so `undo` can restore it byte for byte, and a killed run is
 * settled by the next one). A file that fails is reported and the batch goes
 * on. Returns the batch id (null for a dry run) and every outcome.
 */
export async function writeGenreBatch(items: readonly GenreWrite[], options: GenreWriteOptions): Promise<{ batchId: number | null; outcomes: GenreWriteOutcome[] }> {
  const journal = createJournalStore(options.db);
  options.db.pragma('synchronous = FULL'); // the journal entry must be on disk before its file is replaced
  await settlePendingWrites(options.db);
  const batchId = options.dryRun ? null : journal.startBatch(options.command);
  const outcomes: GenreWriteOutcome[] = [];
  for (const item of items) {
    if (options.signal?.aborted) break;
    const outcome = await writeOne(item, options, journal, batchId ?? 0);
    outcomes.push(outcome);
    options.onOutcome?.(outcome);
  }
  if (batchId !== null) journal.finishBatch(batchId, options.signal?.aborted ? 'interrupted' : 'completed');
  return { batchId, outcomes };
}


import fs from 'node:fs/promises';
import type { Db } from '../db/open-database.ts';
import { createTrackFilesStore } from '../db/track-files-store.ts';
import { fingerprintFile } from '../scan/fingerprint.ts';

/** Brings the library's track in step with its rewritten file (size, mtime, fingerprint, genres), so a rescan sees it unchanged. */
export async function recordInLibrary(db: Db, trackId: number | null, path: string, genres: readonly string[]): Promise<void> {
  if (trackId === null) return;
  const stat = await fs.stat(path);
  createTrackFilesStore(db).recordRewrite(trackId, { size: stat.size, mtimeMs: stat.mtimeMs, fingerprint: await fingerprintFile(path, stat.size) }, genres);
}

import type { Db } from '../db/open-database.ts';
import { containerWriteRefusal } from '../tags/write-genres.ts';
import { statForWriting } from '../tags/writable-file.ts';

interface StoredTrack {
  id: number;
  path: string;
  container: string;
  size: number;
  mtimeMs: number;
}

/** A message about `file` without the path it starts with (the plan shows it beside the track). */
const withoutPath = (message: string, file: string) => (message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message);

/** How many files are checked at once: enough to hide a network share's latency, few enough not to exhaust file handles. */
const CONCURRENT_CHECKS = 32;

/** Why `track` cannot be written now, or null when it can. */
async function refusalOf(track: StoredTrack): Promise<string | null> {
  const container = containerWriteRefusal(track.container);
  if (container !== null) return `cannot be written: ${container}`;
  try {
    await statForWriting(track.path, { size: track.size, mtimeMs: track.mtimeMs });
    return null;
  } catch (error) {
    return `cannot be written: ${withoutPath((error as Error).message, track.path)}`;
  }
}

/**
 * Why each of these tracks cannot be written now, keyed by track id: its
 * container is one Sonority does not write (`containerWriteRefusal`), or its
 * file is gone, read-only, in a read-only folder, hard-linked or changed
 * since the scan (`statForWriting`). One query, then the files checked
 * asynchronously, 32 at a time, so an apply plan shows these before
 * anything is written (instead of failing them during the write) without
 * blocking the process. Tracks absent from `tracks` are not judged.
 */
export async function unwritableTracks(db: Db, trackIds: readonly number[]): Promise<Map<number, string>> {
  const rows = db.prepare(`SELECT id, path, container, size, mtime_ms AS mtimeMs FROM tracks WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(trackIds)) as StoredTrack[];
  const refusals = new Map<number, string>();
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const track = rows[next++]!;
      const refusal = await refusalOf(track);
      if (refusal !== null) refusals.set(track.id, refusal);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_CHECKS, rows.length) }, worker));
  return refusals;
}

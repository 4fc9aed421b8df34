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

/**
 * Why each of these tracks cannot be written now, keyed by track id: its
 * container is one Sonority does not write (`containerWriteRefusal`), or its
 * file is gone, read-only, in a read-only folder, hard-linked or changed
 * since the scan (`statForWriting`). One query and a stat per file, so an
 * apply plan can show these before anything is written instead of failing
 * them during the write. Tracks absent from `tracks` are not judged.
 */
export function unwritableTracks(db: Db, trackIds: readonly number[]): Map<number, string> {
  const rows = db.prepare(`SELECT id, path, container, size, mtime_ms AS mtimeMs FROM tracks WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(trackIds)) as StoredTrack[];
  const refusals = new Map<number, string>();
  for (const track of rows) {
    const container = containerWriteRefusal(track.container);
    if (container !== null) {
      refusals.set(track.id, `cannot be written: ${container}`);
      continue;
    }
    try {
      statForWriting(track.path, { size: track.size, mtimeMs: track.mtimeMs });
    } catch (error) {
      refusals.set(track.id, `cannot be written: ${withoutPath((error as Error).message, track.path)}`);
    }
  }
  return refusals;
}

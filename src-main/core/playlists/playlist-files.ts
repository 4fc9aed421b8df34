import path from 'node:path';
import type { Db } from '../db/open-database.ts';
import { writeTextFileAtomically } from '../json-file.ts';
import { toM3u8, type M3uEntry } from './m3u8.ts';

/** The files of the given tracks with what an M3U8 shows of them, in order; tracks no longer in the library are left out. */
export function m3uEntries(db: Db, trackIds: readonly number[]): M3uEntry[] {
  const rows = db.prepare(`SELECT t.id, t.path, t.artist, t.title, COALESCE(t.tag_duration_sec, (SELECT MAX(duration_sec) FROM analyses a WHERE a.track_id = t.id)) AS durationSec
    FROM tracks t WHERE t.id IN (SELECT value FROM json_each(?)) AND t.status <> 'gone'`).all(JSON.stringify(trackIds)) as Array<M3uEntry & { id: number }>;
  const byId = new Map(rows.map((row) => [row.id, row]));
  return trackIds.flatMap((id) => {
    const row = byId.get(id);
    return row ? [{ path: row.path, artist: row.artist, title: row.title, durationSec: row.durationSec }] : [];
  });
}

/**
 * Writes the tracks as an extended M3U playlist (UTF-8) at `file`, atomically;
 * paths relative to the playlist's folder when `relative`, else absolute.
 * Returns the number of tracks written.
 */
export function writePlaylistFile(db: Db, trackIds: readonly number[], file: string, options: { relative: boolean }): number {
  const entries = m3uEntries(db, trackIds);
  writeTextFileAtomically(file, toM3u8(entries, { relativeTo: options.relative ? path.dirname(path.resolve(file)) : undefined }));
  return entries.length;
}

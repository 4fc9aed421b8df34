import type { Db } from './open-database.ts';
import { nowIso } from './time.ts';

/** What the library knows of a file the tag writer is about to change. */
export interface TrackFile {
  id: number;
  size: number;
  mtimeMs: number;
}

/** Keeps tracks in step with the files Sonority rewrites, so the next scan sees them unchanged and the genres are current. */
export function createTrackFilesStore(db: Db) {
  const byPath = db.prepare(`SELECT id, size, mtime_ms AS mtimeMs FROM tracks WHERE path = ? AND status <> 'gone'`);
  const updateFile = db.prepare(`UPDATE tracks SET size = @size, mtime_ms = @mtimeMs, fingerprint = @fingerprint, updated_at = @now WHERE id = @id`);
  const clearGenres = db.prepare('DELETE FROM track_genres WHERE track_id = ?');
  const addGenre = db.prepare('INSERT INTO track_genres (track_id, position, genre) VALUES (?, ?, ?)');
  return {
    /** The library's track at `path`, if any. */
    find: (path: string): TrackFile | undefined => byPath.get(path) as TrackFile | undefined,
    /** Records a rewritten file's new size, mtime, fingerprint and genres in one transaction. */
    recordRewrite: db.transaction((id: number, file: { size: number; mtimeMs: number; fingerprint: string }, genres: readonly string[]) => {
      updateFile.run({ id, ...file, now: nowIso() });
      clearGenres.run(id);
      genres.forEach((genre, position) => addGenre.run(id, position, genre));
    }),
  };
}

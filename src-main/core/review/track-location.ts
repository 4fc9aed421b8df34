import path from 'node:path';
import type { Db } from '../db/open-database.ts';

/** Where a track's file sits, for people: its name, and its folder relative to the library root it was scanned from ('' at the root). */
export interface TrackLocation {
  fileName: string;
  folder: string;
}

/** The folders the library was scanned from, longest first (so the innermost root that holds a file wins). */
export function scanRoots(db: Db): string[] {
  const roots = (db.prepare('SELECT DISTINCT root FROM scans').all() as { root: string }[]).map((row) => path.resolve(row.root));
  return roots.sort((a, b) => b.length - a.length);
}

/** The name and folder of `file`, the folder relative to the first of `roots` holding it (see `scanRoots`); the whole folder when none does. */
export function locate(file: string, roots: readonly string[]): TrackLocation {
  const folder = path.dirname(file);
  for (const root of roots) {
    const relative = path.relative(root, folder);
    if (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative)) return { fileName: path.basename(file), folder: relative };
  }
  return { fileName: path.basename(file), folder };
}

/** A locator for many files of one library: reads the scan roots once. */
export function locator(db: Db): (file: string) => TrackLocation {
  const roots = scanRoots(db);
  return (file) => locate(file, roots);
}

import type { Db } from './open-database.ts';

/** Library totals for `sonority status` and the app's header. */
export interface LibrarySummary {
  tracks: { total: number; analysed: number; pending: number; failedTracks: number; gone: number };
  hoursOfAudio: number;
  containers: Array<{ container: string; count: number }>;
  tagged: { tracksWithGenre: number; distinctGenres: number };
  failures: number;
  lastScan: { id: number; root: string; status: string; startedAt: string; finishedAt: string | null; found: number; analysed: number; skipped: number; failed: number; gone: number } | null;
}

/** Computes the library totals (gone tracks are counted apart and excluded from the rest). */
export function summariseLibrary(db: Db): LibrarySummary {
  const byStatus = Object.fromEntries((db.prepare('SELECT status, COUNT(*) AS n FROM tracks GROUP BY status').all() as Array<{ status: string; n: number }>).map((r) => [r.status, r.n]));
  const seconds = db.prepare(`SELECT COALESCE(SUM(COALESCE(tag_duration_sec, 0)), 0) AS s FROM tracks WHERE status <> 'gone'`).get() as { s: number };
  const containers = db.prepare(`SELECT container, COUNT(*) AS count FROM tracks WHERE status <> 'gone' GROUP BY container ORDER BY count DESC`).all() as LibrarySummary['containers'];
  const tagged = db.prepare(`SELECT COUNT(DISTINCT g.track_id) AS tracksWithGenre, COUNT(DISTINCT lower(g.genre)) AS distinctGenres
    FROM track_genres g JOIN tracks t ON t.id = g.track_id WHERE t.status <> 'gone'`).get() as LibrarySummary['tagged'];
  const failures = (db.prepare('SELECT COUNT(*) AS n FROM failures').get() as { n: number }).n;
  const lastScan = (db.prepare(`SELECT id, root, status, started_at AS startedAt, finished_at AS finishedAt, found, analysed, skipped, failed, gone
    FROM scans ORDER BY id DESC LIMIT 1`).get() ?? null) as LibrarySummary['lastScan'];
  const count = (status: string) => byStatus[status] ?? 0;
  return {
    tracks: { total: count('analysed') + count('pending') + count('failed'), analysed: count('analysed'), pending: count('pending'), failedTracks: count('failed'), gone: count('gone') },
    hoursOfAudio: seconds.s / 3600,
    containers,
    tagged,
    failures,
    lastScan,
  };
}

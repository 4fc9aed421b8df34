import { SonorityError } from '../errors.ts';
import type { Db } from './open-database.ts';
import { nowIso } from './time.ts';

export type ScanStatus = 'running' | 'completed' | 'cancelled' | 'interrupted';

export interface ScanCounts {
  found: number;
  analysed: number;
  skipped: number;
  failed: number;
  moved: number;
  gone: number;
}

/** Whether a process with this id exists (one that is not ours to signal counts as alive). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Persistence of scan runs: start (refusing a concurrent one), finish, and closing runs that were killed. */
export function createScansStore(db: Db) {
  const running = db.prepare(`SELECT id, pid, started_at AS startedAt FROM scans WHERE status = 'running'`);
  const interrupt = db.prepare(`UPDATE scans SET status = 'interrupted' WHERE id = ?`);
  const insert = db.prepare(`INSERT INTO scans (root, started_at, status, pid) VALUES (?, ?, 'running', ?) RETURNING id`);
  const finish = db.prepare(`UPDATE scans SET status = @status, finished_at = @now, found = @found, analysed = @analysed, skipped = @skipped,
    failed = @failed, moved = @moved, gone = @gone WHERE id = @id`);

  const startRun = db.transaction((root: string): number => {
    for (const row of running.all() as Array<{ id: number; pid: number; startedAt: string }>) {
      if (row.pid !== process.pid && isAlive(row.pid)) {
        throw new SonorityError('scan-running', `another scan (process ${row.pid}, started ${row.startedAt}) is already running on this library; wait for it or stop it`);
      }
      interrupt.run(row.id);
    }
    return (insert.get(root, nowIso(), process.pid) as { id: number }).id;
  });

  return {
    /**
     * Starts a scan run. Runs left 'running' by a process that no longer exists
     * (killed, crashed) become 'interrupted'; a live one makes this throw `scan-running`.
     */
    start: (root: string): number => startRun.immediate(root),
    /** Records how a scan ended and its counts. */
    finish: (id: number, status: ScanStatus, counts: ScanCounts): void => void finish.run({ id, status, now: nowIso(), ...counts }),
  };
}

export type ScansStore = ReturnType<typeof createScansStore>;

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashFile, jsonLines, makeTone, runCli, tempDir } from './helpers/fixtures.ts';

const TRACKS = 16;

/** Checks that the database is internally consistent after a kill. */
function checkConsistent(file: string): { analysed: number; lastScanStatus: string } {
  const db = new Database(file, { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const orphans = db.prepare(`SELECT COUNT(*) AS n FROM tracks t WHERE t.status = 'analysed' AND NOT EXISTS (SELECT 1 FROM analyses a WHERE a.track_id = t.id)`).get();
    expect(orphans).toEqual({ n: 0 });
    const analysed = (db.prepare(`SELECT COUNT(*) AS n FROM tracks WHERE status = 'analysed'`).get() as { n: number }).n;
    const lastScanStatus = (db.prepare('SELECT status FROM scans ORDER BY id DESC LIMIT 1').get() as { status: string }).status;
    return { analysed, lastScanStatus };
  } finally {
    db.close();
  }
}

/** Starts a JSON scan and sends `signal` once `threshold` files are analysed. */
function scanUntil(root: string, db: string, threshold: number, signal: NodeJS.Signals) {
  let sent = false;
  return runCli(['scan', root, '--db', db, '--json', '--workers', '1'], {
    onStdout: (text, child) => {
      const progress = jsonLines(text.slice(0, text.lastIndexOf('\n') + 1)).filter((e) => e.type === 'progress');
      if (!sent && (progress.at(-1)?.analysed ?? 0) >= threshold) {
        sent = true;
        child.kill(signal);
      }
    },
  });
}

describe('interrupted scans', () => {
  const root = tempDir();
  let hashes: Map<string, string>;
  beforeAll(async () => {
    const files = [];
    for (let i = 0; i < TRACKS; i += 8) {
      files.push(...(await Promise.all(Array.from({ length: 8 }, (_, j) => makeTone(path.join(root, `album ${Math.floor((i + j) / 5)}`, `track ${i + j}.flac`), 'flac', { seconds: 8, frequency: 200 + 10 * (i + j) })))));
    }
    hashes = new Map(files.map((f) => [f, hashFile(f)]));
  });

  it('a killed scan leaves files intact and the database consistent, and the next scan resumes', async () => {
    const db = path.join(tempDir(), 'killed.db');
    const killed = await scanUntil(root, db, 5, 'SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    const afterKill = checkConsistent(db);
    expect(afterKill.lastScanStatus).toBe('running');
    expect(afterKill.analysed).toBeGreaterThanOrEqual(5);
    expect(afterKill.analysed).toBeLessThan(TRACKS);
    for (const [file, hash] of hashes) expect(hashFile(file)).toBe(hash);

    const resumed = await runCli(['scan', root, '--db', db, '--json']);
    expect(resumed.code).toBe(0);
    expect(jsonLines(resumed.stdout).find((e) => e.type === 'summary')).toMatchObject({ status: 'completed', skipped: afterKill.analysed, analysed: TRACKS - afterKill.analysed, failed: 0 });
    const statuses = new Database(db, { readonly: true }).prepare('SELECT status FROM scans ORDER BY id').all();
    expect(statuses).toEqual([{ status: 'interrupted' }, { status: 'completed' }]);
  });

  it('Ctrl-C stops cleanly with exit code 130 and the next scan resumes', async () => {
    const db = path.join(tempDir(), 'interrupted.db');
    const stopped = await scanUntil(root, db, 3, 'SIGINT');
    expect(stopped.code).toBe(130);
    const summary = jsonLines(stopped.stdout).find((e) => e.type === 'summary')!;
    expect(summary.status).toBe('cancelled');
    const afterStop = checkConsistent(db);
    expect(afterStop).toMatchObject({ lastScanStatus: 'cancelled', analysed: summary.analysed });
    expect(fs.existsSync(db)).toBe(true);

    const resumed = await runCli(['scan', root, '--db', db, '--json']);
    expect(jsonLines(resumed.stdout).find((e) => e.type === 'summary')).toMatchObject({ skipped: afterStop.analysed, analysed: TRACKS - afterStop.analysed });
  });
});

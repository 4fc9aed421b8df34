import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkIntegrity } from '../src-main/core/db/open-database.ts';
import { toErrorPayload } from '../src-main/api/dispatch.ts';
import { createRandom } from '../src-main/core/model/prng.ts';
import { hashFile, jsonLines, makeTone, runCli, tempDir, type CliResult } from './helpers/fixtures.ts';

const DAMAGED = 'is damaged or is not a Sonority database; it was left untouched';
const STACK_LINE = /\n\s+at /;

/** The database file and its WAL side files, hashed (null: absent): what "left untouched" must keep. */
function snapshot(file: string): Record<string, string | null> {
  return Object.fromEntries(['', '-wal', '-shm'].map((suffix) => [suffix || 'db', fs.existsSync(file + suffix) ? hashFile(file + suffix) : null]));
}

/** The first page of each named table or index, from SQLite's dbstat (read from an in-memory copy, so the file is not opened). */
function firstPages(file: string, names: string[]): number[] {
  const bytes = fs.readFileSync(file);
  bytes[18] = bytes[19] = 1; // the copy in memory cannot be in WAL mode
  const db = new Database(bytes);
  const pages = names.map((name) => (db.prepare('SELECT MIN(pageno) AS page FROM dbstat WHERE name = ?').get(name) as { page: number }).page);
  db.close();
  return pages;
}

/** XORs 8–64 bytes at seeded offsets inside the cell content area of `page` (the rows or index entries it holds). */
function flipBytes(bytes: Buffer, page: number, seed: number): void {
  const pageSize = bytes.readUInt16BE(16);
  const start = (page - 1) * pageSize;
  const contentStart = bytes.readUInt16BE(start + 5);
  const next = createRandom(seed);
  const count = 8 + Math.floor(next() * 57);
  for (let i = 0; i < count; i++) bytes[start + contentStart + Math.floor(next() * (pageSize - contentStart))]! ^= 1 + Math.floor(next() * 255);
}

/** A copy of `healthy` in a folder of its own. */
function copyOf(healthy: string, name: string): string {
  const file = path.join(tempDir('sonority-damaged-'), name);
  fs.copyFileSync(healthy, file);
  return file;
}

describe('a damaged library database', () => {
  const library = tempDir('sonority-damaged-lib-');
  const healthy = path.join(tempDir(), 'healthy.db');
  const track = path.join(library, 'tone 1.flac');
  let pages: number[];

  /** Bytes flipped in the middle of the file: in the tracks table's page and in the tracks_by_status index's. */
  const withDamagedPages = () => {
    const file = copyOf(healthy, 'damaged-pages.db');
    const bytes = fs.readFileSync(file);
    pages.forEach((page, i) => flipBytes(bytes, page, 13 + i));
    fs.writeFileSync(file, bytes);
    return file;
  };
  /** One track's status rewritten in the table and not in its index: every page is well formed (quick_check passes), the index misses a row. */
  const withIndexMissingRow = () => {
    const file = copyOf(healthy, 'index-missing-row.db');
    const bytes = fs.readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    const at = bytes.indexOf('analysed', (pages[0]! - 1) * pageSize);
    expect(at).toBeLessThan(pages[0]! * pageSize);
    bytes.write('analysEd', at);
    fs.writeFileSync(file, bytes);
    return file;
  };

  beforeAll(async () => {
    for (let i = 0; i < 6; i++) await makeTone(path.join(library, `tone ${i}.flac`), 'flac', { seconds: 2, frequency: 220 + 110 * i, tags: { genre: i % 2 ? 'Rock' : 'Jazz', artist: `Artist ${i}`, title: `Tone ${i}` } });
    expect((await runCli(['scan', library, '--db', healthy])).code).toBe(0);
    expect(fs.existsSync(`${healthy}-wal`)).toBe(false); // closed cleanly: the WAL was checkpointed into the file
    pages = firstPages(healthy, ['tracks', 'tracks_by_status']);
  }, 120_000);

  /** Runs a command on `file` and expects it refused with the promised message, the file and its side files unchanged. */
  async function expectRefused(file: string, args: string[]): Promise<CliResult> {
    const before = snapshot(file);
    const result = await runCli([...args, '--db', file]);
    expect(result.code, `${args.join(' ')}: ${result.stdout}${result.stderr}`).toBe(2);
    expect(result.stderr).toContain(DAMAGED);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(snapshot(file), args.join(' ')).toEqual(before);
    return result;
  }

  it('is refused by scan before anything is written, with damaged pages', async () => {
    const file = withDamagedPages();
    const result = await expectRefused(file, ['scan', library]);
    expect(result.stderr).not.toContain('FOREIGN KEY');
  });

  it('is refused by scan when only an index misses a row (quick_check would pass it)', async () => {
    const file = withIndexMissingRow();
    expect(checkIntegrity(copyOf(file, 'probe.db'), 'quick')).toEqual([]);
    await expectRefused(file, ['scan', library]);
  });

  it('is refused, untouched, by every command that writes, dry runs included', async () => {
    for (const file of [withDamagedPages(), withIndexMissingRow()]) {
      for (const args of [['tag', track, '--genre', 'Jazz', '--dry-run'], ['review', track, '--accept'], ['trust', '--genre', 'Rock', '--no'], ['playlist', '--delete', 'Mix']]) {
        await expectRefused(file, args);
      }
    }
  }, 60_000);

  it('makes a read command that meets the damage say so, not print a stack trace, and leave no file behind', async () => {
    const file = withDamagedPages();
    for (const args of [['status'], ['review'], ['review', '--disputed']]) await expectRefused(file, args);
    const json = await runCli(['status', '--db', file, '--json']);
    expect(jsonLines(json.stdout).at(-1)).toMatchObject({ type: 'error', code: 'db-corrupt' });
  }, 60_000);

  it('is refused by serve, which opens it through the same check as the app', async () => {
    const file = withIndexMissingRow();
    const before = snapshot(file);
    const result = await runCli(['serve', library, '--db', file], { onStdout: (text, child) => text.includes('Open http') && child.kill('SIGINT') });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(DAMAGED);
    expect(snapshot(file)).toEqual(before);
  });

  it('met by the app in the middle of a session, is reported to the interface as damage, not as an unexpected error', () => {
    const db = new Database(withDamagedPages(), { readonly: true });
    let thrown: unknown;
    try {
      db.prepare('SELECT * FROM tracks').all();
    } catch (error) {
      thrown = error;
    } finally {
      db.close();
    }
    const logged: string[] = [];
    expect(toErrorPayload(thrown, (line) => logged.push(line))).toMatchObject({ code: 'db-corrupt', message: expect.stringContaining('sonority doctor') });
    expect(logged).toEqual([]);
  });

  it('is diagnosed by `sonority doctor` (integrity_check), which lists the problems and changes nothing', async () => {
    const intact = await runCli(['doctor', '--db', healthy]);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain(`The library database ${healthy} is intact`);
    const file = withIndexMissingRow();
    const before = snapshot(file);
    const damaged = await runCli(['doctor', '--db', file]);
    expect(damaged.code).toBe(2);
    expect(damaged.stdout).toMatch(/is damaged: SQLite's integrity_check lists \d+ problems?:\n {2}row \d+ missing from index tracks_by_status/);
    expect(snapshot(file)).toEqual(before);
    const json = jsonLines((await runCli(['doctor', '--db', withDamagedPages(), '--json'])).stdout);
    expect(json).toEqual([expect.objectContaining({ type: 'doctor', intact: false, problems: expect.arrayContaining([expect.any(String)]) })]);
  });
});

describe('a --db that does not exist', () => {
  it('is refused by every read command, naming the path, and nothing is created', async () => {
    const folder = path.join(tempDir(), 'Sonorty');
    const file = path.join(folder, 'library.db');
    for (const args of [['status'], ['failures'], ['review'], ['review', '--disputed'], ['playlist', '--list'], ['learn', '--show'], ['trust'], ['doctor']]) {
      const result = await runCli([...args, '--db', file]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(`there is no library database at ${file}`);
      expect(fs.existsSync(folder), args.join(' ')).toBe(false);
    }
    const json = await runCli(['status', '--db', file, '--json']);
    expect(jsonLines(json.stdout)).toEqual([expect.objectContaining({ type: 'error', code: 'db-missing' })]);
  }, 60_000);
});

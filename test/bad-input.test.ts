import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src-main/core/db/open-database.ts';
import { scanLibrary, type ScanEvent } from '../src-main/core/scan/scan-library.ts';
import { CLI, SHARED_DATA, convertReal, hashFile, jsonLines, makeTone, runCli, tempDir } from './helpers/fixtures.ts';

/**
 * Who the permission test runs the CLI as. Root ignores permission bits, so as
 * root it runs as `nobody` — if `nobody` can run the CLI from this checkout
 * (not when it lies under a folder other users cannot enter); null if not.
 */
function userPermissionsApplyTo(): { uid?: number; gid?: number } | null {
  if (process.getuid?.() !== 0) return {};
  const probe = spawnSync(process.execPath, [CLI, '--help'], { uid: 65534, gid: 65534, stdio: 'ignore' });
  return probe.status === 0 ? { uid: 65534, gid: 65534 } : null;
}

const GOOD_NAMES = ['Björk – Jóga 🎵.mp3', 'Cafe\u0301 (NFD).flac', 'موسيقى.ogg', '-rf --help.mp3', 'a:b "quoted" 100%.m4a', 'line\nbreak.opus', '日本語の曲.wav'];

/** Every kind of bad input from the issue, next to good files with awkward names. */
async function buildHostileLibrary(root: string): Promise<Record<string, string>> {
  const song = (name: string) => path.join(SHARED_DATA, 'songs', name);
  const formats = ['mp3', 'flac', 'ogg', 'mp3', 'm4a', 'opus', 'wav'] as const;
  await Promise.all(GOOD_NAMES.map((name, i) => convertReal(song(['dub.mp3', 'funk.mp3', 'salsa.mp3', 'punk.mp3', 'soul.mp3', 'house.mp3', 'bop.mp3'][i]!), path.join(root, 'good', name), formats[i]!, { genre: 'Test' })));
  const bad = path.join(root, 'bad');
  fs.mkdirSync(bad, { recursive: true });
  fs.writeFileSync(path.join(bad, 'zero-byte.mp3'), '');
  fs.writeFileSync(path.join(bad, 'text-named.mp3'), 'Track list for the party:\n1. Intro\n2. Something\n'.repeat(30));
  fs.writeFileSync(path.join(bad, 'garbage.flac'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)));
  for (const [name, format] of [['truncated.mp3', 'mp3'], ['truncated.flac', 'flac']] as const) {
    const whole = await convertReal(song('heavy_metal.mp3'), path.join(bad, `whole-${name}`), format);
    const bytes = fs.readFileSync(whole);
    fs.writeFileSync(path.join(bad, name), bytes.subarray(0, Math.floor(bytes.length * 0.4)));
    fs.rmSync(whole);
  }
  fs.renameSync(await convertReal(song('techno.mp3'), path.join(root, 'good', 'really-ogg.ogg'), 'ogg'), path.join(root, 'good', 'really-ogg.mp3'));
  fs.symlinkSync(path.join(bad, 'no-such-file.mp3'), path.join(bad, 'broken-link.mp3'));
  fs.symlinkSync('self-loop.mp3', path.join(bad, 'self-loop.mp3'));
  fs.symlinkSync('..', path.join(bad, 'loop-to-parent'));
  fs.writeFileSync(Buffer.from(`${bad}/bad-\xff\xfe-name.mp3`, 'latin1'), fs.readFileSync(song('disco.mp3')));
  return {
    'zero-byte.mp3': 'empty-file', 'text-named.mp3': 'not-audio', 'garbage.flac': 'not-audio', 'truncated.mp3': 'truncated', 'truncated.flac': 'truncated',
    'broken-link.mp3': 'broken-symlink', 'self-loop.mp3': 'symlink-loop',
    'loop-to-parent': 'symlink-loop', 'bad-\uFFFD\uFFFD-name.mp3': 'bad-file-name',
  };
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('bad input', () => {
  const root = tempDir();
  const dbDir = tempDir();
  const db = path.join(dbDir, 'library.db');
  let expected: Record<string, string>;
  let hashesBefore: Map<string, string>;
  beforeAll(async () => {
    expected = await buildHostileLibrary(root);
    hashesBefore = new Map(listFiles(path.join(root, 'good')).map((f) => [f, hashFile(f)]));
  });

  it('records each bad file as a specific failure, analyses the good ones and exits 1', async () => {
    const result = await runCli(['scan', root, '--db', db, '--json']);
    expect(result.code, result.stderr).toBe(1);
    const summary = jsonLines(result.stdout).find((e) => e.type === 'summary')!;
    expect(summary).toMatchObject({ status: 'completed', analysed: GOOD_NAMES.length + 1, failed: Object.keys(expected).length });
    const failures = jsonLines((await runCli(['failures', '--db', db, '--json'])).stdout);
    const byName = Object.fromEntries(failures.map((f) => [path.basename(f.path), f]));
    for (const [name, code] of Object.entries(expected)) expect(byName[name]?.code, `${name}: ${JSON.stringify(byName[name])}`).toBe(code);
    expect(byName['truncated.mp3']!.message).toMatch(/^truncated file: only \d+\.\d s of the \d+\.\d s its header declares could be decoded$/);
    expect(byName['broken-link.mp3']!.message).toContain('no-such-file.mp3, which does not exist');
    expect(byName['zero-byte.mp3']!.message).toBe('empty file (0 bytes)');
  });

  it('stores the good files under their exact names, by content not extension', () => {
    const tracks = new Database(db, { readonly: true }).prepare('SELECT path, container FROM tracks').all() as Array<{ path: string; container: string }>;
    const names = tracks.map((t) => path.basename(t.path));
    for (const name of GOOD_NAMES) expect(names).toContain(name);
    expect(tracks.find((t) => t.path.endsWith('really-ogg.mp3'))?.container).toBe('ogg-vorbis');
  });

  it('leaves every file byte-identical', () => {
    for (const [file, hash] of hashesBefore) expect(hashFile(file), file).toBe(hash);
  });

  it('keeps the failures on a rescan without decoding them again', async () => {
    const result = await runCli(['scan', root, '--db', db, '--json', '--ffmpeg', '/nonexistent/ffmpeg']);
    expect(result.code).toBe(1);
    expect(jsonLines(result.stdout).find((e) => e.type === 'summary')).toMatchObject({ analysed: 0, skipped: GOOD_NAMES.length + 1, failed: Object.keys(expected).length });
  });

  it('records a file that vanishes or changes during the scan and goes on', async () => {
    const library = tempDir();
    const files = await Promise.all(['a', 'b', 'c', 'd'].map((n) => makeTone(path.join(library, `${n}.flac`), 'flac', { seconds: 2 })));
    const handle = openDatabase(path.join(tempDir(), 'vanish.db'));
    const onEvent = (event: ScanEvent) => {
      if (event.type !== 'found') return;
      if (event.path.endsWith('b.flac')) fs.rmSync(event.path);
      if (event.path.endsWith('c.flac')) fs.appendFileSync(event.path, Buffer.alloc(1000));
    };
    const summary = await scanLibrary({ root: library, db: handle, onEvent });
    const failures = handle.prepare('SELECT path, code, message FROM failures ORDER BY path').all() as any[];
    handle.close();
    expect(summary).toMatchObject({ analysed: 2, failed: 2 });
    expect(failures.map((f) => [path.basename(f.path), f.code])).toEqual([['b.flac', 'vanished'], ['c.flac', 'changed-during-scan']]);
    expect(failures[0].message).toBe('the file disappeared during the scan');
    expect(files).toHaveLength(4);
  });
});

describe('unreadable files and folders', () => {
  const user = userPermissionsApplyTo();
  it.skipIf(user === null)('are failures with their own codes, as a user the permission bits apply to (skipped only as root in a checkout other users cannot enter)', async () => {
    const library = tempDir();
    await makeTone(path.join(library, 'readable.flac'), 'flac', { seconds: 2 });
    await makeTone(path.join(library, 'locked.mp3'), 'mp3', { seconds: 2 });
    fs.chmodSync(path.join(library, 'locked.mp3'), 0o000);
    await makeTone(path.join(library, 'locked-folder', 'inside.mp3'), 'mp3', { seconds: 2 });
    fs.chmodSync(path.join(library, 'locked-folder'), 0o000);
    const db = path.join(tempDir(), 'permissions.db');
    const result = await runCli(['scan', library, '--db', db, '--json'], user!);
    expect(result.code, result.stderr).toBe(1);
    expect(jsonLines(result.stdout).find((e) => e.type === 'summary')).toMatchObject({ analysed: 1, failed: 2 });
    const failures = jsonLines((await runCli(['failures', '--db', db, '--json'])).stdout);
    expect(failures.map((f) => [path.basename(f.path), f.code, f.message])).toEqual([
      ['locked-folder', 'unreadable-folder', 'permission denied: Sonority may not list this folder'],
      ['locked.mp3', 'permission-denied', 'permission denied: Sonority may not read this file'],
    ]);
  });
});

describe('could not run', () => {
  const library = tempDir();
  beforeAll(() => makeTone(path.join(library, 'one.mp3'), 'mp3', { seconds: 1 }));

  it('a folder that does not exist', async () => {
    const result = await runCli(['scan', path.join(library, 'nope'), '--db', path.join(tempDir(), 'x.db')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/the folder .*nope does not exist/);
  });

  it('a file given as the folder', async () => {
    const result = await runCli(['scan', path.join(library, 'one.mp3'), '--db', path.join(tempDir(), 'x.db')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is a file, not a folder');
  });

  it('a corrupt database, which is left untouched', async () => {
    const file = path.join(tempDir(), 'corrupt.db');
    fs.writeFileSync(file, Buffer.from('this is not a database '.repeat(400)));
    const before = hashFile(file);
    const result = await runCli(['scan', library, '--db', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is damaged or is not a Sonority database; it was left untouched');
    expect(hashFile(file)).toBe(before);
  });

  it('a database locked by another program', async () => {
    const file = path.join(tempDir(), 'locked.db');
    openDatabase(file).close();
    const holder = new Database(file);
    holder.exec('BEGIN EXCLUSIVE');
    try {
      const result = await runCli(['scan', library, '--db', file, '--json']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('is locked by another program');
      expect(jsonLines(result.stdout).at(-1)).toMatchObject({ type: 'error', code: 'db-locked' });
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });

  it('a second scan while one is running', async () => {
    const file = path.join(tempDir(), 'busy.db');
    const handle = openDatabase(file);
    handle.prepare(`INSERT INTO scans (root, started_at, status, pid) VALUES (?, ?, 'running', ?)`).run(library, new Date().toISOString(), process.pid);
    handle.close();
    const result = await runCli(['scan', library, '--db', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`another scan (process ${process.pid}`);
  });
});

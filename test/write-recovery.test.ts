import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { parseFile } from 'music-metadata';
import { describe, expect, it } from 'vitest';
import { CLI, ffmpeg, hashFile, jsonLines, makeTone, runCli, tempDir } from './helpers/fixtures.ts';
import { gtzanClip } from './helpers/service.ts';

/** The CLI's environment in a child that is not started through `runCli`: no user settings, the shipped model. */
const ENV = { ...process.env, XDG_CONFIG_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'sonority-config-')), SONORITY_MODEL: '', SONORITY_TF_BACKEND: 'wasm' };
const TEMPORARY = /^\..+\.sonority-[0-9a-f]{8}\.tmp$/;

interface Entry { id: number; batchId: number; path: string; state: string; before: string; after: string; tempPath: string | null }

/** Every journal entry and batch of a library database. */
function journal(db: string): { entries: Entry[]; batches: Array<{ id: number; status: string; undoes: number | null }> } {
  const sqlite = new Database(db, { readonly: true });
  const entries = sqlite.prepare('SELECT * FROM journal ORDER BY id').all().map((row: any) => ({
    id: row.id, batchId: row.batch_id, path: row.path, state: row.state, before: row.before_sha256, after: row.after_sha256, tempPath: row.temp_path ?? null,
  }));
  const batches = sqlite.prepare('SELECT id, status, undoes FROM write_batches ORDER BY id').all() as Array<{ id: number; status: string; undoes: number | null }>;
  sqlite.close();
  return { entries, batches };
}

/** Runs SQL on a library database, as another program (or an older Sonority) would. */
function editDatabase(db: string, sql: string, ...params: unknown[]): void {
  const sqlite = new Database(db);
  sqlite.prepare(sql).run(...params);
  sqlite.close();
}

/** `count` copies of one file in `folder`, named `copy N.flac`. */
function copies(source: string, folder: string, count: number): string[] {
  fs.mkdirSync(folder, { recursive: true });
  return Array.from({ length: count }, (_, i) => {
    const copy = path.join(folder, `copy ${i}.flac`);
    fs.copyFileSync(source, copy);
    return copy;
  });
}

/** Each file's state against the original's hash: old, new (holds `genre`), or broken. */
async function fileStates(files: string[], original: string, genre: string): Promise<string[]> {
  return Promise.all(files.map(async (file) => (hashFile(file) === original ? 'old' : JSON.stringify((await parseFile(file)).common.genre) === JSON.stringify([genre]) ? 'new' : 'broken')));
}

/** The journal matches the files: nothing pending, each written entry's file is its new version, each other entry's its old one. */
function expectJournalMatchesFiles(db: string): Entry[] {
  const { entries } = journal(db);
  expect(entries.map((e) => e.state)).not.toContain('pending');
  const latest = new Map(entries.filter((e) => e.state !== 'not-written').map((e) => [e.path, e]));
  for (const [file, entry] of latest) expect(hashFile(file), file).toBe(entry.state === 'written' ? entry.after : entry.before);
  return entries;
}

/**
 * Starts `sonority tag` on `files` and kills it (SIGKILL) the moment a
 * temporary file appears in `folder`; returns the temporary files left there
 * that are not in `ignore` (none when the rename beat the kill).
 */
async function killWhileWritingTemporary(files: string[], folder: string, genre: string, db: string, ignore: string[]): Promise<string[]> {
  const child = spawn(process.execPath, [CLI, 'tag', ...files, '--genre', genre, '--db', db], { env: ENV, stdio: 'ignore' });
  const watcher = fs.watch(folder, (_event, name) => {
    if (name && TEMPORARY.test(name) && !ignore.includes(name)) child.kill('SIGKILL');
  });
  await new Promise((resolve) => child.on('close', resolve));
  watcher.close();
  return fs.readdirSync(folder).filter((name) => TEMPORARY.test(name) && !ignore.includes(name)).map((name) => path.join(folder, name));
}

/** Kills `sonority tag` during a temporary file's write until one is left behind (the rename can beat the kill); returns it. */
async function leaveTemporaryFile(files: string[], folder: string, genre: string, db: string, ignore: string[]): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const left = await killWhileWritingTemporary(files, folder, genre, db, ignore);
    if (left.length > 0) return left[0]!;
  }
  throw new Error('five kills in a row came after the rename');
}

describe('recovering from interrupted writes', () => {
  it('repairs a journal entry an older version left `written` after a killed undo, so `undo --last` goes on instead of failing', async () => {
    const dir = tempDir();
    await makeTone(path.join(dir, 'source.flac'), 'flac', { tags: { genre: 'Soul' } });
    const files = copies(path.join(dir, 'source.flac'), path.join(dir, 'library'), 8);
    const original = hashFile(files[0]!);
    const db = path.join(dir, 'library.db');
    expect((await runCli(['scan', path.join(dir, 'library'), '--db', db])).code).toBe(0);
    expect((await runCli(['tag', ...files, '--genre', 'Funk', '--db', db])).code).toBe(0);
    // Kill the undo once it has restored a file.
    const killed = await runCli(['undo', '--last', '--db', db, '--json'], { onStdout: (text, child) => void (text.includes('"type":"file"') && child.kill('SIGKILL')) });
    expect(killed.signal).toBe('SIGKILL');
    // What an older version left when killed between settling its undo entry and marking the entry it undid: that entry still `written`.
    const restored = journal(db).entries.find((e) => e.batchId === 2 && e.state === 'written')!;
    expect(hashFile(restored.path)).toBe(original);
    editDatabase(db, `UPDATE journal SET state = 'written', settled_at = NULL WHERE batch_id = 1 AND path = ?`, restored.path);

    const undo = await runCli(['undo', '--last', '--db', db]);
    expect(undo.stdout + undo.stderr).not.toContain('changed after Sonority wrote it');
    expect([0, 2]).toContain(undo.code); // 2: the killed undo had restored every file already
    for (const file of files) expect(hashFile(file), file).toBe(original);
    const entries = expectJournalMatchesFiles(db);
    expect(entries.filter((e) => e.batchId === 1).map((e) => e.state)).toEqual(files.map(() => 'undone'));
    const again = await runCli(['undo', '--last', '--db', db]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('there is no tag write left to undo');
  }, 60_000);

  it("removes the temporary file a killed write left, and only the journal's, at the next scan and at the next write", async () => {
    const dir = tempDir();
    const folder = path.join(dir, 'library');
    // Noise does not compress: a 40 s FLAC of it is 6 MB, so writing the temporary file takes long enough to be killed during it.
    await ffmpeg(['-f', 'lavfi', '-i', 'anoisesrc=d=40:c=white:r=44100:a=0.5', '-ac', '2', '-c:a', 'flac', '-metadata', 'genre=Soul', path.join(dir, 'noise.flac')]);
    const files = copies(path.join(dir, 'noise.flac'), folder, 10);
    const lookAlikes = ['.x.sonority-abcd.tmp', '.copy 0.flac.sonority-0badc0de.tmp'];
    for (const name of lookAlikes) fs.writeFileSync(path.join(folder, name), 'not Sonority\'s');
    const db = path.join(dir, 'library.db');
    const emptyFolder = fs.mkdtempSync(path.join(dir, 'empty-'));

    const first = await leaveTemporaryFile(files, folder, 'Funk', db, lookAlikes);
    expect(journal(db).entries.find((e) => e.state === 'pending')?.tempPath).toBe(first);
    expect((await runCli(['scan', emptyFolder, '--db', db])).code).toBe(0);
    expect(fs.existsSync(first)).toBe(false);

    const second = await leaveTemporaryFile(files, folder, 'Jazz', db, lookAlikes);
    expect((await runCli(['tag', files[0]!, '--genre', 'Jazz', '--dry-run', '--db', db])).code).toBe(0);
    expect(fs.existsSync(second)).toBe(false);
    expect(fs.readdirSync(folder).filter((name) => name.startsWith('.')).sort()).toEqual([...lookAlikes].sort());
    for (const name of lookAlikes) expect(fs.readFileSync(path.join(folder, name), 'utf8')).toBe('not Sonority\'s');
    expectJournalMatchesFiles(db);
  }, 120_000);

  it('keeps and restores the modification time as exactly as Node can set it (within 120 ns), and the library sees no change', async () => {
    const dir = tempDir();
    const file = await makeTone(path.join(dir, 'library', 'tone.flac'), 'flac', { tags: { genre: 'Soul' } });
    execFileSync('touch', ['-d', '2020-01-02 03:04:05.123456789 UTC', file]);
    const before = fs.statSync(file, { bigint: true }).mtimeNs;
    expect(before % 1_000_000_000n).toBe(123_456_789n); // the file system keeps nanoseconds
    // Node sets a time as a double of seconds, whose steps are 238 ns in 2020: the nearest double of the exact time is the limit.
    const nearest = Number('1577934245.123456789');
    const limit = 1_577_934_245n * 1_000_000_000n + BigInt(Math.trunc((nearest - 1_577_934_245) * 1e9));
    const db = path.join(dir, 'library.db');
    const trackMtime = () => {
      const sqlite = new Database(db, { readonly: true });
      const row = sqlite.prepare('SELECT mtime_ms AS mtimeMs FROM tracks WHERE path = ?').get(file) as { mtimeMs: number };
      sqlite.close();
      return row.mtimeMs;
    };
    expect((await runCli(['scan', path.join(dir, 'library'), '--db', db])).code).toBe(0);

    expect((await runCli(['tag', file, '--genre', 'Jazz', '--db', db])).code).toBe(0);
    const kept = fs.statSync(file, { bigint: true }).mtimeNs;
    expect(kept).toBe(limit);
    expect(kept - before <= 120n && before - kept <= 120n).toBe(true);
    expect(trackMtime()).toBe(fs.statSync(file).mtimeMs);

    expect((await runCli(['undo', '--last', '--db', db])).code).toBe(0);
    expect(fs.statSync(file, { bigint: true }).mtimeNs).toBe(limit);
    expect(trackMtime()).toBe(fs.statSync(file).mtimeMs);
    const rescan = jsonLines((await runCli(['scan', path.join(dir, 'library'), '--db', db, '--json'])).stdout).at(-1);
    expect(rescan).toMatchObject({ analysed: 0, skipped: 1 });
    expect((await runCli(['tag', file, '--genre', 'Jazz', '--dry-run', '--db', db])).code).toBe(0); // not "changed since it was scanned"
  }, 60_000);

  it('undoes an entry an older version journaled (one region, no head) once the database is migrated', async () => {
    const dir = tempDir();
    // ffmpeg puts an AIFF's ID3 chunk after the sound data: one region from the FORM size to the tag holds the whole audio.
    const file = path.join(dir, 'library', 'tagged.aiff');
    fs.mkdirSync(path.dirname(file));
    await ffmpeg(['-i', gtzanClip('blues.00000'), '-t', '3', '-c:a', 'pcm_s16be', '-write_id3v2', '1', '-metadata', 'genre=Rock', file]);
    const original = fs.readFileSync(file);
    const db = path.join(dir, 'library.db');
    // Genres that outgrow the tag's padding: the chunk, and so the FORM size, grows.
    expect((await runCli(['tag', file, '--genre', 'Blues', '--genre', 'Rhythm and Blues', '--genre', 'Soul', '--genre', 'Gospel', '--db', db])).code).toBe(0);
    const written = fs.readFileSync(file);
    expect(written.length).toBeGreaterThan(original.length);
    let prefix = 0;
    while (original[prefix] === written[prefix]) prefix++;
    let suffix = 0;
    while (original[original.length - 1 - suffix] === written[written.length - 1 - suffix]) suffix++;
    // The journal as the version before migration 011 wrote it: one region, and no head columns.
    const sqlite = new Database(db);
    const entry = sqlite.prepare('SELECT id, length(old_middle) + length(old_head) AS kept FROM journal').get() as { id: number; kept: number };
    expect(entry.kept).toBeLessThan(4096);
    sqlite.prepare('UPDATE journal SET old_head = NULL, new_head_length = 0, prefix_length = ?, old_middle = ?, new_middle_length = ? WHERE id = ?')
      .run(prefix, original.subarray(prefix, original.length - suffix), written.length - suffix - prefix, entry.id);
    sqlite.exec('ALTER TABLE journal DROP COLUMN old_head; ALTER TABLE journal DROP COLUMN new_head_length; PRAGMA user_version = 10');
    sqlite.close();

    const undo = await runCli(['undo', '--last', '--db', db]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(fs.readFileSync(file).equals(original)).toBe(true);
    expectJournalMatchesFiles(db);
    expect(journal(db).entries.map((e) => e.state)).toEqual(['undone', 'written']);
    const migrated = new Database(db, { readonly: true });
    expect(migrated.pragma('user_version', { simple: true })).toBe(12);
    migrated.close();
  }, 60_000);

  it('stops cleanly after the file in hand when its output is piped into head, with every file old or new and the journal settled', async () => {
    const dir = tempDir();
    await makeTone(path.join(dir, 'source.flac'), 'flac', { tags: { genre: 'Soul' } });
    const files = copies(path.join(dir, 'source.flac'), path.join(dir, 'library'), 30);
    const original = hashFile(files[0]!);
    const db = path.join(dir, 'library.db');
    const script = `"${process.execPath}" "${CLI}" tag "$@" --genre Funk --db "${db}" | head -c 1 >/dev/null; echo "exit=\${PIPESTATUS[0]}" >&2`;
    const stderr = await new Promise<string>((resolve, reject) => {
      const shell = spawn('bash', ['-c', script, 'bash', ...files], { env: ENV, stdio: ['ignore', 'ignore', 'pipe'] });
      let text = '';
      shell.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
      shell.on('error', reject);
      shell.on('close', () => resolve(text));
    });
    expect(stderr).toContain('exit=130');
    expect(stderr).toContain('the output was closed');
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);

    const states = await fileStates(files, original, 'Funk');
    expect(states).not.toContain('broken');
    expect(states.filter((s) => s === 'new').length).toBeGreaterThan(0);
    expect(states.filter((s) => s === 'old').length).toBeGreaterThan(0);
    const entries = expectJournalMatchesFiles(db);
    expect(entries.filter((e) => e.state === 'written').length).toBe(states.filter((s) => s === 'new').length);
    expect(journal(db).batches).toEqual([{ id: 1, status: 'interrupted', undoes: null }]);
    expect((await runCli(['undo', '--last', '--db', db])).code).toBe(0);
    for (const file of files) expect(hashFile(file), file).toBe(original);
  }, 60_000);
});

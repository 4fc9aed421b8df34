import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { parseFile } from 'music-metadata';
import { beforeAll, describe, expect, it } from 'vitest';
import { audioPayloadHash } from '../src-main/core/tags/audio-payload.ts';
import { SHARED_DATA, convertReal, ffmpeg, hashFile, jsonLines, runCli, tempDir } from './helpers/fixtures.ts';
import { id3v24Tag, withoutId3 } from './helpers/id3v24.ts';
import { withId3Genres } from '../src-main/core/tags/id3-genres.ts';

const SOURCE = path.join(SHARED_DATA, 'songs', 'soul.mp3');
const payload = (file: string) => audioPayloadHash(fs.readFileSync(file));
/** The genres the library holds for a file, in order. */
function libraryGenres(dbFile: string, file: string): string[] {
  const sqlite = new Database(dbFile, { readonly: true });
  const row = sqlite.prepare(`SELECT json_group_array(genre) AS g FROM (SELECT genre FROM track_genres g JOIN tracks t ON t.id = g.track_id WHERE t.path = ? ORDER BY position)`).get(file) as { g: string };
  sqlite.close();
  return JSON.parse(row.g) as string[];
}
/** mutagen's view of a file's tags (Debian's python3-mutagen, installed by .ci/run): an independent reader. */
const mutagen = (file: string) => execFileSync('mutagen-inspect', [file], { encoding: 'utf8' });

/** A library of the formats Sonority writes, tagged richly: ID3v2.4 with two artists and cover art, FLAC with a picture, Ogg, Opus, M4A. */
async function buildLibrary(dir: string): Promise<string[]> {
  await ffmpeg(['-f', 'lavfi', '-i', 'color=c=red:s=32x32', '-frames:v', '1', path.join(dir, 'cover.png')]);
  const cover = ['-i', path.join(dir, 'cover.png'), '-map', '0:a', '-map', '1', '-c:v', 'copy', '-disposition:v', 'attached_pic'];
  const tags = ['-metadata', 'artist=Ann', '-metadata', 'title=Hymn', '-metadata', 'genre=Soul', '-metadata', 'REPLAYGAIN_TRACK_GAIN=-6.5 dB', '-metadata', 'MUSICBRAINZ_ALBUMID=0b6a5a2e-2f0e-4a5e-9c53-3c1f1b7d1a11', '-metadata', 'LYRICS=la la la', '-metadata', 'comment=a comment'];
  const files: string[] = [];
  const make = async (name: string, args: string[]) => {
    const file = path.join(dir, 'library', name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await ffmpeg(['-i', SOURCE, ...args, file]);
    files.push(file);
  };
  await make('cover.mp3', [...cover, '-t', '4', '-c:a', 'libmp3lame', '-id3v2_version', '3', ...tags]);
  await make('cover.flac', [...cover, '-t', '4', '-c:a', 'flac', ...tags]);
  // Ogg and Opus keep tags in the audio stream's comments.
  const streamTags = tags.map((arg, i) => (i % 2 === 0 ? '-metadata:s:a:0' : arg));
  await make('plain.ogg', ['-t', '4', '-c:a', 'libvorbis', ...streamTags]);
  await make('plain.opus', ['-t', '4', '-c:a', 'libopus', ...streamTags]);
  await make('cover.m4a', [...cover, '-t', '4', '-c:a', 'aac', ...tags]);
  // ID3v2.4 with cover art (APIC), TXXX frames and two genres: ffmpeg writes the v2.4 tag, our writer the two TCON values.
  await make('cover24.mp3', [...cover, '-t', '4', '-c:a', 'libmp3lame', '-id3v2_version', '4', ...tags]);
  const cover24 = files.at(-1)!;
  fs.writeFileSync(cover24, withId3Genres(fs.readFileSync(cover24), ['Soul', 'Gospel'], { newTagVersion: 4, v23Separator: '; ' }));
  const v24 = path.join(dir, 'library', 'v24.mp3');
  const bare = withoutId3(fs.readFileSync(files[0]!));
  fs.writeFileSync(v24, Buffer.concat([id3v24Tag({ TIT2: ['Hymn'], TPE1: ['Ann', 'Bo'], TCON: ['Soul', 'Gospel'], TXXX: ['MusicBrainz Album Id', '0b6a5a2e'], COMM: ['eng', 'a comment'], USLT: ['eng', 'la la la'] }), bare]));
  files.push(v24);
  return files;
}

describe('sonority tag and undo', () => {
  const dir = tempDir();
  const db = path.join(dir, 'library.db');
  let files: string[];
  let originals: Map<string, string>;
  let mtimes: Map<string, number>;
  beforeAll(async () => {
    files = await buildLibrary(dir);
    originals = new Map(files.map((f) => [f, hashFile(f)]));
    mtimes = new Map(files.map((f) => [f, fs.statSync(f).mtimeMs]));
    expect((await runCli(['scan', path.join(dir, 'library'), '--db', db])).code).toBe(0);
  }, 60_000);

  it('shows the exact change in a dry run and writes nothing', async () => {
    const result = await runCli(['tag', ...files, '--genre', 'hip hop', '--genre', 'Pop', '--dry-run', '--db', db]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`would set  ${files[0]}\n             Soul → Hip-Hop, Pop`);
    expect(result.stdout).toContain(`would set  ${files[5]}\n             Soul, Gospel → Hip-Hop, Pop`);
    expect(result.stdout).toContain(`would set  ${files[6]}\n             Soul, Gospel → Hip-Hop, Pop`);
    for (const file of files) expect(hashFile(file)).toBe(originals.get(file));
  });

  it('writes the genres into every format, keeps every other tag and the audio, and keeps the library in step', async () => {
    const before = new Map(await Promise.all(files.map(async (f) => [f, { tags: await parseFile(f), audio: payload(f), mutagen: mutagen(f) }] as const)));
    const result = await runCli(['tag', ...files, '--genre', 'hip hop', '--genre', 'Pop', '--db', db, '--json']);
    expect(result.code).toBe(0);
    expect(jsonLines(result.stdout).at(-1)).toMatchObject({ type: 'summary', written: files.length, failed: 0 });
    for (const file of files) {
      const after = await parseFile(file);
      const was = before.get(file)!;
      expect(after.common.genre, file).toEqual(file.endsWith('cover.mp3') ? ['Hip-Hop; Pop'] : ['Hip-Hop', 'Pop']);
      expect([after.common.artists, after.common.title, after.common.picture?.[0]?.data], file).toEqual([was.tags.common.artists, was.tags.common.title, was.tags.common.picture?.[0]?.data]);
      expect(payload(file), file).toBe(was.audio);
      if (path.basename(file).startsWith('cover')) expect(after.common.picture?.[0]?.data.length, file).toBeGreaterThan(50);
      const lines = (text: string) => text.split('\n').slice(2).filter((line) => !/^(TCON|GENRE|genre|©gen)=/i.test(line));
      expect(lines(mutagen(file)), file).toEqual(lines(was.mutagen));
      expect(mutagen(file), file).toMatch(/(TCON|GENRE|©gen)=Hip-Hop/i);
      expect(mutagen(file), file).toMatch(/USLT|LYRICS|©lyr/);
    }
    const rescan = jsonLines((await runCli(['scan', path.join(dir, 'library'), '--db', db, '--json'])).stdout).at(-1);
    expect(rescan).toMatchObject({ analysed: 0, skipped: files.length });
    const again = await runCli(['tag', ...files, '--genre', 'hip hop', '--genre', 'Pop', '--db', db, '--dry-run', '--json']);
    expect(jsonLines(again.stdout).at(-1)).toMatchObject({ written: 0, unchanged: files.length });
    expect(libraryGenres(db, files[1]!)).toEqual(['Hip-Hop', 'Pop']);
  });

  it('refuses a library file changed since the scan, naming it, and writes the others', async () => {
    const changed = files[2]!;
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(changed, later, later);
    const result = await runCli(['tag', changed, files[3]!, '--genre', 'Jazz', '--db', db, '--dry-run']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`failed     ${changed}\n             ${changed}: the file changed since it was scanned`);
    expect(result.stdout).toContain(`would set  ${files[3]}`);
    fs.utimesSync(changed, new Date(mtimes.get(changed)!), new Date(mtimes.get(changed)!));
  });

  it('undoes the batch: every file byte-identical to what it was, and the library back to the old genres', async () => {
    const result = await runCli(['undo', '--last', '--db', db, '--json']);
    expect(result.code).toBe(0);
    expect(jsonLines(result.stdout).at(-1)).toMatchObject({ type: 'summary', restored: files.length, failed: 0 });
    for (const file of files) expect(hashFile(file), file).toBe(originals.get(file));
    for (const file of files) expect(fs.statSync(file).mtimeMs, file).toBeCloseTo(mtimes.get(file)!, -1);
    expect(libraryGenres(db, files[5]!)).toEqual(['Soul', 'Gospel']);
    const again = await runCli(['undo', '--last', '--db', db]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('there is no tag write left to undo');
  });

  it('writes and undoes through a symlink, leaving the link a link and restoring its target', async () => {
    const target = path.join(dir, 'linked', 'target.flac');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(files[1]!, target);
    const link = path.join(dir, 'linked', 'link.flac');
    fs.symlinkSync(target, link);
    const linkDb = path.join(dir, 'link.db');
    expect((await runCli(['tag', link, '--genre', 'Jazz', '--db', linkDb])).code).toBe(0);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect((await parseFile(target)).common.genre).toEqual(['Jazz']);
    expect((await runCli(['undo', '--last', '--db', linkDb])).code).toBe(0);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(hashFile(target)).toBe(originals.get(files[1]!));
    expect(fs.readdirSync(path.dirname(target)).sort()).toEqual(['link.flac', 'target.flac']);
  });

  it('leaves every file fully old or fully new when killed mid-batch, and the journal settles to match the files', async () => {
    const copies = Array.from({ length: 16 }, (_, i) => {
      const copy = path.join(dir, 'kill', `copy ${i}.flac`);
      fs.mkdirSync(path.dirname(copy), { recursive: true });
      fs.copyFileSync(files[1]!, copy);
      return copy;
    });
    const killDb = path.join(dir, 'kill.db');
    expect((await runCli(['scan', path.dirname(copies[0]!), '--db', killDb])).code).toBe(0);
    let seen = 0;
    const killed = await runCli(['tag', ...copies, '--genre', 'Funk', '--db', killDb, '--json'], {
      onStdout: (text, child) => {
        seen = text.split('\n').filter((line) => line.includes('"type":"file"')).length;
        if (seen >= 4) child.kill('SIGKILL');
      },
    });
    expect(killed.signal).toBe('SIGKILL');
    const original = originals.get(files[1]!)!;
    const states = await Promise.all(copies.map(async (copy) => {
      const genres = (await parseFile(copy)).common.genre;
      expect(payload(copy)).toBe(payload(files[1]!));
      return hashFile(copy) === original ? 'old' : JSON.stringify(genres) === '["Funk"]' ? 'new' : 'broken';
    }));
    expect(states).not.toContain('broken');
    expect(states.filter((s) => s === 'new').length).toBeGreaterThanOrEqual(4);
    expect(states.filter((s) => s === 'old').length).toBeGreaterThan(0);
    // Any later write command settles what the killed one left pending.
    expect((await runCli(['tag', copies[0]!, '--genre', 'Funk', '--dry-run', '--db', killDb])).code).toBe(0);
    const sqlite = new Database(killDb, { readonly: true });
    const entries = sqlite.prepare('SELECT path, state, before_sha256 AS before, after_sha256 AS after FROM journal').all() as Array<{ path: string; state: string; before: string; after: string }>;
    const batch = sqlite.prepare('SELECT status FROM write_batches WHERE id = 1').get() as { status: string };
    sqlite.close();
    expect(batch.status).toBe('interrupted');
    expect(entries.map((e) => e.state)).not.toContain('pending');
    for (const entry of entries) expect(hashFile(entry.path)).toBe(entry.state === 'written' ? entry.after : entry.before);
    expect(entries.filter((e) => e.state === 'written').length).toBe(states.filter((s) => s === 'new').length);
    for (const copy of copies) expect(libraryGenres(killDb, copy), copy).toEqual((await parseFile(copy)).common.genre);
    expect((await runCli(['undo', '--last', '--db', killDb])).code).toBe(0);
    for (const copy of copies) expect(hashFile(copy), copy).toBe(original);
  });
});

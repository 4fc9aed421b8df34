import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { id3v2Length, sniffAudio, sniffFile } from '../src-main/core/scan/sniff.ts';
import { audioPayloadHash } from '../src-main/core/tags/audio-payload.ts';
import { readTags } from '../src-main/core/tags/read-tags.ts';
import { writeGenres } from '../src-main/core/tags/write-genres.ts';
import { SHARED_DATA, ffmpeg, hashFile, jsonLines, runCli, tempDir } from './helpers/fixtures.ts';
import { id3v24Tag } from './helpers/id3v24.ts';

// Files as they come from the wild, built on the fly: an MP3 whose ID3v2 tag holds a large cover, fragments of MP3s,
// a FLAC with an ID3v2 tag in front, and MP3s with APEv2 and ID3v1 tags beside (or instead of) ID3v2.

const SOURCE = path.join(SHARED_DATA, 'songs', 'soul.mp3');
/** Debian's python3 (python3-mutagen lives in its dist-packages; another python3 may come first on PATH). */
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
/** Runs a Python snippet with mutagen, the files as `sys.argv[1:]`; returns what it prints. */
const python = (code: string, ...files: string[]) => execFileSync(PYTHON, ['-c', `import sys, json, mutagen.apev2, mutagen.flac, mutagen.id3\n${code}`, ...files], { encoding: 'utf8' });
const mutagenFlacGenres = (file: string) => JSON.parse(python('print(json.dumps(mutagen.flac.FLAC(sys.argv[1]).tags["genre"]))', file));
const mutagenApeGenre = (file: string) => python('print(mutagen.apev2.APEv2(sys.argv[1])["Genre"])', file).trim();
const mutagenTcon = (file: string) => python('print(mutagen.id3.ID3(sys.argv[1])["TCON"].text[0])', file).trim();

function libraryRow(dbFile: string, file: string): { container: string; genres: string[] } {
  const sqlite = new Database(dbFile, { readonly: true });
  const row = sqlite.prepare(`SELECT container, (SELECT json_group_array(genre) FROM (SELECT genre FROM track_genres WHERE track_id = t.id ORDER BY position)) AS genres FROM tracks t WHERE path = ?`).get(file) as { container: string; genres: string };
  sqlite.close();
  return { container: row.container, genres: JSON.parse(row.genres) };
}

/** Four seconds of a real song as MP3 (ID3v2.3 unless `-id3v2_version 0`), with extra ffmpeg arguments. */
const mp3 = (file: string, ...args: string[]) => ffmpeg(['-i', SOURCE, '-t', '4', '-map', '0:a', '-c:a', 'libmp3lame', '-b:a', '128k', '-id3v2_version', '3', ...args, file]);

describe('tags of files from the wild', () => {
  const dir = tempDir();
  const library = path.join(dir, 'library');
  const fragments = path.join(dir, 'fragments');
  const db = path.join(dir, 'library.db');
  const at = (name: string) => path.join(library, name);
  let scan: Array<Record<string, any>>;
  let flacPrefix: Buffer;

  beforeAll(async () => {
    fs.mkdirSync(library);
    fs.mkdirSync(fragments);
    // 1. A cover of ordinary size (a 1500×1500 noise JPEG, ~700 KB) makes the ID3v2 tag far longer than 64 KiB.
    const cover = path.join(dir, 'cover.jpg');
    await ffmpeg(['-f', 'lavfi', '-i', 'nullsrc=s=1500x1500,geq=random(1)*255:128:128', '-frames:v', '1', cover]);
    expect(fs.statSync(cover).size).toBeGreaterThan(100_000);
    await mp3(path.join(dir, 'plain.mp3'), '-metadata', 'genre=Soul');
    await ffmpeg(['-i', path.join(dir, 'plain.mp3'), '-i', cover, '-map', '0:a', '-map', '1:v', '-c', 'copy', '-id3v2_version', '3', at('cover.mp3')]);
    // 2. A FLAC (GENRE=Gospel) with an ID3v2.4 tag in front of it (TIT2 and TCON=Rock), as some taggers leave them.
    const flac = path.join(dir, 'plain.flac');
    await ffmpeg(['-i', SOURCE, '-t', '4', '-c:a', 'flac', '-metadata', 'genre=Gospel', '-metadata', 'title=Hymn', flac]);
    flacPrefix = id3v24Tag({ TIT2: ['Hymn (from ID3)'], TCON: ['Rock'] });
    fs.writeFileSync(at('prefixed.flac'), Buffer.concat([flacPrefix, fs.readFileSync(flac)]));
    // 3. ID3v2.3 TCON=Rock, APEv2 Genre=Jazz and ID3v1 genre Blues (index 0) in one MP3; an APEv2-only and an ID3v1-only MP3.
    await mp3(at('three-tags.mp3'), '-metadata', 'genre=Rock', '-metadata', 'title=Three');
    python('a = mutagen.apev2.APEv2(); a["Genre"] = "Jazz"; a.save(sys.argv[1])\nmutagen.id3.ID3(sys.argv[1]).save(sys.argv[1], v1=2, v2_version=3)', at('three-tags.mp3'));
    const threeTags = fs.readFileSync(at('three-tags.mp3'));
    expect(threeTags.toString('latin1', threeTags.length - 128, threeTags.length - 125)).toBe('TAG');
    threeTags[threeTags.length - 1] = 0;
    fs.writeFileSync(at('three-tags.mp3'), threeTags);
    await mp3(at('ape-only.mp3'), '-id3v2_version', '0');
    python('a = mutagen.apev2.APEv2(); a["Genre"] = "Jazz"; a.save(sys.argv[1])', at('ape-only.mp3'));
    await mp3(at('id3v1-only.mp3'), '-metadata', 'genre=Blues');
    python('mutagen.id3.ID3(sys.argv[1]).save(sys.argv[1], v1=2)\nmutagen.id3.delete(sys.argv[1], delete_v1=False)', at('id3v1-only.mp3'));
    // Fragments: the first 100 bytes of the cover MP3 (inside its tag), of the plain MP3 (inside its first frame), and of an MP3 without ID3v2.
    await mp3(path.join(dir, 'bare.mp3'), '-id3v2_version', '0');
    expect(id3v2Length(fs.readFileSync(path.join(dir, 'plain.mp3')))).toBeLessThan(90);
    for (const [name, whole] of [['in-tag.mp3', at('cover.mp3')], ['in-frame.mp3', path.join(dir, 'plain.mp3')], ['no-id3.mp3', path.join(dir, 'bare.mp3')]] as const) {
      fs.writeFileSync(path.join(fragments, name), fs.readFileSync(whole).subarray(0, 100));
    }
    scan = jsonLines((await runCli(['scan', library, '--db', db, '--json'])).stdout);
  }, 120_000);

  it('an MP3 whose ID3v2 tag holds a 700 KB cover is an MP3: sniffed, scanned and tagged', async () => {
    const file = at('cover.mp3');
    expect(id3v2Length(fs.readFileSync(file))).toBeGreaterThan(100_000);
    expect(await sniffFile(file)).toEqual({ audio: true, container: 'mp3' });
    expect(scan.filter((event) => event.type === 'failure')).toEqual([]);
    expect(scan.at(-1)).toMatchObject({ type: 'summary', analysed: 5, failed: 0 });
    expect(libraryRow(db, file)).toEqual({ container: 'mp3', genres: ['Soul'] });
    const result = await runCli(['tag', file, '--genre', 'Funk', '--db', db, '--json']);
    expect(jsonLines(result.stdout)[0]).toMatchObject({ ok: true, changed: true, container: 'mp3', oldGenres: ['Soul'], newGenres: ['Funk'] });
    expect(result.code).toBe(0);
    expect(mutagenTcon(file)).toBe('Funk');
    expect(python('print(len(mutagen.id3.ID3(sys.argv[1]).getall("APIC")[0].data))', file).trim()).toBe(String(fs.statSync(path.join(dir, 'cover.jpg')).size));
  });

  it('a 100-byte fragment of an MP3 is truncated, not an unknown format, in sniffing, the scan and tag', async () => {
    const names = ['in-frame.mp3', 'in-tag.mp3', 'no-id3.mp3'];
    for (const name of names) expect(await sniffFile(path.join(fragments, name)), name).toMatchObject({ audio: false, code: 'truncated', reason: expect.stringMatching(/^truncated file: it ends /) });
    expect((await sniffFile(path.join(fragments, 'in-tag.mp3')) as { reason: string }).reason).toBe('truncated file: it ends inside its ID3v2 tag or right after it, before any audio');
    const scanned = await runCli(['scan', fragments, '--db', path.join(dir, 'fragments.db'), '--json']);
    expect(scanned.code).toBe(1);
    const failures = jsonLines(scanned.stdout).filter((event) => event.type === 'failure');
    expect(failures.map((failure) => [path.basename(failure.path), failure.code]).sort()).toEqual(names.map((name) => [name, 'truncated']));
    const tagged = await runCli(['tag', path.join(fragments, 'in-frame.mp3'), '--genre', 'Funk', '--db', db, '--json']);
    expect(tagged.code).toBe(1);
    expect(jsonLines(tagged.stdout)[0]).toMatchObject({ ok: false, code: 'truncated' });
  });

  it('a FLAC with an ID3v2 tag in front is FLAC: scanned as flac, its own GENRE written after the ID3v2 tag kept byte for byte, undone exactly', async () => {
    const file = at('prefixed.flac');
    const original = fs.readFileSync(file);
    expect(libraryRow(db, file)).toEqual({ container: 'flac', genres: ['Gospel'] });
    expect(await readTags(file)).toMatchObject({ genres: ['Gospel'], genreSource: 'Vorbis comment' });
    const result = await runCli(['tag', file, '--genre', 'Jazz', '--genre', 'Soul', '--db', db, '--json']);
    expect(jsonLines(result.stdout)[0]).toMatchObject({
      ok: true, changed: true, container: 'flac', oldGenres: ['Gospel'], genreSource: 'Vorbis comment',
      untouchedGenreTags: [{ tag: 'ID3v2.4', genres: ['Rock'] }], newGenres: ['Jazz', 'Soul'], audioHash: audioPayloadHash(original),
    });
    expect(result.code).toBe(0);
    const written = fs.readFileSync(file);
    expect(written.subarray(0, flacPrefix.length).equals(flacPrefix)).toBe(true);
    expect(written.toString('latin1', flacPrefix.length, flacPrefix.length + 4)).toBe('fLaC');
    expect(mutagenFlacGenres(file)).toEqual(['Jazz', 'Soul']);
    expect(python('print(mutagen.id3.ID3(sys.argv[1])["TCON"].text[0])', file).trim()).toBe('Rock');
    expect(audioPayloadHash(written)).toBe(audioPayloadHash(original));
    expect(libraryRow(db, file)).toEqual({ container: 'flac', genres: ['Jazz', 'Soul'] });
    const again = await runCli(['tag', file, '--genre', 'Jazz', '--genre', 'Soul', '--db', db, '--json']);
    expect(jsonLines(again.stdout).at(-1)).toMatchObject({ type: 'summary', written: 0, unchanged: 1 });
    expect((await runCli(['undo', '--last', '--db', db])).code).toBe(0);
    expect(fs.readFileSync(file).equals(original)).toBe(true);
  });

  it('sniffs and hashes the container behind an ID3v2 tag (FLAC, Ogg, WAV), and refuses to write an Ogg behind one', async () => {
    const prefix = id3v24Tag({ TIT2: ['In front'] });
    for (const [format, container, codec] of [['flac', 'flac', 'flac'], ['ogg', 'ogg-vorbis', 'libvorbis'], ['wav', 'wav', 'pcm_s16le']] as const) {
      const file = path.join(dir, `hashed.${format}`);
      await ffmpeg(['-i', SOURCE, '-t', '2', '-c:a', codec, file]);
      const bytes = fs.readFileSync(file);
      const prefixed = Buffer.concat([prefix, bytes]);
      expect(sniffAudio(prefixed), format).toEqual({ audio: true, container });
      expect(audioPayloadHash(prefixed), format).toBe(audioPayloadHash(bytes));
    }
    const ogg = path.join(dir, 'prefixed.ogg');
    fs.writeFileSync(ogg, Buffer.concat([prefix, fs.readFileSync(path.join(dir, 'hashed.ogg'))]));
    const before = hashFile(ogg);
    await expect(writeGenres(ogg, ['Funk'], { id3: { newTagVersion: 3, v23Separator: '; ' }, mtime: 'keep' })).rejects.toMatchObject({ code: 'tag-unsupported', message: expect.stringContaining('an ID3v2 tag stands in front of this Ogg Vorbis file') });
    expect(hashFile(ogg)).toBe(before);
  });

  it('reads ID3v2 over APEv2 over ID3v1: scan, dry run, write, and a second tag writes nothing', async () => {
    const file = at('three-tags.mp3');
    expect(await readTags(file)).toMatchObject({ genres: ['Rock'], genreSource: 'ID3v2.3', title: 'Three' });
    expect(libraryRow(db, file).genres).toEqual(['Rock']);
    const dryRun = await runCli(['tag', file, '--genre', 'Metal', '--db', db, '--dry-run']);
    expect(dryRun.stdout).toContain(`would set  ${file}\n             Rock → Metal  (read from ID3v2.3; left as they are: APEv2 Jazz; ID3v1 Blues)\n`);
    expect((await runCli(['tag', file, '--genre', 'Metal', '--db', db])).code).toBe(0);
    expect([mutagenTcon(file), mutagenApeGenre(file)]).toEqual(['Metal', 'Jazz']);
    expect(libraryRow(db, file).genres).toEqual(['Metal']);
    const [hash, mtime] = [hashFile(file), fs.statSync(file).mtimeMs];
    const again = await runCli(['tag', file, '--genre', 'Metal', '--db', db, '--json']);
    expect(jsonLines(again.stdout)).toMatchObject([{ ok: true, changed: false, oldGenres: ['Metal'], genreSource: 'ID3v2.3' }, { type: 'summary', written: 0, unchanged: 1 }]);
    expect([hashFile(file), fs.statSync(file).mtimeMs]).toEqual([hash, mtime]);
  });

  it('reads the APEv2 genre of an MP3 that has only APEv2, and the ID3v1 genre of one that has only ID3v1', async () => {
    expect(await readTags(at('ape-only.mp3'))).toMatchObject({ genres: ['Jazz'], genreSource: 'APEv2' });
    expect(libraryRow(db, at('ape-only.mp3')).genres).toEqual(['Jazz']);
    expect(await readTags(at('id3v1-only.mp3'))).toMatchObject({ genres: ['Blues'], genreSource: 'ID3v1' });
    const result = await runCli(['tag', at('ape-only.mp3'), '--genre', 'Swing', '--db', db]);
    expect(result.stdout).toContain('Jazz → Swing  (read from APEv2; left as they are: APEv2 Jazz)');
    expect(await readTags(at('ape-only.mp3'))).toMatchObject({ genres: ['Swing'], genreSource: 'ID3v2.3' });
  });

  it('reads a Vorbis STYLE only where no GENRE is, so a written GENRE reads back and a second tag writes nothing', async () => {
    const file = path.join(dir, 'style-only.flac');
    await ffmpeg(['-i', SOURCE, '-t', '2', '-c:a', 'flac', '-metadata', 'STYLE=Bebop', file]);
    expect(await readTags(file)).toMatchObject({ genres: ['Bebop'], genreSource: 'Vorbis STYLE' });
    expect((await writeGenres(file, ['Jazz'], { id3: { newTagVersion: 3, v23Separator: '; ' }, mtime: 'keep' })).changed).toBe(true);
    expect(await readTags(file)).toMatchObject({ genres: ['Jazz'], genreSource: 'Vorbis comment' });
    expect(JSON.parse(python('print(json.dumps(mutagen.flac.FLAC(sys.argv[1]).tags["style"]))', file))).toEqual(['Bebop']);
    expect((await writeGenres(file, ['Jazz'], { id3: { newTagVersion: 3, v23Separator: '; ' }, mtime: 'keep' })).changed).toBe(false);
  });
});

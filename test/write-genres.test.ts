import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseFile } from 'music-metadata';
import { beforeEach, describe, expect, it } from 'vitest';
import { writeGenres, type WriteGenresOptions } from '../src-main/core/tags/write-genres.ts';
import { audioPayloadHash } from '../src-main/core/tags/audio-payload.ts';
import { SHARED_DATA, convertReal, ffmpeg, hashFile, tempDir, type Format } from './helpers/fixtures.ts';

const OPTIONS: WriteGenresOptions = { id3: { newTagVersion: 3, v23Separator: '; ' }, mtime: 'keep' };
const FORMATS: Format[] = ['mp3', 'flac', 'ogg', 'opus', 'm4a'];
const SOURCE = path.join(SHARED_DATA, 'songs', 'gospel.mp3');
const payload = (file: string) => audioPayloadHash(fs.readFileSync(file));

describe('writeGenres', () => {
  let dir: string;
  const make = (format: Format, name = `song.${format}`) => convertReal(SOURCE, path.join(dir, name), format, { artist: 'Choir', title: 'Hymn', genre: 'Gospel' });
  beforeEach(() => {
    dir = tempDir();
  });

  it.each(FORMATS)('%s: writes the genres atomically, keeping the audio, the other tags, permissions and mtime', async (format) => {
    const file = await make(format);
    fs.chmodSync(file, 0o640);
    const past = new Date('2020-01-02T03:04:05Z');
    fs.utimesSync(file, past, past);
    const [before, audio] = [await parseFile(file), payload(file)];
    const result = await writeGenres(file, ['Soul', 'Gospel'], { ...OPTIONS, expected: { size: fs.statSync(file).size, mtimeMs: fs.statSync(file).mtimeMs } });
    expect(result).toMatchObject({ changed: true, oldGenres: ['Gospel'], newGenres: ['Soul', 'Gospel'], audioHash: audio });
    const after = await parseFile(file);
    expect(after.common.genre).toEqual(format === 'mp3' ? ['Soul; Gospel'] : ['Soul', 'Gospel']);
    expect([after.common.artist, after.common.title]).toEqual([before.common.artist, before.common.title]);
    expect(payload(file)).toBe(audio);
    const stat = fs.statSync(file);
    expect(stat.mode & 0o777).toBe(0o640);
    expect(stat.mtime.getTime()).toBe(past.getTime());
    expect(fs.readdirSync(dir)).toEqual([path.basename(file)]);
  });

  it('updates the mtime when told to, writes nothing in a dry run, and nothing when the genres are already there', async () => {
    const file = await make('flac');
    const past = new Date('2020-01-02T03:04:05Z');
    fs.utimesSync(file, past, past);
    const hash = hashFile(file);
    expect(await writeGenres(file, ['Soul'], { ...OPTIONS, dryRun: true })).toMatchObject({ changed: true, oldGenres: ['Gospel'], newGenres: ['Soul'] });
    expect(hashFile(file)).toBe(hash);
    expect(await writeGenres(file, ['Gospel'], OPTIONS)).toMatchObject({ changed: false });
    expect(hashFile(file)).toBe(hash);
    await writeGenres(file, ['Soul'], { ...OPTIONS, mtime: 'update' });
    expect(fs.statSync(file).mtime.getTime()).toBeGreaterThan(past.getTime());
  });

  it('refuses read-only, changed, vanished and unsupported files with a clear error, leaving them as they were', async () => {
    const readOnly = await make('mp3', 'read-only.mp3');
    fs.chmodSync(readOnly, 0o444);
    const hash = hashFile(readOnly);
    await expect(writeGenres(readOnly, ['Soul'], OPTIONS)).rejects.toMatchObject({ code: 'read-only', message: expect.stringContaining('the file is read-only') });
    expect(hashFile(readOnly)).toBe(hash);

    const changed = await make('ogg', 'changed.ogg');
    const stat = fs.statSync(changed);
    await expect(writeGenres(changed, ['Soul'], { ...OPTIONS, expected: { size: stat.size + 1, mtimeMs: stat.mtimeMs } })).rejects.toMatchObject({ code: 'changed-since-scan' });

    await expect(writeGenres(path.join(dir, 'gone.flac'), ['Soul'], OPTIONS)).rejects.toMatchObject({ code: 'vanished', message: expect.stringContaining('gone.flac: the file is gone') });

    const adts = path.join(dir, 'song.aac');
    await ffmpeg(['-i', SOURCE, '-t', '3', '-c:a', 'aac', '-f', 'adts', adts]);
    await expect(writeGenres(adts, ['Soul'], OPTIONS)).rejects.toMatchObject({ code: 'tag-unsupported', message: expect.stringContaining('song.aac: Sonority writes genres into MP3, FLAC, Ogg Vorbis, Opus, MP4/M4A, WAV and AIFF files, not raw AAC (ADTS)') });
    expect(fs.readdirSync(dir).filter((name) => name.includes('sonority'))).toEqual([]);
  });

  it.skipIf(!canMountTmpfs())('fails a full disk with disk-full, leaving the file and the folder as they were (a tiny tmpfs; needs root)', async () => {
    const source = await make('flac');
    const mountPoint = tempDir();
    const size = fs.statSync(source).size;
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size + 64 * 1024}`, 'tmpfs', mountPoint]);
    try {
      const file = path.join(mountPoint, 'song.flac');
      fs.copyFileSync(source, file);
      const hash = hashFile(file);
      await expect(writeGenres(file, ['Soul'], OPTIONS)).rejects.toMatchObject({ code: 'disk-full', message: expect.stringContaining('the disk is full; nothing was changed') });
      expect(hashFile(file)).toBe(hash);
      expect(fs.readdirSync(mountPoint)).toEqual(['song.flac']);
    } finally {
      execFileSync('umount', [mountPoint]);
    }
  });
});

/** Whether this process may mount a tmpfs (root with CAP_SYS_ADMIN, as in CI here). */
function canMountTmpfs(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'sonority-mount-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe]);
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(probe, { recursive: true, force: true });
  }
}

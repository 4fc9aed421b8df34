import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseBuffer } from 'music-metadata';
import { beforeAll, describe, expect, it } from 'vitest';
import { withMp4Genres } from '../src-main/core/tags/mp4-genres.ts';
import { audioPayloadHash } from '../src-main/core/tags/audio-payload.ts';
import { resolveFfmpegPath } from '../src-main/core/decode/ffmpeg-path.ts';
import { SHARED_DATA, ffmpeg, tempDir } from './helpers/fixtures.ts';

/** MD5 of the decoded audio, with ffmpeg's complaints (none for a sound file). */
function decoded(file: string): { md5: string; errors: string } {
  const result = spawnSync(resolveFfmpegPath(), ['-v', 'error', '-i', file, '-map', '0:a', '-f', 'md5', '-'], { encoding: 'utf8' });
  return { md5: result.stdout.trim(), errors: result.stderr };
}
const read = (bytes: Uint8Array) => parseBuffer(bytes, { mimeType: 'audio/mp4' });

describe('writing genres into MP4 files', () => {
  const dir = tempDir();
  const file = (name: string) => path.join(dir, name);
  const source = path.join(SHARED_DATA, 'songs', 'samba.mp3');
  const tags = ['-metadata', 'artist=Ana', '-metadata', 'title=Samba', '-metadata', 'genre=Samba', '-metadata', 'album=Rio'];
  beforeAll(async () => {
    await ffmpeg(['-f', 'lavfi', '-i', 'color=c=green:s=32x32', '-frames:v', '1', file('cover.png')]);
    await ffmpeg(['-i', source, '-i', file('cover.png'), '-t', '5', '-map', '0:a', '-map', '1', '-c:a', 'aac', '-c:v', 'copy', '-disposition:v', 'attached_pic', ...tags, file('end.m4a')]);
    await ffmpeg(['-i', source, '-t', '5', '-c:a', 'aac', ...tags, '-movflags', '+faststart', file('start.m4a')]);
    const topLevel = (bytes: Buffer) => {
      const types: string[] = [];
      for (let at = 0; at < bytes.length; at += bytes.readUInt32BE(at)) types.push(bytes.toString('latin1', at + 4, at + 8));
      return types;
    };
    expect(topLevel(fs.readFileSync(file('start.m4a'))).indexOf('moov')).toBeLessThan(topLevel(fs.readFileSync(file('start.m4a'))).indexOf('mdat'));
    await ffmpeg(['-i', source, '-t', '5', '-c:a', 'aac', '-map_metadata', '-1', '-fflags', '+bitexact', '-flags:a', '+bitexact', file('bare.m4a')]);
    await ffmpeg(['-i', source, '-t', '5', '-c:a', 'aac', '-movflags', 'frag_keyframe+empty_moov', file('fragmented.m4a')]);
  }, 60_000);

  it('writes one ©gen with a value per genre, keeping the other items, the cover and the audio', async () => {
    const original = fs.readFileSync(file('end.m4a'));
    const written = withMp4Genres(original, ['Latin', 'Samba']);
    const [before, after] = [await read(original), await read(written)];
    expect(after.common.genre).toEqual(['Latin', 'Samba']);
    const others = (r: typeof before) => r.native.iTunes!.filter((t) => t.id !== '©gen' && t.id !== 'covr');
    expect(others(after)).toEqual(others(before));
    expect(after.common.picture![0]!.data).toEqual(before.common.picture![0]!.data);
    expect(audioPayloadHash(written)).toBe(audioPayloadHash(original));
    fs.writeFileSync(file('end-written.m4a'), written);
    expect(decoded(file('end-written.m4a'))).toEqual(decoded(file('end.m4a')));
  });

  it('shifts the chunk offsets when the movie box comes before the audio and grows', async () => {
    const original = fs.readFileSync(file('start.m4a'));
    const written = withMp4Genres(original, ['Latin', 'Samba', 'x'.repeat(5000)]);
    expect(written.length).toBeGreaterThan(original.length + 5000);
    expect(audioPayloadHash(written)).toBe(audioPayloadHash(original));
    fs.writeFileSync(file('start-written.m4a'), written);
    expect(decoded(file('start-written.m4a'))).toEqual({ md5: decoded(file('start.m4a')).md5, errors: '' });
    expect((await read(written)).common.genre).toEqual(['Latin', 'Samba', 'x'.repeat(5000)]);
  });

  it('creates the metadata boxes of an untagged file, removes the genre for an empty list, and refuses fragmented files', async () => {
    const bare = fs.readFileSync(file('bare.m4a'));
    expect((await read(bare)).common.genre).toBeUndefined();
    const written = withMp4Genres(bare, ['Samba']);
    expect((await read(written)).common.genre).toEqual(['Samba']);
    fs.writeFileSync(file('bare-written.m4a'), written);
    expect(decoded(file('bare-written.m4a'))).toEqual({ md5: decoded(file('bare.m4a')).md5, errors: '' });
    // No udta at all (moov is last here, so no offsets move): udta, meta, hdlr and ilst are created.
    const moovAt = bare.lastIndexOf('moov') - 4;
    const udtaAt = bare.indexOf('udta', moovAt) - 4;
    const noUdta = Buffer.concat([bare.subarray(0, udtaAt), bare.subarray(udtaAt + bare.readUInt32BE(udtaAt))]);
    noUdta.writeUInt32BE(bare.readUInt32BE(moovAt) - bare.readUInt32BE(udtaAt), moovAt);
    expect(noUdta.includes('udta')).toBe(false);
    const created = withMp4Genres(noUdta, ['Samba', 'Latin']);
    expect((await read(created)).common.genre).toEqual(['Samba', 'Latin']);
    fs.writeFileSync(file('created.m4a'), created);
    expect(decoded(file('created.m4a'))).toEqual({ md5: decoded(file('bare.m4a')).md5, errors: '' });
    expect((await read(withMp4Genres(fs.readFileSync(file('end.m4a')), []))).common.genre).toBeUndefined();
    expect(() => withMp4Genres(fs.readFileSync(file('fragmented.m4a')), ['Samba'])).toThrow(/fragmented MP4 files cannot be tagged safely/);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { parseBuffer } from 'music-metadata';
import { beforeAll, describe, expect, it } from 'vitest';
import { withId3Genres } from '../src-main/core/tags/id3-genres.ts';
import { audioPayloadHash } from '../src-main/core/tags/audio-payload.ts';
import { SHARED_DATA, ffmpeg, tempDir } from './helpers/fixtures.ts';
import { id3v24Tag } from './helpers/id3v24.ts';

const V23 = { newTagVersion: 3, v23Separator: '; ' } as const;

/** The frames of a tag as [id, bytes as hex], in order (an independent little parser for the test). */
function framesOf(bytes: Uint8Array): Array<[string, string]> {
  const version = bytes[3]!;
  const end = 10 + ((bytes[6]! << 21) | (bytes[7]! << 14) | (bytes[8]! << 7) | bytes[9]!);
  const frames: Array<[string, string]> = [];
  for (let at = 10; at + 10 <= end && bytes[at] !== 0; ) {
    const size = version === 4 ? (bytes[at + 4]! << 21) | (bytes[at + 5]! << 14) | (bytes[at + 6]! << 7) | bytes[at + 7]! : Buffer.from(bytes).readUInt32BE(at + 4);
    frames.push([Buffer.from(bytes.subarray(at, at + 4)).toString('latin1'), Buffer.from(bytes.subarray(at, at + 10 + size)).toString('hex')]);
    at += 10 + size;
  }
  return frames;
}
const withoutGenre = (frames: Array<[string, string]>) => frames.filter(([id]) => id !== 'TCON');
const tconBody = (bytes: Uint8Array) => Buffer.from(framesOf(bytes).find(([id]) => id === 'TCON')![1], 'hex').subarray(10);
const genresRead = async (bytes: Uint8Array) => (await parseBuffer(bytes, { mimeType: 'audio/mpeg' })).common.genre;

describe('writing genres into ID3v2 tags', () => {
  const dir = tempDir();
  let bare: Buffer;
  let withCover: Buffer;
  beforeAll(async () => {
    const source = path.join(SHARED_DATA, 'songs', 'soul.mp3');
    await ffmpeg(['-i', source, '-t', '5', '-map_metadata', '-1', '-c:a', 'libmp3lame', '-b:a', '96k', '-id3v2_version', '0', '-write_xing', '0', path.join(dir, 'bare.mp3')]);
    await ffmpeg(['-f', 'lavfi', '-i', 'color=c=red:s=32x32', '-frames:v', '1', path.join(dir, 'cover.png')]);
    await ffmpeg(['-i', path.join(dir, 'bare.mp3'), '-i', path.join(dir, 'cover.png'), '-map', '0:a', '-map', '1', '-c', 'copy', '-id3v2_version', '3',
      '-metadata', 'artist=Sam', '-metadata', 'genre=Jazz', '-metadata', 'REPLAYGAIN_TRACK_GAIN=-6.5 dB', '-metadata', 'MusicBrainz Album Id=0b6a5a2e-2f0e-4a5e-9c53-3c1f1b7d1a11',
      '-metadata:s:v', 'title=Album cover', '-metadata:s:v', 'comment=Cover (front)', path.join(dir, 'cover.mp3')]);
    bare = fs.readFileSync(path.join(dir, 'bare.mp3'));
    withCover = fs.readFileSync(path.join(dir, 'cover.mp3'));
  }, 30_000);

  it('keeps an ID3v2.4 tag v2.4, every other frame byte for byte, and writes the genres as separate values', async () => {
    const original = Buffer.concat([id3v24Tag({ TIT2: ['Song'], TPE1: ['Ann', 'Bo'], TCON: ['Jazz'], TXXX: ['REPLAYGAIN_TRACK_GAIN', '-6.5 dB'], TALB: ['Album'] }), bare]);
    const written = withId3Genres(original, ['Rock', 'Pop'], V23);
    expect(written[3]).toBe(4);
    expect(framesOf(written).map(([id]) => id)).toEqual(['TIT2', 'TPE1', 'TCON', 'TXXX', 'TALB']);
    expect(withoutGenre(framesOf(written))).toEqual(withoutGenre(framesOf(original)));
    expect(tconBody(written)).toEqual(Buffer.from('\x03Rock\0Pop', 'latin1'));
    expect(audioPayloadHash(written)).toBe(audioPayloadHash(original));
    const read = await parseBuffer(written, { mimeType: 'audio/mpeg' });
    expect(read.common.genre).toEqual(['Rock', 'Pop']);
    expect(read.common.artists).toEqual(['Ann', 'Bo']);
  });

  it('keeps an ID3v2.3 tag v2.3 with its cover and custom frames, joining genres with the separator, inside the old padding', async () => {
    const written = withId3Genres(withCover, ['Rock', 'Pop'], V23);
    expect(written[3]).toBe(3);
    expect(written.length).toBe(withCover.length);
    expect(withoutGenre(framesOf(written))).toEqual(withoutGenre(framesOf(withCover)));
    expect(framesOf(withCover).map(([id]) => id)).toEqual(expect.arrayContaining(['APIC', 'TXXX', 'TPE1']));
    expect(tconBody(written)).toEqual(Buffer.from('\x00Rock; Pop', 'latin1'));
    expect(audioPayloadHash(written)).toBe(audioPayloadHash(withCover));
    const [before, after] = [await parseBuffer(withCover, { mimeType: 'audio/mpeg' }), await parseBuffer(written, { mimeType: 'audio/mpeg' })];
    expect(after.common.picture![0]!.data).toEqual(before.common.picture![0]!.data);
    expect(after.common.genre).toEqual(['Rock; Pop']);
  });

  it('writes ID3v2.3 text outside Latin-1 as UTF-16, and grows a full tag with fresh padding', async () => {
    const long = ['Música Popular Brasileira', '日本のロック', 'x'.repeat(3000)];
    const written = withId3Genres(withCover, long, V23);
    expect(written.length).toBeGreaterThan(withCover.length + 3000);
    expect(tconBody(written).subarray(0, 3)).toEqual(Buffer.of(1, 0xff, 0xfe));
    expect(await genresRead(written)).toEqual([long.join('; ')]);
    expect(audioPayloadHash(written)).toBe(audioPayloadHash(withCover));
    expect(withoutGenre(framesOf(written))).toEqual(withoutGenre(framesOf(withCover)));
  });

  it('adds a tag of the chosen version to an untagged file, and removes the genre for an empty list', async () => {
    for (const version of [3, 4] as const) {
      const written = withId3Genres(bare, ['Soul', 'Funk'], { ...V23, newTagVersion: version });
      expect(written[3]).toBe(version);
      expect(await genresRead(written)).toEqual(version === 4 ? ['Soul', 'Funk'] : ['Soul; Funk']);
      expect(audioPayloadHash(written)).toBe(audioPayloadHash(bare));
      expect(written.subarray(written.length - bare.length)).toEqual(bare);
    }
    const cleared = withId3Genres(withCover, [], V23);
    expect(framesOf(cleared).map(([id]) => id)).not.toContain('TCON');
    expect(framesOf(cleared)).toEqual(withoutGenre(framesOf(withCover)));
  });

  it('refuses tags it cannot rewrite exactly, saying why', () => {
    const unsynchronised = Buffer.from(withCover);
    unsynchronised[5] = 0x80;
    expect(() => withId3Genres(unsynchronised, ['Rock'], V23)).toThrow(/cannot be rewritten safely: it uses unsynchronisation/);
    // A zero where a frame should start, with more frames after it (a mis-sized frame): refused, not truncated.
    const hidden = Buffer.concat([id3v24Tag({ TIT2: ['Song'] }).subarray(0, 10), Buffer.alloc(4), id3v24Tag({ TPE1: ['Ann'] }).subarray(10), bare]);
    hidden.writeUInt32BE(0, 6);
    hidden.set([0, 0, 0, 4 + 9 + 4].map((n, i) => (i === 3 ? n : 0)), 6);
    expect(() => withId3Genres(hidden, ['Rock'], V23)).toThrow(/it has data after its padding starts/);
    const garbage = Buffer.concat([id3v24Tag({ TIT2: ['Song'] }), bare]);
    garbage.write('t!t2', 10, 'latin1');
    expect(() => withId3Genres(garbage, ['Rock'], V23)).toThrow(/holds no valid frame id/);
    const v22 = Buffer.from(withCover);
    v22[3] = 2;
    expect(() => withId3Genres(v22, ['Rock'], V23)).toThrow(/it is ID3v2\.2/);
  });
});

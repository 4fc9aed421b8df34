import fs from 'node:fs';
import path from 'node:path';
import { parseBuffer } from 'music-metadata';
import { beforeAll, describe, expect, it } from 'vitest';
import { withFlacGenres } from '../src-main/core/tags/flac-genres.ts';
import { audioPayloadHash } from '../src-main/core/tags/audio-payload.ts';
import { SHARED_DATA, ffmpeg, tempDir } from './helpers/fixtures.ts';

/** The metadata blocks of a FLAC file as [type, body hex] (an independent walker for the test). */
function blocksOf(bytes: Uint8Array): Array<[number, string]> {
  const b = Buffer.from(bytes);
  const blocks: Array<[number, string]> = [];
  for (let at = 4, last = false; !last; ) {
    last = (b[at]! & 0x80) !== 0;
    const length = b.readUIntBE(at + 1, 3);
    blocks.push([b[at]! & 0x7f, b.subarray(at + 4, at + 4 + length).toString('hex')]);
    at += 4 + length;
  }
  return blocks;
}
/** The `KEY=value` entries of the comment block. */
function commentsOf(bytes: Uint8Array): string[] {
  const body = Buffer.from(blocksOf(bytes).find(([type]) => type === 4)![1], 'hex');
  let at = 4 + body.readUInt32LE(0);
  const count = body.readUInt32LE(at);
  at += 4;
  return Array.from({ length: count }, () => {
    const length = body.readUInt32LE(at);
    at += 4 + length;
    return body.subarray(at - length, at).toString('utf8');
  });
}
const withoutBlock = (bytes: Buffer, type: number) => {
  const blocks = blocksOf(bytes).filter(([t]) => t !== type);
  let end = 4;
  for (let last = false; !last; ) {
    last = (bytes[end]! & 0x80) !== 0;
    end += 4 + bytes.readUIntBE(end + 1, 3);
  }
  const headers = blocks.map(([t, hex], i) => {
    const body = Buffer.from(hex, 'hex');
    const header = Buffer.of(t | (i === blocks.length - 1 ? 0x80 : 0), 0, 0, 0);
    header.writeUIntBE(body.length, 1, 3);
    return Buffer.concat([header, body]);
  });
  return Buffer.concat([bytes.subarray(0, 4), ...headers, bytes.subarray(end)]);
};

describe('writing genres into FLAC files', () => {
  const dir = tempDir();
  let original: Buffer;
  beforeAll(async () => {
    await ffmpeg(['-f', 'lavfi', '-i', 'color=c=blue:s=32x32', '-frames:v', '1', path.join(dir, 'cover.png')]);
    await ffmpeg(['-i', path.join(SHARED_DATA, 'songs', 'samba.mp3'), '-i', path.join(dir, 'cover.png'), '-t', '5', '-map', '0:a', '-map', '1', '-c:a', 'flac', '-c:v', 'copy', '-disposition:v', 'attached_pic',
      '-metadata', 'ARTIST=Ana', '-metadata', 'GENRE=Samba', '-metadata', 'REPLAYGAIN_TRACK_GAIN=-7.1 dB', '-metadata', 'MUSICBRAINZ_ALBUMID=0b6a5a2e-2f0e-4a5e-9c53-3c1f1b7d1a11', '-metadata', 'TITLE=Samba', path.join(dir, 'original.flac')]);
    original = fs.readFileSync(path.join(dir, 'original.flac'));
  }, 30_000);

  it('replaces the genre entries in place, keeps every other entry and block, and lets the padding absorb the change', async () => {
    const written = withFlacGenres(original, ['Latin', 'Samba']);
    const [before, after] = [commentsOf(original), commentsOf(written)];
    const at = before.findIndex((c) => c.toUpperCase().startsWith('GENRE='));
    expect(after).toEqual([...before.slice(0, at), 'GENRE=Latin', 'GENRE=Samba', ...before.slice(at + 1)]);
    const others = (bytes: Uint8Array) => blocksOf(bytes).filter(([type]) => type !== 4 && type !== 1);
    expect(others(written)).toEqual(others(original));
    expect(blocksOf(written).map(([type]) => type)).toEqual(blocksOf(original).map(([type]) => type));
    expect(written.length).toBe(original.length);
    expect(audioPayloadHash(written)).toBe(audioPayloadHash(original));
    const read = await parseBuffer(written, { mimeType: 'audio/flac' });
    expect(read.common.genre).toEqual(['Latin', 'Samba']);
    expect(read.common.picture![0]!.data).toEqual((await parseBuffer(original, { mimeType: 'audio/flac' })).common.picture![0]!.data);
  });

  it('grows the metadata when the padding is too small, and writes a comment block where there was none', async () => {
    const grown = withFlacGenres(original, ['x'.repeat(20_000)]);
    expect(grown.length).toBeGreaterThan(original.length);
    expect(audioPayloadHash(grown)).toBe(audioPayloadHash(original));
    expect((await parseBuffer(grown, { mimeType: 'audio/flac' })).common.genre).toEqual(['x'.repeat(20_000)]);
    const bare = withoutBlock(withoutBlock(original, 4), 1);
    const written = withFlacGenres(bare, ['Samba']);
    expect(blocksOf(written).map(([type]) => type)).toEqual([0, 4, ...blocksOf(bare).slice(1).map(([type]) => type)]);
    expect(commentsOf(written)).toEqual(['GENRE=Samba']);
    expect(audioPayloadHash(written)).toBe(audioPayloadHash(original));
  });

  it('removes every genre entry for an empty list, and names a damaged file', () => {
    expect(commentsOf(withFlacGenres(original, [])).some((c) => /^genre=/i.test(c))).toBe(false);
    expect(() => withFlacGenres(original.subarray(0, 60), ['Rock'])).toThrow(/metadata block runs past the end/);
    expect(() => withFlacGenres(Buffer.from('RIFF....'), ['Rock'])).toThrow(/not a FLAC file/);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sniffAudio, sniffFile } from '../src-main/core/scan/sniff.ts';
import { SHARED_DATA, makeTone, tempDir, type Format } from './helpers/fixtures.ts';

const expected: Array<[Format, string]> = [
  ['mp3', 'mp3'], ['flac', 'flac'], ['ogg', 'ogg-vorbis'], ['opus', 'ogg-opus'], ['m4a', 'mp4'], ['wav', 'wav'], ['aiff', 'aiff'],
];

describe('sniffFile recognises audio by content', () => {
  const dir = tempDir();
  beforeAll(async () => {
    await Promise.all(expected.map(([format]) => makeTone(path.join(dir, `tone.${format}`), format, { seconds: 1, tags: { genre: 'Test' } })));
  });

  it.each(expected)('%s → %s', async (format, container) => {
    expect(await sniffFile(path.join(dir, `tone.${format}`))).toEqual({ audio: true, container });
  });

  it('ignores a misleading extension: FLAC content named .mp3 is FLAC', async () => {
    const file = path.join(dir, 'really-flac.mp3');
    fs.copyFileSync(path.join(dir, 'tone.flac'), file);
    expect(await sniffFile(file)).toEqual({ audio: true, container: 'flac' });
  });

  it('finds MP3 frames without an ID3 tag', async () => {
    const file = await makeTone(path.join(dir, 'bare.mp3'), 'mp3', { seconds: 1 });
    const bytes = fs.readFileSync(file);
    const id3Size = 10 + ((bytes[6]! << 21) | (bytes[7]! << 14) | (bytes[8]! << 7) | bytes[9]!);
    expect(sniffAudio(bytes.subarray(id3Size, id3Size + 65536))).toEqual({ audio: true, container: 'mp3' });
  });

  it('recognises the real recordings in shared data', async () => {
    expect(await sniffFile(path.join(SHARED_DATA, 'songs', 'dub.mp3'))).toEqual({ audio: true, container: 'mp3' });
    expect(await sniffFile(path.join(SHARED_DATA, 'recordings', 'pibble.hq.ogg'))).toEqual({ audio: true, container: 'ogg-vorbis' });
    expect(await sniffFile(path.join(SHARED_DATA, 'gtzan', 'clips', 'classical.00001.first15s.flac'))).toEqual({ audio: true, container: 'flac' });
  });

  it('says why something is not audio', () => {
    expect(sniffAudio(Buffer.alloc(0))).toEqual({ audio: false, code: 'empty-file', reason: 'empty file (0 bytes)' });
    expect(sniffAudio(Buffer.from('hello, this is a text file\n'.repeat(20)))).toMatchObject({ audio: false, code: 'not-audio', reason: 'not audio: the file contains text' });
    expect(sniffAudio(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]))).toMatchObject({ audio: false, reason: expect.stringContaining('89 50 4e 47') });
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { audioPayloadHash } from '../src-main/core/tags/audio-payload.ts';
import { SHARED_DATA, ffmpeg, tempDir } from './helpers/fixtures.ts';

const SOURCE = path.join(SHARED_DATA, 'songs', 'funk.mp3');
const ENCODE: Record<string, string[]> = {
  mp3: ['-c:a', 'libmp3lame', '-b:a', '128k', '-id3v2_version', '4'],
  flac: ['-c:a', 'flac'],
  ogg: ['-c:a', 'libvorbis'],
  opus: ['-c:a', 'libopus'],
  m4a: ['-c:a', 'aac'],
  wav: ['-c:a', 'pcm_s16le'],
  aiff: ['-c:a', 'pcm_s16be', '-write_id3v2', '1'],
};
const tags = (values: Record<string, string>) => Object.entries(values).flatMap(([key, value]) => ['-metadata', `${key}=${value}`, '-metadata:s:a:0', `${key}=${value}`]);

describe('the audio payload hash', () => {
  const dir = tempDir();
  const file = (name: string) => path.join(dir, name);
  beforeAll(async () => {
    for (const [ext, codec] of Object.entries(ENCODE)) {
      await ffmpeg(['-i', SOURCE, '-t', '6', ...codec, ...tags({ artist: 'A', genre: 'Funk' }), file(`a.${ext}`)]);
      // The same audio, re-muxed with other, much larger tags (and, for MP3, another ID3v2 version and an ID3v1 tag).
      const extra = ext === 'mp3' ? ['-id3v2_version', '3', '-write_id3v1', '1'] : ext === 'aiff' ? ['-write_id3v2', '1'] : [];
      await ffmpeg(['-i', file(`a.${ext}`), '-c', 'copy', ...extra, ...tags({ artist: 'x'.repeat(5000), genre: 'Rock', comment: 'another tag' }), file(`b.${ext}`)]);
    }
  }, 60_000);

  for (const ext of Object.keys(ENCODE)) {
    it(`${ext}: ignores the tags and sees one changed audio byte`, () => {
      const [a, b] = [fs.readFileSync(file(`a.${ext}`)), fs.readFileSync(file(`b.${ext}`))];
      expect(b.length).toBeGreaterThan(a.length);
      expect(audioPayloadHash(b)).toBe(audioPayloadHash(a));
      const damaged = Buffer.from(a);
      damaged[Math.floor(a.length * 0.6)]! ^= 1;
      expect(audioPayloadHash(damaged)).not.toBe(audioPayloadHash(a));
    });
  }

  it('names what it cannot read', () => {
    expect(() => audioPayloadHash(Buffer.from('just some text, not audio at all'))).toThrow(/not audio/);
    const flac = fs.readFileSync(file('a.flac'));
    expect(() => audioPayloadHash(flac.subarray(0, 100))).toThrow(/FLAC metadata blocks run past the end/);
  });
});

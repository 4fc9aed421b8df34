import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseBuffer } from 'music-metadata';
import { beforeAll, describe, expect, it } from 'vitest';
import { withOggGenres } from '../src-main/core/tags/ogg-genres.ts';
import { audioPayloadHash } from '../src-main/core/tags/audio-payload.ts';
import { resolveFfmpegPath } from '../src-main/core/decode/ffmpeg-path.ts';
import { SHARED_DATA, ffmpeg, tempDir } from './helpers/fixtures.ts';

/** The pages of an Ogg file: offset, sequence number, stored and recomputed CRC (bit by bit, independent of the writer's table). */
function pagesOf(bytes: Buffer): Array<{ start: number; end: number; sequence: number; crcOk: boolean }> {
  const pages = [];
  for (let at = 0; at < bytes.length; ) {
    const segments = bytes[at + 26]!;
    let end = at + 27 + segments;
    for (let i = 0; i < segments; i++) end += bytes[at + 27 + i]!;
    const page = Buffer.from(bytes.subarray(at, end));
    const stored = page.readUInt32LE(22);
    page.writeUInt32LE(0, 22);
    let crc = 0;
    for (const byte of page) {
      crc ^= byte << 24;
      for (let k = 0; k < 8; k++) crc = crc & 0x80000000 ? ((crc << 1) ^ 0x04c11db7) >>> 0 : (crc << 1) >>> 0;
    }
    pages.push({ start: at, end, sequence: bytes.readUInt32LE(at + 18), crcOk: crc >>> 0 === stored });
    at = end;
  }
  return pages;
}
const decodesCleanly = (file: string) => execFileSync(resolveFfmpegPath(), ['-v', 'error', '-i', file, '-f', 'null', '-'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe.each([
  ['ogg', ['-c:a', 'libvorbis'], 'audio/ogg'],
  ['opus', ['-c:a', 'libopus'], 'audio/opus'],
])('writing genres into %s files', (ext, codec, mimeType) => {
  const dir = tempDir();
  let original: Buffer;
  beforeAll(async () => {
    const tags = { ARTIST: 'Ana', GENRE: 'Samba', REPLAYGAIN_TRACK_GAIN: '-7.1 dB', MUSICBRAINZ_ALBUMID: '0b6a5a2e-2f0e-4a5e-9c53-3c1f1b7d1a11', TITLE: 'Samba' };
    await ffmpeg(['-i', path.join(SHARED_DATA, 'songs', 'samba.mp3'), '-t', '5', ...codec, ...Object.entries(tags).flatMap(([k, v]) => ['-metadata:s:a:0', `${k}=${v}`]), path.join(dir, `original.${ext}`)]);
    original = fs.readFileSync(path.join(dir, `original.${ext}`));
  }, 30_000);

  it('rewrites only the comment header: the other pages keep their bytes', async () => {
    const written = Buffer.from(withOggGenres(original, ['Latin', 'Samba']));
    const [before, after] = [pagesOf(original), pagesOf(written)];
    expect(after.length).toBe(before.length);
    expect(after.every((p) => p.crcOk)).toBe(true);
    const headerPages = before.findIndex((p, i) => i > 0 && original.readBigUInt64LE(p.start + 6) > 0n && original.readBigUInt64LE(p.start + 6) !== 0xffffffffffffffffn);
    const audio = (bytes: Buffer, pages: typeof before) => bytes.subarray(pages[headerPages]!.start);
    expect(audio(written, after).equals(audio(original, before))).toBe(true);
    expect(written.subarray(0, before[0]!.end).equals(original.subarray(0, before[0]!.end))).toBe(true);
    const [was, now] = [await parseBuffer(original, { mimeType }), await parseBuffer(written, { mimeType })];
    expect(now.common.genre).toEqual(['Latin', 'Samba']);
    const others = (native: typeof was.native) => Object.values(native).flat().filter((t) => t.id.toUpperCase() !== 'GENRE');
    expect(others(now.native)).toEqual(others(was.native));
  });

  it('renumbers and re-checksums the audio pages when the header takes more pages, leaving the audio the same', async () => {
    const huge = Array.from({ length: 40 }, (_, i) => `${'genre'.repeat(400)} ${i}`);
    const written = Buffer.from(withOggGenres(original, huge));
    const [before, after] = [pagesOf(original), pagesOf(written)];
    expect(after.length).toBeGreaterThan(before.length);
    expect(after.map((p) => p.sequence)).toEqual(after.map((_, i) => i));
    expect(after.every((p) => p.crcOk)).toBe(true);
    expect(audioPayloadHash(written)).toBe(audioPayloadHash(original));
    expect((await parseBuffer(written, { mimeType })).common.genre).toEqual(huge);
    const file = path.join(dir, `huge.${ext}`);
    fs.writeFileSync(file, written);
    expect(decodesCleanly(file)).toBe('');
  });
});

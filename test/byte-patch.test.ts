/**
 * The journal's reverse patch on a real WAV file (five seconds of a GTZAN
 * clip, made by ffmpeg) whose tag chunk sits after the audio: the RIFF size
 * at bytes 4–8 changes with the tag (and maybe an INFO list before the
 * audio), and the patch keeps that leading region apart so that it holds the
 * tags, not the audio between them; applied to the new bytes it gives the
 * old ones back exactly, and so does a patch as older versions stored it (one
 * region, no head).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyReversePatch, reversePatch, type BytePatch } from '../src-main/core/tags/byte-patch.ts';
import { ffmpeg, tempDir } from './helpers/fixtures.ts';
import { gtzanClip } from './helpers/service.ts';

/** A chunk: id, little-endian size, body and a pad byte when the body is odd. */
function chunk(id: string, body: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.write(id, 0, 'latin1');
  header.writeUInt32LE(body.length, 4);
  return Buffer.concat([header, body, Buffer.alloc(body.length & 1)]);
}

/** A WAV file of these chunks, its RIFF size set to fit. */
function riff(...chunks: Buffer[]): Buffer {
  const bytes = Buffer.concat([Buffer.from('RIFF\0\0\0\0WAVE', 'latin1'), ...chunks]);
  bytes.writeUInt32LE(bytes.length - 8, 4);
  return bytes;
}

/** An INFO list holding a genre. */
const infoList = (genre: string) => chunk('LIST', Buffer.from(`INFOIGNR${String.fromCharCode(genre.length + 1)}\0\0\0${genre}\0${genre.length % 2 === 0 ? '\0' : ''}`, 'latin1'));

/** The patch as versions before the separate head stored it: the old bytes from the first differing byte to the last. */
function oneRegionPatch(before: Buffer, after: Buffer): BytePatch {
  let prefix = 0;
  while (before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < Math.min(before.length, after.length) - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  return { oldHead: null, newHeadLength: 0, prefixLength: prefix, oldMiddle: before.subarray(prefix, before.length - suffix), newMiddleLength: after.length - suffix - prefix };
}

/** Checks that `reversePatch(before, after)` keeps fewer than `most` bytes and gives `before` back, and the same the other way (an undo's own patch). */
function expectSmallExactPatches(before: Buffer, after: Buffer, most: number): void {
  for (const [from, to] of [[before, after], [after, before]] as const) {
    const patch = reversePatch(from, to);
    expect((patch.oldHead?.length ?? 0) + patch.oldMiddle.length).toBeLessThan(most);
    expect(applyReversePatch(to, patch).equals(from)).toBe(true);
  }
}

describe('reverse patches', () => {
  let fmt: Buffer;
  let data: Buffer;

  beforeAll(async () => {
    const file = path.join(tempDir(), 'clip.wav');
    await ffmpeg(['-i', gtzanClip('blues.00000'), '-t', '5', '-c:a', 'pcm_s16le', '-fflags', '+bitexact', '-flags:a', '+bitexact', file]);
    const wav = fs.readFileSync(file);
    expect([wav.toString('latin1', 12, 16), wav.toString('latin1', 36, 40)]).toEqual(['fmt ', 'data']);
    [fmt, data] = [wav.subarray(12, 36), wav.subarray(36)];
  }, 60_000);

  it('keeps the old RIFF header apart from a tag after the audio, so the patch is the size of the tag', () => {
    const before = riff(fmt, data, chunk('id3 ', Buffer.from('an old tag, after the audio')));
    const after = riff(fmt, data, chunk('id3 ', Buffer.from('a new and rather longer tag, after the audio')));
    expect(before.subarray(4, 8)).not.toEqual(after.subarray(4, 8));
    const patch = reversePatch(before, after);
    // The head ends with the size's last differing byte; the middle starts in the tag chunk.
    expect(patch.oldHead).toEqual(before.subarray(0, patch.newHeadLength));
    expect(patch.newHeadLength).toBeGreaterThan(4);
    expect(patch.newHeadLength).toBeLessThanOrEqual(8);
    expect(patch.prefixLength).toBeGreaterThanOrEqual(12 + fmt.length + data.length);
    expect(patch.oldMiddle.length).toBeLessThan(64);
    expectSmallExactPatches(before, after, 64);
  });

  it('keeps two regions, one each side of the audio, when a tag before it changes size as well', () => {
    const before = riff(fmt, infoList('Rock'), data, chunk('id3 ', Buffer.from('an old tag, after the audio')));
    const after = riff(fmt, infoList('Blues; Soul'), data, chunk('id3 ', Buffer.from('a new and rather longer tag, after the audio')));
    expectSmallExactPatches(before, after, 128);
  });

  it('keeps one region, with no head, for a change at the start or the end alone, or none', () => {
    const tagged = riff(fmt, infoList('Rock'), data);
    const retagged = riff(fmt, infoList('Blues; Soul'), data);
    const patch = reversePatch(tagged, retagged);
    expect(patch).toMatchObject({ oldHead: null, newHeadLength: 0, prefixLength: 4 });
    expect(applyReversePatch(retagged, patch).equals(tagged)).toBe(true);
    const none = reversePatch(tagged, tagged);
    expect(none).toMatchObject({ oldHead: null, newHeadLength: 0, prefixLength: tagged.length, newMiddleLength: 0 });
    expect(none.oldMiddle.length).toBe(0);
    expect(applyReversePatch(tagged, none).equals(tagged)).toBe(true);
  });

  it('gives the old bytes back exactly even when the audio between the tags is silence, or missing', () => {
    const silence = chunk('data', Buffer.alloc(100_000));
    const quiet = riff(fmt, infoList('Rock'), silence, infoList('Jazz'));
    const retagged = riff(fmt, infoList('Blues'), silence, infoList('Soul'));
    expect(applyReversePatch(retagged, reversePatch(quiet, retagged)).equals(quiet)).toBe(true);
    const short = Buffer.from('RIFF', 'latin1');
    const longer = Buffer.from('RIFFWAVE', 'latin1');
    expect(applyReversePatch(longer, reversePatch(short, longer)).equals(short)).toBe(true);
    const random = crypto.randomBytes(50_000);
    const other = crypto.randomBytes(60_000);
    expect(applyReversePatch(other, reversePatch(random, other)).equals(random)).toBe(true);
  });

  it('applies a patch as older versions stored it (one region from the header to the tag, no head)', () => {
    const before = riff(fmt, data, chunk('id3 ', Buffer.from('an old tag, after the audio')));
    const after = riff(fmt, data, chunk('id3 ', Buffer.from('a new and rather longer tag, after the audio')));
    const old = oneRegionPatch(before, after);
    expect(old.oldMiddle.length).toBeGreaterThan(data.length);
    expect(applyReversePatch(after, old).equals(before)).toBe(true);
  });
});

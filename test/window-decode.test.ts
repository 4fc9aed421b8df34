import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DECODE_SAMPLE_RATE, decodeAtRates, decodeAudio } from '../src-main/core/decode/decoder.ts';
import { decodeTrackWindows } from '../src-main/core/analysis/decode-windows.ts';
import { analyseTrack } from '../src-main/core/analysis/analyse-track.ts';
import { analyseMusicnn } from '../src-main/core/musicnn/analyse-musicnn.ts';
import { loadMusicnnForAnalysis, type MusicnnModels } from '../src-main/core/musicnn/load-models.ts';
import { planWindows } from '../src-main/core/features/track-windows.ts';
import { readTags } from '../src-main/core/tags/read-tags.ts';
import { execFileSync } from 'node:child_process';
import { resolveFfmpegPath } from '../src-main/core/decode/ffmpeg-path.ts';
import { SHARED_DATA, ffmpeg, tempDir } from './helpers/fixtures.ts';

const SONGS = path.join(SHARED_DATA, 'songs');
const song = (name: string) => path.join(SONGS, name);
const dir = tempDir();

/** A FLAC (exact seeking) or MP3 of the given songs one after another. */
async function concatenated(name: string, songs: string[], codec: string[]): Promise<string> {
  const file = path.join(dir, name);
  const inputs = songs.flatMap((s) => ['-i', song(s)]);
  await ffmpeg([...inputs, '-filter_complex', `${songs.map((_, i) => `[${i}:a:0]`).join('')}concat=n=${songs.length}:v=0:a=1[a]`, '-map', '[a]', ...codec, file]);
  return file;
}

const same = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((value, i) => value === b[i]);

/** The processes whose command line names `file`, after giving a stopped one a moment to go. */
async function processesOn(file: string): Promise<string[]> {
  await new Promise((resolve) => setTimeout(resolve, 300));
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes(file) && !line.startsWith('ps '));
}

describe('decodeAtRates', () => {
  it('gives, from one decode, the samples decodeAudio gives at each rate, whole and for a window', async () => {
    for (const options of [{}, { startSec: 7.25, durationSec: 12 }]) {
      const [at22050, at16000] = await decodeAtRates(song('bolero.mp3'), [22050, 16000], options);
      expect(same(at22050!, await decodeAudio(song('bolero.mp3'), options))).toBe(true);
      expect(same(at16000!, await decodeAudio(song('bolero.mp3'), { ...options, sampleRate: 16000 }))).toBe(true);
    }
  });

  it('refuses a branch at the wrong rate and leaves no ffmpeg behind, the other branch still flowing', async () => {
    const copy = path.join(dir, 'mismatch-source.mp3');
    fs.copyFileSync(song('bolero.mp3'), copy);
    const fake = path.join(dir, 'ffmpeg-16k-at-44k');
    fs.writeFileSync(fake, `#!/bin/sh\nfor a do shift; set -- "$@" "$(printf '%s' "$a" | sed 's/osr=16000/osr=44100/')"; done\nexec '${resolveFfmpegPath()}' "$@"\n`, { mode: 0o755 });
    await expect(decodeAtRates(copy, [22050, 16000], { ffmpegPath: fake })).rejects.toMatchObject({ code: 'decode-mismatch', message: expect.stringMatching(/at 44100 Hz where 32-bit float at 16000 Hz was asked for/) });
    expect(await processesOn(copy)).toEqual([]);
  });

  it('stops ffmpeg when the decode is cancelled', async () => {
    const copy = path.join(dir, 'cancelled-source.mp3');
    fs.copyFileSync(song('bolero.mp3'), copy);
    const stop = new AbortController();
    const decoding = decodeAtRates(copy, [22050, 16000], { signal: stop.signal });
    setTimeout(() => stop.abort(new Error('stopped by the test')), 20);
    await expect(decoding).rejects.toThrow('stopped by the test');
    expect(await processesOn(copy)).toEqual([]);
  });

  it('fails as decodeAudio does: not audio, and no ffmpeg', async () => {
    const text = path.join(dir, 'notes.mp3');
    fs.writeFileSync(text, 'not audio at all\n'.repeat(100));
    await expect(decodeAtRates(text, [22050, 16000])).rejects.toMatchObject({ code: 'undecodable' });
    await expect(decodeAtRates(song('bolero.mp3'), [22050, 16000], { ffmpegPath: '/nonexistent/ffmpeg' })).rejects.toMatchObject({ code: 'ffmpeg-missing' });
  });
});

describe('the analysis decode', () => {
  let long: string;
  let medium: string;
  let models: MusicnnModels;
  beforeAll(async () => {
    long = await concatenated('long.mp3', ['afrobeat.mp3', 'ambient.mp3', 'bolero.mp3', 'bop.mp3'], ['-c:a', 'libmp3lame', '-b:a', '128k']);
    medium = await concatenated('medium.flac', ['bossa_nova.mp3', 'bop.mp3'], ['-c:a', 'flac']);
    models = await loadMusicnnForAnalysis({});
  }, 120_000);
  afterAll(() => models?.dispose());

  it('decodes only the windows of a track longer than 90 s, each with a seek, at both rates', async () => {
    const declared = (await readTags(long)).durationSec!;
    expect(declared).toBeGreaterThan(100);
    const track = await decodeTrackWindows(long, declared, { secondRate: 16000 });
    const planned = planWindows(Math.round(declared * DECODE_SAMPLE_RATE));
    expect(track.windows.map((w) => w.start)).toEqual(planned.map((w) => w.start));
    for (const window of track.windows) {
      const seek = { startSec: window.start / DECODE_SAMPLE_RATE, durationSec: 30 };
      // 30 s, but for the last window's end, which the MP3 header places after the encoder's padding.
      expect(window.samples.length).toBeGreaterThan(29.9 * DECODE_SAMPLE_RATE);
      expect(window.samples.length).toBeLessThanOrEqual(30 * DECODE_SAMPLE_RATE);
      expect(same(window.samples, await decodeAudio(long, seek))).toBe(true);
      expect(same(window.atSecondRate!, await decodeAudio(long, { ...seek, sampleRate: 16000 }))).toBe(true);
    }
  });

  it('decodes a track its windows cover whole in one pass and cuts the windows from it', async () => {
    const declared = (await readTags(medium)).durationSec!;
    const track = await decodeTrackWindows(medium, declared, { secondRate: 16000 });
    const whole = await decodeAudio(medium);
    expect(track.durationSec).toBe(whole.length / DECODE_SAMPLE_RATE);
    expect(track.windows.map((w) => w.start)).toEqual(planWindows(whole.length).map((w) => w.start));
    for (const window of track.windows) expect(same(window.samples, whole.subarray(window.start, window.start + window.samples.length))).toBe(true);
  });

  it('decodes a track whose header says less than it holds, or nothing, window by window on its real length', async () => {
    const real = (await decodeAudio(long)).length / DECODE_SAMPLE_RATE;
    const windowed = await decodeTrackWindows(long, real, { secondRate: 16000 });
    for (const declared of [60, null]) {
      const track = await decodeTrackWindows(long, declared, { secondRate: 16000 });
      expect(track.durationSec).toBe(real);
      expect(track.windows.map((w) => w.start)).toEqual(windowed.windows.map((w) => w.start));
      track.windows.forEach((window, i) => expect(same(window.atSecondRate!, windowed.windows[i]!.atSecondRate!)).toBe(true));
    }
  });

  it('gives a first scan the MusiCNN analysis a MusiCNN-only refresh computes on the same windows', async () => {
    for (const file of [long, medium]) {
      const declaredDurationSec = (await readTags(file)).durationSec;
      const first = await analyseTrack({ path: file, declaredDurationSec, parts: 'all' }, new AbortController().signal, async () => models);
      const windows = Array.from(first.descriptors!.windows.starts, (start, i) => ({ start, length: first.descriptors!.windows.lengths[i]! }));
      const refresh = await analyseMusicnn(file, windows, { models: async () => models });
      expect(first.musicnn.ok && same(first.musicnn.analysis.embeddings, refresh.embeddings)).toBe(true);
      expect(first.descriptors!.frames.values).toHaveLength(0);
      expect(first.timings.decodeMs).toBeGreaterThan(0);
      expect(first.timings.musicnnMs).toBeGreaterThan(first.timings.decodeMs / 100);
    }
  }, 120_000);
});

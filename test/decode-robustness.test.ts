import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { DECODE_SAMPLE_RATE, decodeAudio } from '../src-main/core/decode/decoder.ts';
import { resolveFfmpegPath } from '../src-main/core/decode/ffmpeg-path.ts';
import { analyseFile } from '../src-main/core/analysis/analyse-file.ts';
import { measureDuration } from '../src-main/core/tags/read-tags.ts';
import { openDatabase } from '../src-main/core/db/open-database.ts';
import { scanLibrary } from '../src-main/core/scan/scan-library.ts';
import { SHARED_DATA, ffmpeg, runCli, tempDir, type CliResult } from './helpers/fixtures.ts';

const BUNDLED_FFMPEG = resolveFfmpegPath();
const SYSTEM_FFMPEG = '/usr/bin/ffmpeg';
const HAS_SYSTEM_FFMPEG = fs.existsSync(SYSTEM_FFMPEG);
const SONG = path.join(SHARED_DATA, 'songs', 'bop.mp3');

/** The first line of `ffmpeg -version`, to name the builds under test. */
function ffmpegVersion(binary: string): string {
  return execFileSync(binary, ['-version'], { encoding: 'utf8' }).split('\n')[0]!.replace(/ Copyright.*/, '');
}

const FFMPEGS = [
  { label: `the bundled ffmpeg (${ffmpegVersion(BUNDLED_FFMPEG)})`, binary: BUNDLED_FFMPEG, skip: false },
  { label: HAS_SYSTEM_FFMPEG ? `the system ffmpeg (${ffmpegVersion(SYSTEM_FFMPEG)})` : `the system ffmpeg (skipped: ${SYSTEM_FFMPEG} is not installed)`, binary: SYSTEM_FFMPEG, skip: !HAS_SYSTEM_FFMPEG },
];

const SECONDS = 3;
const source = (frequency: number) => ['-f', 'lavfi', '-i', `sine=frequency=${frequency}:sample_rate=44100:duration=${SECONDS}`];

/**
 * A file whose channel c is a sine of `frequencies[c]` (16-bit, so every
 * channel equals a mono file made from the same generator), and those mono
 * files, one per channel.
 */
async function multichannelFile(dir: string, name: string, frequencies: number[]): Promise<{ file: string; channels: string[] }> {
  const file = path.join(dir, name);
  const inputs = frequencies.flatMap(source);
  const merge = `${frequencies.map((_, c) => `[${c}]`).join('')}amerge=inputs=${frequencies.length}`;
  await ffmpeg([...inputs, '-filter_complex', merge, ...(name.endsWith('.flac') ? ['-c:a', 'flac'] : ['-c:a', 'pcm_s16le']), file]);
  const channels = await Promise.all(frequencies.map(async (frequency, c) => {
    const mono = path.join(dir, `${path.parse(name).name}-channel-${c}.wav`);
    await ffmpeg([...source(frequency), '-c:a', 'pcm_s16le', mono]);
    return mono;
  }));
  return { file, channels };
}

/** The sample-by-sample mean of equally long signals. */
function mean(signals: Float32Array[]): Float64Array {
  const sum = new Float64Array(signals[0]!.length);
  for (const signal of signals) signal.forEach((x, i) => (sum[i]! += x));
  return sum.map((x) => x / signals.length);
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** Lengths a decode of SECONDS seconds may have: 22050 per second, give or take soxr's last few samples. */
function expectDecodedSeconds(samples: Float32Array, seconds: number): void {
  expect(Math.abs(samples.length - seconds * DECODE_SAMPLE_RATE)).toBeLessThanOrEqual(32);
}

describe('decoding more than one channel to their mean', () => {
  const dir = tempDir();
  let stereo: Awaited<ReturnType<typeof multichannelFile>>;
  let three: Awaited<ReturnType<typeof multichannelFile>>;
  let six: Awaited<ReturnType<typeof multichannelFile>>;
  beforeAll(async () => {
    [stereo, three, six] = await Promise.all([
      multichannelFile(dir, 'stereo.wav', [440, 1000]),
      multichannelFile(dir, 'three.wav', [220, 550, 1300]),
      multichannelFile(dir, 'six.flac', [200, 310, 470, 660, 890, 1200]),
    ]);
  });

  describe.each(FFMPEGS)('with $label', ({ binary, skip }) => {
    it.skipIf(skip).each([
      ['a stereo WAV with different left and right', () => stereo],
      ['a 3-channel WAV', () => three],
      ['a 6-channel FLAC', () => six],
    ])('decodes %s to the mean of its channels, at its real length', async (_, fixture) => {
      const { file, channels } = fixture();
      const decoded = await decodeAudio(file, { ffmpegPath: binary });
      expectDecodedSeconds(decoded, SECONDS);
      const expected = mean(await Promise.all(channels.map((channel) => decodeAudio(channel, { ffmpegPath: binary }))));
      // The mean, not ffmpeg's own downmixes: (L+R)/√2 or a 5.1 matrix would be off by ~0.03 on these 1/8-amplitude sines.
      expect(maxDifference(decoded, expected)).toBeLessThan(1e-5);
    });

    it.skipIf(skip)('decodes a real 44.1 kHz stereo MP3 to mono at 22050 Hz, at the length its frames hold', async () => {
      const decoded = await decodeAudio(SONG, { ffmpegPath: binary });
      // The encoder's delay and padding are trimmed, so a little less than the frames' total.
      expect(Math.abs(decoded.length / DECODE_SAMPLE_RATE - (await measureDuration(SONG))!)).toBeLessThan(0.1);
    });
  });

  it.skipIf(!HAS_SYSTEM_FFMPEG)('agrees between the bundled and the system ffmpeg', async () => {
    for (const file of [stereo.file, six.file, SONG]) {
      const [bundled, system] = await Promise.all([decodeAudio(file, { ffmpegPath: BUNDLED_FFMPEG }), decodeAudio(file, { ffmpegPath: SYSTEM_FFMPEG })]);
      expect(maxDifference(bundled, system), file).toBeLessThan(1e-5);
    }
  });

  it('refuses what an ffmpeg returns at another rate, instead of reading it as 22050 Hz', async () => {
    // An ffmpeg that drops a step of the filter chain, as ffmpeg 5.1 drops aresample's `ocl`: here the resampling.
    const fake = path.join(dir, 'ffmpeg-without-resampling');
    fs.writeFileSync(fake, `#!/bin/sh\nfor a do shift; set -- "$@" "$(printf '%s' "$a" | sed 's/,aresample=[^,]*//')"; done\nexec '${BUNDLED_FFMPEG}' "$@"\n`, { mode: 0o755 });
    await expect(decodeAudio(stereo.file, { ffmpegPath: fake })).rejects.toMatchObject({ code: 'decode-mismatch', message: expect.stringMatching(/returned 2-channel 32-bit audio at 44100 Hz where 32-bit float at 22050 Hz was asked for/) });
  });
});

const CLAIMED_SECONDS = 10 * 3600;

/** Sets a FLAC's STREAMINFO total-samples field (36 bits) to `samples`. */
function claimFlacSamples(bytes: Buffer, samples: number): Buffer {
  expect(bytes.toString('latin1', 0, 4)).toBe('fLaC');
  expect(bytes[4]! & 0x7f).toBe(0); // the first metadata block is STREAMINFO
  // 'fLaC', the 4-byte block header, then min/max block size (2+2) and min/max frame size (3+3): byte 18.
  // From there: sample rate (20 bits), channels − 1 (3), bits per sample − 1 (5), total samples (36): the low 4 bits of byte 21 and bytes 22–25.
  const patched = Buffer.from(bytes);
  patched[21] = (patched[21]! & 0xf0) | Math.floor(samples / 2 ** 32);
  patched.writeUInt32BE(samples % 2 ** 32, 22);
  return patched;
}

/** Sets the frame count of an MP3's Xing/Info header (the 4 bytes after the tag and its flags, when the flags say it is there). */
function claimMp3Frames(bytes: Buffer, frames: number): Buffer {
  const at = Math.max(bytes.indexOf('Xing', 0, 'latin1'), bytes.indexOf('Info', 0, 'latin1'));
  expect(at).toBeGreaterThan(0);
  expect(bytes.readUInt32BE(at + 4) & 1).toBe(1);
  const patched = Buffer.from(bytes);
  patched.writeUInt32BE(frames, at + 8);
  return patched;
}

describe('headers that claim far more audio than the file holds', () => {
  const root = tempDir();
  const realSeconds = 29;
  beforeAll(async () => {
    const flac = path.join(root, 'claims-10h.flac');
    const mp3 = path.join(root, 'claims-10h.mp3');
    await ffmpeg(['-i', SONG, '-t', String(realSeconds), '-c:a', 'flac', flac]);
    await ffmpeg(['-i', SONG, '-t', String(realSeconds), '-c:a', 'libmp3lame', '-b:a', '128k', mp3]);
    fs.writeFileSync(flac, claimFlacSamples(fs.readFileSync(flac), CLAIMED_SECONDS * 44100));
    fs.writeFileSync(mp3, claimMp3Frames(fs.readFileSync(mp3), Math.round((CLAIMED_SECONDS * 44100) / 1152)));
  });

  it('records a FLAC or MP3 claiming 10 hours over 29 s of audio as truncated with its real length, not too short at 0 s', async () => {
    const db = openDatabase(path.join(tempDir(), 'library.db'));
    try {
      const summary = await scanLibrary({ root, db, workers: 2 });
      expect(summary).toMatchObject({ found: 2, failed: 2 });
      const failures = db.prepare('SELECT path, code, message FROM failures ORDER BY path').all() as Array<{ path: string; code: string; message: string }>;
      expect(failures.map((f) => path.basename(f.path))).toEqual(['claims-10h.flac', 'claims-10h.mp3']);
      for (const failure of failures) {
        expect(failure.code, failure.message).toBe('truncated');
        const [, decoded, declared] = failure.message.match(/^truncated file: only (\d+\.\d) s of the (\d+\.\d) s its header declares could be decoded$/)!;
        expect(Math.abs(Number(decoded) - realSeconds)).toBeLessThan(0.2);
        expect(Number(declared)).toBeCloseTo(CLAIMED_SECONDS, 0);
      }
    } finally {
      db.close();
    }
  });

  it('analyses the audio that decodes when the declared length was an overestimate the file itself does not confirm', async () => {
    // A declared length no header backs (like a VBR MP3's estimate): the windows fall back to the decoded length.
    const analysis = await analyseFile({ path: SONG, declaredDurationSec: CLAIMED_SECONDS });
    expect(analysis.durationSec).toBeCloseTo(29.75, 1);
    expect(analysis.sampleCount).toBe(Math.round(analysis.durationSec * DECODE_SAMPLE_RATE));
    expect(Array.from(analysis.windows.starts)).toEqual([0]);
  });
});

const HANG_LIMIT_MS = 20_000;

/**
 * Runs the CLI on a FIFO; if it is still running after HANG_LIMIT_MS it is
 * stuck opening the FIFO, so the test writes an empty stream into it to let
 * the CLI go, and reports the hang.
 */
async function runCliOnFifo(args: string[], fifo: string): Promise<CliResult | 'hung'> {
  const run = runCli(args);
  const outcome = await Promise.race([run, delay(HANG_LIMIT_MS).then(() => 'hung' as const)]);
  if (outcome === 'hung') {
    fs.writeFileSync(fifo, '');
    await run;
  }
  return outcome;
}

describe('a named pipe given to predict or features', () => {
  const fifo = path.join(tempDir(), 'pipe.mp3');
  beforeAll(() => execFileSync('mkfifo', [fifo]));

  it.each(['predict', 'features'])('%s refuses it with a clear message and exit code 2, without hanging', async (command) => {
    const result = await runCliOnFifo([command, fifo], fifo);
    expect(result, 'the command hung waiting for a writer on the FIFO').not.toBe('hung');
    const { code, stderr } = result as CliResult;
    expect(code).toBe(2);
    expect(stderr).toBe(`sonority: ${fifo}: not a regular file but a named pipe (FIFO); give an audio file\n`);
  }, HANG_LIMIT_MS + 15_000);
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DECODE_SAMPLE_RATE, decodeAudio, decodeBlocks } from '../src-main/core/decode/decoder.ts';
import { createLevelMeter } from '../src-main/core/analysis/level.ts';
import { SHARED_DATA, makeTone, tempDir } from './helpers/fixtures.ts';

/** Reference decode of a 16-bit PCM WAV, independent of ffmpeg: walk the RIFF chunks, scale by 1/32768. */
function readPcm16Wav(file: string): { sampleRate: number; channels: number; samples: Float32Array } {
  const bytes = fs.readFileSync(file);
  let offset = 12;
  let sampleRate = 0;
  let channels = 0;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('latin1', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'fmt ') {
      channels = bytes.readUInt16LE(offset + 10);
      sampleRate = bytes.readUInt32LE(offset + 12);
      expect(bytes.readUInt16LE(offset + 22)).toBe(16);
    }
    if (id === 'data') {
      const count = size / 2;
      const samples = new Float32Array(count);
      for (let i = 0; i < count; i++) samples[i] = bytes.readInt16LE(offset + 8 + 2 * i) / 32768;
      return { sampleRate, channels, samples };
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error(`no data chunk in ${file}`);
}

const clipsDir = path.join(SHARED_DATA, 'gtzan', 'clips');
const parityClips = fs.readdirSync(clipsDir).filter((name) => /^\w+\.00000\.wav$/.test(name));

describe('decodeAudio', () => {
  it('finds the eight GTZAN parity clips', () => expect(parityClips).toHaveLength(8));

  it.each(parityClips)('decodes %s to exactly the reference samples', async (name) => {
    const file = path.join(clipsDir, name);
    const reference = readPcm16Wav(file);
    expect(reference).toMatchObject({ sampleRate: DECODE_SAMPLE_RATE, channels: 1 });
    const decoded = await decodeAudio(file);
    expect(decoded.length).toBe(reference.samples.length);
    let maxDifference = 0;
    for (let i = 0; i < decoded.length; i++) maxDifference = Math.max(maxDifference, Math.abs(decoded[i]! - reference.samples[i]!));
    expect(maxDifference).toBe(0);
  });

  it('decodes a window that equals the same slice of the whole decode', async () => {
    const file = path.join(clipsDir, 'jazz.00000.wav');
    const whole = await decodeAudio(file);
    const window = await decodeAudio(file, { startSec: 3, durationSec: 3 });
    expect(window.length).toBe(3 * DECODE_SAMPLE_RATE);
    expect(Array.from(window)).toEqual(Array.from(whole.subarray(3 * DECODE_SAMPLE_RATE, 6 * DECODE_SAMPLE_RATE)));
  });

  it('mixes channels down to their mean, as librosa does', async () => {
    const dir = tempDir();
    const stereo = path.join(dir, 'left-only.wav');
    const { ffmpeg } = await import('./helpers/fixtures.ts');
    await ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=441:sample_rate=22050:duration=1', '-f', 'lavfi', '-i', 'anullsrc=r=22050:cl=mono', '-filter_complex', '[0][1]amerge=inputs=2', '-t', '1', '-c:a', 'pcm_s16le', stereo]);
    const mono = await decodeAudio(stereo);
    const left = readPcm16Wav(stereo).samples.filter((_, i) => i % 2 === 0);
    expect(mono.length).toBe(left.length);
    for (let i = 0; i < mono.length; i += 97) expect(mono[i]).toBeCloseTo(left[i]! / 2, 6);
  });

  it('resamples 44.1 kHz stereo to 22050 Hz mono keeping length and level', async () => {
    const file = await makeTone(path.join(tempDir(), 'tone.wav'), 'wav', { seconds: 4, frequency: 440, sampleRate: 44100, channels: 2 });
    const reference = readPcm16Wav(file);
    const left = reference.samples.filter((_, i) => i % 2 === 0);
    const referenceRms = Math.sqrt(left.reduce((sum, x) => sum + x * x, 0) / left.length);
    const samples = await decodeAudio(file);
    expect(samples.length).toBe(4 * DECODE_SAMPLE_RATE);
    const middle = samples.subarray(DECODE_SAMPLE_RATE, 3 * DECODE_SAMPLE_RATE);
    const rms = Math.sqrt(middle.reduce((sum, x) => sum + x * x, 0) / middle.length);
    expect(Math.abs(rms / referenceRms - 1)).toBeLessThan(1e-3);
  });

  it('rejects a file that is not audio with a specific message', async () => {
    const file = path.join(tempDir(), 'notes.mp3');
    fs.writeFileSync(file, 'these are my notes, not music\n'.repeat(50));
    await expect(decodeAudio(file)).rejects.toMatchObject({ code: 'undecodable', message: expect.stringMatching(/cannot decode/) });
  });

  it('reports a missing ffmpeg as such', async () => {
    await expect(decodeAudio(path.join(clipsDir, 'jazz.00000.wav'), { ffmpegPath: '/nonexistent/ffmpeg' })).rejects.toMatchObject({ code: 'ffmpeg-missing' });
  });
});

describe('decodeBlocks', () => {
  it('streams fixed-size blocks that join up to the whole decode', async () => {
    const file = path.join(clipsDir, 'blues.00000.wav');
    const whole = await decodeAudio(file);
    const blocks: Float32Array[] = [];
    for await (const block of decodeBlocks(file, 100_000)) blocks.push(block);
    expect(blocks.slice(0, -1).every((b) => b.length === 100_000)).toBe(true);
    expect(blocks.reduce((n, b) => n + b.length, 0)).toBe(whole.length);
    expect(Array.from(blocks[3]!.subarray(0, 50))).toEqual(Array.from(whole.subarray(300_000, 300_050)));
  });
});

describe('createLevelMeter', () => {
  it('measures known signals exactly, across blocks', () => {
    const meter = createLevelMeter();
    meter.add(new Float32Array([0.5, -0.5, 0.5]));
    meter.add(new Float32Array([-0.5]));
    expect(meter.result()).toEqual({ rms: 0.5, peak: 0.5 });
    const silence = createLevelMeter();
    silence.add(new Float32Array(1000));
    expect(silence.result()).toEqual({ rms: 0, peak: 0 });
    expect(createLevelMeter().result()).toEqual({ rms: 0, peak: 0 });
  });
});

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DECODE_SAMPLE_RATE, decodeAudio, ffmpegArguments } from '../src-main/core/decode/decoder.ts';
import { cutFrame, musicnnFrameCount } from '../src-main/core/musicnn/frames.ts';
import { MUSICNN_BANDS, MUSICNN_SAMPLE_RATE } from '../src-main/core/musicnn/input-definition.ts';
import { musicnnMelBank, slaneyBandEdges } from '../src-main/core/musicnn/mel-bank.ts';
import { musicnnMel } from '../src-main/core/musicnn/mel-input.ts';
import { packPatches, patchStarts } from '../src-main/core/musicnn/patches.ts';
import { symmetricHannWindow } from '../src-main/core/musicnn/window.ts';
import { SHARED_DATA, ffmpeg, makeTone, tempDir } from './helpers/fixtures.ts';

describe('decoding at 16 kHz', () => {
  it('asks ffmpeg for soxr at the rate given, 22050 Hz by default', () => {
    expect(ffmpegArguments('a.mp3').join(' ')).toContain(`aresample=osr=${DECODE_SAMPLE_RATE}:resampler=soxr:precision=28`);
    expect(ffmpegArguments('a.mp3', { sampleRate: 16000 }).join(' ')).toContain('aresample=osr=16000:resampler=soxr:precision=28');
    expect(() => ffmpegArguments('a.mp3', { sampleRate: 16000.5 })).toThrow(RangeError);
  });

  it('resamples a 22050 Hz GTZAN clip to 480,213 samples (the reference count)', async () => {
    const samples = await decodeAudio(path.join(SHARED_DATA, 'gtzan', 'clips', 'blues.00000.wav'), { sampleRate: MUSICNN_SAMPLE_RATE });
    expect(samples.length).toBe(480_213);
  });

  it('takes the mean of the channels at 16 kHz too, keeping the level', async () => {
    const dir = tempDir();
    const leftOnly = path.join(dir, 'left-only.wav');
    await ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=441:sample_rate=44100:duration=2', '-f', 'lavfi', '-i', 'anullsrc=r=44100:cl=mono', '-filter_complex', '[0][1]amerge=inputs=2', '-t', '2', '-c:a', 'pcm_s16le', leftOnly]);
    const both = await makeTone(path.join(dir, 'both.wav'), 'wav', { seconds: 2, frequency: 441, sampleRate: 44100, channels: 2 });
    const half = await decodeAudio(leftOnly, { sampleRate: MUSICNN_SAMPLE_RATE });
    const full = await decodeAudio(both, { sampleRate: MUSICNN_SAMPLE_RATE });
    expect(half.length).toBe(2 * MUSICNN_SAMPLE_RATE);
    expect(full.length).toBe(2 * MUSICNN_SAMPLE_RATE);
    const rms = (y: Float32Array, rate: number) => Math.sqrt(y.subarray(rate / 2, (3 * rate) / 2).reduce((sum, x) => sum + x * x, 0) / rate);
    const at22050 = await decodeAudio(both);
    expect(rms(full, MUSICNN_SAMPLE_RATE) / rms(at22050, DECODE_SAMPLE_RATE)).toBeCloseTo(1, 3);
    // The left channel is ffmpeg's sine at amplitude 1/8, the right one silent: the mean has half its RMS.
    expect(rms(half, MUSICNN_SAMPLE_RATE) / (0.125 / Math.SQRT2 / 2)).toBeCloseTo(1, 3);
  });
});

describe('MusiCNN frames', () => {
  it('counts frames as Essentia cuts them: ceil(n / 256) + 1', () => {
    expect([0, 1, 255, 256, 257, 512, 480_213, 475_402, 733_588].map(musicnnFrameCount)).toEqual([0, 2, 2, 2, 3, 3, 1877, 1859, 2867]);
  });

  it('centres frame i on sample 256·i with zeros outside the signal', () => {
    const samples = Float64Array.from({ length: 600 }, (_, i) => i + 1);
    const frame = new Float64Array(512);
    cutFrame(samples, 0, frame);
    expect(frame.subarray(0, 256).every((x) => x === 0)).toBe(true);
    expect(frame[256]).toBe(1);
    cutFrame(samples, 2, frame);
    expect(frame[0]).toBe(257);
    expect(frame[343]).toBe(600);
    expect(frame.subarray(344).every((x) => x === 0)).toBe(true);
  });

  it('uses the symmetric Hann window, zero at both ends', () => {
    const window = symmetricHannWindow(512);
    expect(window[0]).toBe(0);
    expect(window[511]).toBeCloseTo(0, 15);
    for (let i = 0; i < 256; i++) expect(window[i]).toBeCloseTo(window[511 - i]!, 12);
  });
});

describe('MusiCNN mel bands', () => {
  it('spaces 98 edges from 0 to 8 kHz on the Slaney scale', () => {
    const edges = slaneyBandEdges(MUSICNN_BANDS, 0, 8000);
    expect(edges).toHaveLength(98);
    expect(edges[0]).toBe(0);
    expect(edges[97]).toBeCloseTo(8000, 1);
    // Linear below 1 kHz: equal steps of 15 · 8000-mel / 97.
    expect(edges[2]! - edges[1]!).toBeCloseTo(edges[1]!, 3);
  });

  it('has triangles of unit area in Hz (a Riemann sum over the 31.25 Hz bins)', () => {
    const { weights, start, end, bins } = musicnnMelBank();
    // Exact where a triangle spans few bins (the linear part), within 8 % where the bins fall unevenly under it.
    for (let b = 0; b < MUSICNN_BANDS; b++) {
      let sum = 0;
      for (let k = start[b]!; k < end[b]!; k++) sum += weights[b * bins + k]!;
      expect(Math.abs(sum * 31.25 - 1)).toBeLessThan(b <= 30 ? 1e-4 : 0.08);
    }
  });

  it('gives about 0 for digital silence and peaks at the band of a pure tone', () => {
    const silence = musicnnMel(new Float32Array(16000));
    expect(silence.frames).toBe(64);
    expect(silence.bands.every((x) => x === 0)).toBe(true);
    const edges = slaneyBandEdges(MUSICNN_BANDS, 0, 8000);
    const tone = Float32Array.from({ length: 16000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / 16000));
    const mel = musicnnMel(tone);
    const row = mel.bands.subarray(30 * MUSICNN_BANDS, 31 * MUSICNN_BANDS);
    const peak = row.indexOf(Math.max(...row));
    expect(edges[peak]! < 1000 && 1000 < edges[peak + 2]!).toBe(true);
  });
});

describe('MusiCNN patches', () => {
  it('cuts 187-frame patches every 93 frames and drops a partial last one', () => {
    expect(patchStarts(186)).toEqual([]);
    expect(patchStarts(187)).toEqual([0]);
    expect(patchStarts(280)).toEqual([0, 93]);
    const starts = patchStarts(1859);
    expect(starts).toHaveLength(18);
    expect(starts.at(-1)).toBe(1581);
  });

  it('packs patches as consecutive rows of the mel input', () => {
    const bands = Float32Array.from({ length: 300 * MUSICNN_BANDS }, (_, i) => i);
    const batch = packPatches(bands, [0, 93]);
    expect(batch.length).toBe(2 * 187 * MUSICNN_BANDS);
    expect(batch[187 * MUSICNN_BANDS]).toBe(93 * MUSICNN_BANDS);
    expect(batch.at(-1)).toBe((93 + 187) * MUSICNN_BANDS - 1);
  });
});

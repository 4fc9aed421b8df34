/**
 * The ONNX tagger's shared front-end (the timbral branches run once over a
 * mel input, each patch's first and last 3 rows redone from its own edge
 * frames, then the back-end per patch) gives the whole ONNX model's outputs
 * patch by patch, on real audio. On x86-64 the two agree bit for bit (the
 * convolutions sum each output in the same order whatever the input length);
 * the 1e-5 allowed is about ten float32 steps at the embedding's largest
 * values (up to about 9), room for a CPU whose kernels block the sums by
 * shape, and 500 times below the 0.005 the model keeps to Essentia.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertMusicnn } from '../scripts/tfjs-to-onnx.ts';
import { decodeAudio } from '../src-main/core/decode/decoder.ts';
import { MUSICNN_SAMPLE_RATE } from '../src-main/core/musicnn/input-definition.ts';
import { musicnnMel, type MusicnnMel } from '../src-main/core/musicnn/mel-input.ts';
import { packPatches, patchStarts } from '../src-main/core/musicnn/patches.ts';
import { loadOnnxTagger, type MusicnnTagger } from '../src-main/core/musicnn/tagger-runtime.ts';
import { musicnnPartFiles } from '../src-main/core/onnx/musicnn-files.ts';
import { loadMusicnnOnnx, type MusicnnOnnx } from '../src-main/core/onnx/musicnn-onnx.ts';
import { SHARED_DATA } from './helpers/fixtures.ts';
import { MUSICNN_MODEL_DIR } from './helpers/musicnn-patches.ts';

const TOLERANCE = 1e-5;
const SONGS = ['bop', 'heavy_metal', 'techno'];

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe('the ONNX tagger with a shared front-end', () => {
  let dir: string;
  let onnxFile: string;
  let whole: MusicnnOnnx;
  let tagger: MusicnnTagger;
  const mels = new Map<string, MusicnnMel>();

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sonority-onnx-split-'));
    onnxFile = path.join(dir, 'msd-musicnn-1.onnx');
    convertMusicnn(MUSICNN_MODEL_DIR, onnxFile);
    whole = await loadMusicnnOnnx(onnxFile, 1);
    tagger = await loadOnnxTagger(onnxFile);
    for (const song of SONGS) mels.set(song, musicnnMel(await decodeAudio(path.join(SHARED_DATA, 'songs', `${song}.mp3`), { sampleRate: MUSICNN_SAMPLE_RATE })));
  });

  afterAll(async () => {
    await Promise.all([whole?.release(), tagger?.dispose()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes the front-end and back-end beside the whole model, deterministically', () => {
    const again = path.join(dir, 'again.onnx');
    convertMusicnn(MUSICNN_MODEL_DIR, again);
    for (const part of ['frontEnd', 'backEnd'] as const) {
      expect(fs.readFileSync(musicnnPartFiles(again)[part]).equals(fs.readFileSync(musicnnPartFiles(onnxFile)[part]))).toBe(true);
    }
  });

  it.each(SONGS)('%s: every patch of the input as the whole model gives it', async (song) => {
    const mel = mels.get(song)!;
    const starts = patchStarts(mel.frames);
    expect(starts.length).toBeGreaterThan(10);
    const expected = await whole.run(packPatches(mel.bands, starts), starts.length);
    const shared = await tagger.predict(mel.bands, starts, 8);
    expect(maxAbsDiff(shared.tags, expected.tags)).toBeLessThanOrEqual(TOLERANCE);
    expect(maxAbsDiff(shared.embedding, expected.embedding)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('gives patches in any order and overlap, and runs patches alone, as the whole model does', async () => {
    const mel = mels.get('heavy_metal')!;
    const starts = [700, 5, 701, mel.frames - 187, 350];
    const expected = await whole.run(packPatches(mel.bands, starts), starts.length);
    for (const out of [await tagger.predict(mel.bands, starts, 2), await tagger.run(packPatches(mel.bands, starts), starts.length)]) {
      expect(maxAbsDiff(out.tags, expected.tags)).toBeLessThanOrEqual(TOLERANCE);
      expect(maxAbsDiff(out.embedding, expected.embedding)).toBeLessThanOrEqual(TOLERANCE);
    }
    expect(await tagger.predict(mel.bands, [], 8)).toEqual({ tags: new Float32Array(0), embedding: new Float32Array(0) });
    await expect(tagger.predict(mel.bands, [mel.frames - 186], 8)).rejects.toThrow('outside');
  });
});

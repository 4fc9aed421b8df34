/**
 * MusiCNN's cost in this thread (`npm run bench:musicnn`): ms per patch of the
 * tagger (on TensorFlow.js's wasm backend, one thread, and its cpu backend)
 * and its four heads at batch sizes 1, 8 and 32, and the mel front end's ms per second
 * of audio against decoding the same files to 16 kHz. Patches are real: the
 * mel input of a 30-second song. `--json` prints one object.
 */
import fs from 'node:fs';
import path from 'node:path';
import { decodeAudio } from '../src-main/core/decode/decoder.ts';
import { loadTensorFlow } from '../src-main/core/model/tf-runtime.ts';
import { MUSICNN_SAMPLE_RATE } from '../src-main/core/musicnn/input-definition.ts';
import { loadMusicnnModels } from '../src-main/core/musicnn/load-models.ts';
import { musicnnMel, type MusicnnMel } from '../src-main/core/musicnn/mel-input.ts';
import { patchStarts } from '../src-main/core/musicnn/patches.ts';
import { predictPatches } from '../src-main/core/musicnn/predict.ts';

const BATCHES = [1, 8, 32] as const;
const BACKENDS = ['wasm', 'cpu'] as const;
/** Patches timed per batch size (after a warm-up call): at least one call, and at least this many on the fast backend. */
const PATCHES_TIMED: Record<(typeof BACKENDS)[number], number> = { wasm: 64, cpu: 1 };

export interface MusicnnSpeed {
  /** ms per patch (tagger + four heads), by backend and batch size. */
  msPerPatch: Record<string, Record<number, number>>;
  frontEnd: { files: number; audioSec: number; decodeMsPerAudioSec: number; melMsPerAudioSec: number; melOverDecode: number };
}

/** Times the models on at least `count` patches of `mel` in calls of `batch` patches (at least one call); returns ms per patch. */
async function timePatches(models: Awaited<ReturnType<typeof loadMusicnnModels>>, mel: MusicnnMel, batch: number, count: number): Promise<number> {
  const available = patchStarts(mel.frames);
  const calls = Math.max(1, Math.ceil(count / batch));
  const starts = Array.from({ length: batch }, (_, i) => available[i % available.length]!);
  const started = performance.now();
  for (let call = 0; call < calls; call++) await predictPatches(models, mel, { starts, batchSize: batch });
  return (performance.now() - started) / (calls * batch);
}

/** Decodes `files` to 16 kHz and computes their mel input, timing each step. */
async function measureFrontEnd(files: readonly string[]): Promise<MusicnnSpeed['frontEnd']> {
  let decodeMs = 0;
  let melMs = 0;
  let samples = 0;
  for (const file of files) {
    let started = performance.now();
    const audio = await decodeAudio(file, { sampleRate: MUSICNN_SAMPLE_RATE });
    decodeMs += performance.now() - started;
    started = performance.now();
    musicnnMel(audio);
    melMs += performance.now() - started;
    samples += audio.length;
  }
  const audioSec = samples / MUSICNN_SAMPLE_RATE;
  return { files: files.length, audioSec, decodeMsPerAudioSec: decodeMs / audioSec, melMsPerAudioSec: melMs / audioSec, melOverDecode: melMs / decodeMs };
}

/** Runs the whole measurement: both backends, three batch sizes, then the front end. */
export async function measureMusicnnSpeed(patchSource: string, frontEndFiles: readonly string[], log: (line: string) => void = () => {}): Promise<MusicnnSpeed> {
  const { tf } = await loadTensorFlow({ SONORITY_TF_BACKEND: 'wasm' });
  const mel = musicnnMel(await decodeAudio(patchSource, { sampleRate: MUSICNN_SAMPLE_RATE }));
  const msPerPatch: MusicnnSpeed['msPerPatch'] = {};
  for (const backend of BACKENDS) {
    if (!(await tf.setBackend(backend))) throw new Error(`the TensorFlow.js ${backend} backend did not start`);
    const models = await loadMusicnnModels(tf);
    // One warm-up call per backend (kernels, buffers); a cpu patch costs seconds, so not one per batch size.
    await predictPatches(models, mel, { starts: [0], batchSize: 1 });
    msPerPatch[backend] = {};
    for (const batch of BATCHES) {
      msPerPatch[backend][batch] = await timePatches(models, mel, batch, PATCHES_TIMED[backend]);
      log(`${backend} batch ${batch}: ${msPerPatch[backend][batch]!.toFixed(1)} ms per patch`);
    }
    models.dispose();
  }
  return { msPerPatch, frontEnd: await measureFrontEnd(frontEndFiles) };
}

/** The report, one line per figure. */
export function formatMusicnnSpeed(speed: MusicnnSpeed): string {
  const lines = Object.entries(speed.msPerPatch).map(([backend, byBatch]) => `MusiCNN + 4 heads, TensorFlow.js ${backend}${backend === 'wasm' ? ' (1 thread)' : ''}: ${BATCHES.map((b) => `batch ${b} ${byBatch[b]!.toFixed(1)}`).join(', ')} ms per patch`);
  const f = speed.frontEnd;
  lines.push(`front end on ${f.files} files (${f.audioSec.toFixed(0)} s of audio): decode to 16 kHz ${f.decodeMsPerAudioSec.toFixed(2)} ms per second of audio, mel input ${f.melMsPerAudioSec.toFixed(2)} ms per second of audio (${f.melOverDecode.toFixed(2)}× the decode)`);
  return lines.join('\n');
}

if (import.meta.main) {
  const data = path.resolve(import.meta.dirname, '..', '..', 'shared', 'data');
  const clips = fs.readdirSync(path.join(data, 'gtzan', 'clips')).filter((f) => f.endsWith('.00000.wav')).map((f) => path.join(data, 'gtzan', 'clips', f));
  const songs = fs.readdirSync(path.join(data, 'songs')).filter((f) => f.endsWith('.mp3')).sort().map((f) => path.join(data, 'songs', f));
  const json = process.argv.includes('--json');
  const speed = await measureMusicnnSpeed(path.join(data, 'songs', 'techno.mp3'), [...clips, ...songs], json ? undefined : (line) => console.error(line));
  console.log(json ? JSON.stringify(speed) : formatMusicnnSpeed(speed));
}

/**
 * The MusiCNN stage's cost in this thread, beside the descriptor stage's on
 * the same tracks: per track and per patch, for each runtime available here
 * (TensorFlow.js on the backend `loadTensorFlow` gives — native when
 * tfjs-node is installed, else wasm with one thread — and onnxruntime-node
 * with one thread when its model has been converted). The stage is the
 * analysis worker's own (`analyseMusicnn`: decoding the windows at 16 kHz,
 * the mel input, the tagger and the four heads); the tagger's share is timed
 * apart. Part of `npm run bench`; on its own (`npm run bench:musicnn-stage`)
 * it uses six of the shared songs. `--json` prints one object.
 */
import fs from 'node:fs';
import path from 'node:path';
import { decodeAudio } from '../src-main/core/decode/decoder.ts';
import { planWindows, type SampleRange } from '../src-main/core/features/track-windows.ts';
import { loadTensorFlow } from '../src-main/core/model/tf-runtime.ts';
import { analyseMusicnn } from '../src-main/core/musicnn/analyse-musicnn.ts';
import { loadMusicnnModelsWith } from '../src-main/core/musicnn/load-models.ts';
import { musicnnOnnxAvailable, loadOnnxTagger, loadTfjsTagger, type MusicnnTagger } from '../src-main/core/musicnn/tagger-runtime.ts';
import { measureDescriptorSpeed, type DescriptorSpeed } from './descriptor-speed.ts';

/** One runtime's cost of the MusiCNN stage. */
export interface MusicnnStageSpeed {
  runtime: string;
  tracks: number;
  patchesPerTrack: number;
  /** The whole stage per track. */
  msPerTrack: number;
  /** The whole stage per patch. */
  msPerPatch: number;
  /** The tagger alone per patch. */
  taggerMsPerPatch: number;
}

/** `tagger` with the time of each call (`run` or `predict`) added to `clock.ms`. */
function timed(tagger: MusicnnTagger, clock: { ms: number }): MusicnnTagger {
  const time = async <T>(work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const outputs = await work();
    clock.ms += performance.now() - started;
    return outputs;
  };
  return {
    ...tagger,
    run: (patches, count) => time(() => tagger.run(patches, count)),
    predict: (bands, starts, batchSize) => time(() => tagger.predict(bands, starts, batchSize)),
  };
}

/** Runs the stage on each file's windows with `tagger` (after one unmeasured track), timing the whole and the tagger. */
async function measureStage(tagger: MusicnnTagger, tracks: { file: string; windows: SampleRange[] }[]): Promise<MusicnnStageSpeed> {
  const clock = { ms: 0 };
  const models = await loadMusicnnModelsWith(async () => timed(tagger, clock));
  const stage = (track: (typeof tracks)[number]) => analyseMusicnn(track.file, track.windows, { models: async () => models });
  await stage(tracks[0]!);
  clock.ms = 0;
  let patches = 0;
  const started = performance.now();
  for (const track of tracks) patches += (await stage(track)).patchStarts.length;
  const ms = performance.now() - started;
  await models.dispose();
  return { runtime: tagger.describe, tracks: tracks.length, patchesPerTrack: patches / tracks.length, msPerTrack: ms / tracks.length, msPerPatch: ms / patches, taggerMsPerPatch: clock.ms / patches };
}

/** Measures the stage on `files` (their analysis windows) for every runtime available here. */
export async function measureMusicnnStages(files: readonly string[]): Promise<MusicnnStageSpeed[]> {
  const tracks: { file: string; windows: SampleRange[] }[] = [];
  for (const file of files) tracks.push({ file, windows: planWindows((await decodeAudio(file)).length) });
  const { tf } = await loadTensorFlow();
  const taggers = [() => loadTfjsTagger(tf), ...(musicnnOnnxAvailable() ? [() => loadOnnxTagger()] : [])];
  const speeds: MusicnnStageSpeed[] = [];
  for (const load of taggers) speeds.push(await measureStage(await load(), tracks));
  return speeds;
}

/** The descriptor stage and each MusiCNN runtime side by side, per track and per patch. */
export function formatStageSpeeds(descriptors: DescriptorSpeed, musicnn: readonly MusicnnStageSpeed[]): string {
  const row = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(72) : cell.padStart(17))).join('');
  const lines = [row(['stage, one thread', 'ms per track', 'ms per patch', 'tagger ms/patch'])];
  lines.push(row([`descriptors (decode 22050 Hz ${descriptors.decodeMsPerTrack.toFixed(0)} ms + 57 descriptors)`, (descriptors.decodeMsPerTrack + descriptors.descriptorMsPerTrack).toFixed(0), '', '']));
  for (const speed of musicnn) lines.push(row([`MusiCNN, ${speed.runtime} (${speed.patchesPerTrack.toFixed(1)} patches)`, speed.msPerTrack.toFixed(0), speed.msPerPatch.toFixed(1), speed.taggerMsPerPatch.toFixed(1)]));
  return lines.join('\n');
}

if (import.meta.main) {
  const songs = path.resolve(import.meta.dirname, '..', '..', 'shared', 'data', 'songs');
  const all = fs.readdirSync(songs).filter((name) => name.endsWith('.mp3')).sort();
  const files = all.filter((_, i) => i % Math.floor(all.length / 6) === 0).slice(0, 6).map((name) => path.join(songs, name));
  const descriptors = await measureDescriptorSpeed(files);
  const musicnn = await measureMusicnnStages(files);
  console.log(process.argv.includes('--json') ? JSON.stringify({ files: files.map((file) => path.basename(file)), descriptors, musicnn }) : `${files.map((file) => path.basename(file)).join(', ')}\n${formatStageSpeeds(descriptors, musicnn)}`);
}

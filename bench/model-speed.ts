/**
 * Cost of genre inference against the cost of analysis, in this thread: for
 * each file, decode + descriptors (as the analysis stage does) and the model
 * on its windows, one track per call and in batches of 64 tracks (as the
 * classify stage calls it). Part of `npm run bench`; on its own
 * (`npm run bench:model`) it uses the eight GTZAN parity clips and the 24 songs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { analyseFile, descriptorRows } from '../src-main/core/analysis/analyse-file.ts';
import { describeRuntime, loadTensorFlow } from '../src-main/core/model/tf-runtime.ts';
import { loadGenreModel, type TrackDescriptors } from '../src-main/core/model/genre-model.ts';

export interface ModelSpeed {
  backend: string;
  modelId: string;
  tracks: number;
  windowsPerTrack: number;
  analysisMsPerTrack: number;
  inferenceMsPerTrack: number;
  batchedInferenceMsPerTrack: number;
  /** Inference (batched, as the classify stage runs it) over analysis + inference. */
  inferenceShare: number;
}

function timeMs(work: () => void, repeats: number): number {
  work();
  const started = performance.now();
  for (let i = 0; i < repeats; i++) work();
  return (performance.now() - started) / repeats;
}

/** Analyses `files` one by one, then times the shipped model on their descriptors. */
export async function measureModelSpeed(files: readonly string[]): Promise<ModelSpeed> {
  const tracks: TrackDescriptors[] = [];
  const started = performance.now();
  for (const file of files) {
    const analysis = await analyseFile({ path: file });
    tracks.push({ windows: descriptorRows(analysis.windows), frames: descriptorRows(analysis.frames) });
  }
  const analysisMsPerTrack = (performance.now() - started) / files.length;
  const runtime = await loadTensorFlow();
  const model = await loadGenreModel(runtime);
  const single = timeMs(() => tracks.forEach((track) => model.predictTracks([track])), 20) / tracks.length;
  const batch = Array.from({ length: 64 }, (_, i) => tracks[i % tracks.length]!);
  const batched = timeMs(() => model.predictTracks(batch), 20) / batch.length;
  model.dispose();
  return {
    backend: describeRuntime(runtime), modelId: model.metadata.id, tracks: files.length,
    windowsPerTrack: tracks.reduce((a, t) => a + t.windows.length, 0) / tracks.length,
    analysisMsPerTrack, inferenceMsPerTrack: single, batchedInferenceMsPerTrack: batched, inferenceShare: batched / (analysisMsPerTrack + batched),
  };
}

/** One line per figure, for the bench report. */
export function formatModelSpeed(s: ModelSpeed): string {
  return `genre inference (${s.backend}, ${s.modelId}), ${s.tracks} tracks of ${s.windowsPerTrack.toFixed(1)} windows: ${s.inferenceMsPerTrack.toFixed(2)} ms per track alone, ${s.batchedInferenceMsPerTrack.toFixed(3)} ms per track in batches of 64; analysis ${s.analysisMsPerTrack.toFixed(0)} ms per track; inference share of analysis + inference ${(100 * s.inferenceShare).toFixed(3)}%`;
}

if (import.meta.main) {
  const data = path.resolve(import.meta.dirname, '..', '..', 'shared', 'data');
  const clips = fs.readdirSync(path.join(data, 'gtzan', 'clips')).filter((f) => f.endsWith('.00000.wav')).map((f) => path.join(data, 'gtzan', 'clips', f));
  const songs = fs.readdirSync(path.join(data, 'songs')).filter((f) => f.endsWith('.mp3')).map((f) => path.join(data, 'songs', f));
  const speed = await measureModelSpeed([...clips, ...songs]);
  console.log(process.argv.includes('--json') ? JSON.stringify(speed) : formatModelSpeed(speed));
}

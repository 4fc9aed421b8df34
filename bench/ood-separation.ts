/**
 * How well the out-of-distribution flag separates non-music (three LibriSpeech
 * readings, a robin, a humpback whale) from music (the other recordings of
 * ../shared/data/recordings and the 24 genre songs of ../shared/data/songs),
 * with the shipped model: each file is analysed as the scan analyses it.
 *
 *   node bench/ood-separation.ts          table
 *   node bench/ood-separation.ts --json   one JSON object
 *
 * Reports each file's score and flag, the share flagged per group, and the
 * AUROC of the score (the chance that a non-music file scores above a music one).
 */
import fs from 'node:fs';
import path from 'node:path';
import { analyseFile, descriptorRows } from '../src-main/core/analysis/analyse-file.ts';
import { loadTensorFlow, describeRuntime } from '../src-main/core/model/tf-runtime.ts';
import { loadGenreModel } from '../src-main/core/model/genre-model.ts';
import { auroc } from '../src-main/core/model/metrics.ts';

const DATA = path.resolve(import.meta.dirname, '..', '..', 'shared', 'data');
/** The recordings that are not music, by file-name prefix. */
export const NON_MUSIC = ['198-209-0000', '3436-172162-0000', '5703-47212-0000', '456440__inspectorj__bird-whistling-robin', 'glacier-bay-humpback'];

/** The files of the check with their group. */
export function oodFiles(): { file: string; music: boolean }[] {
  const recordings = fs.readdirSync(path.join(DATA, 'recordings')).filter((f) => f.endsWith('.ogg')).map((f) => ({ file: path.join(DATA, 'recordings', f), music: !NON_MUSIC.some((p) => f.startsWith(p)) }));
  const songs = fs.readdirSync(path.join(DATA, 'songs')).filter((f) => f.endsWith('.mp3')).map((f) => ({ file: path.join(DATA, 'songs', f), music: true }));
  return [...recordings, ...songs].sort((a, b) => a.file.localeCompare(b.file));
}

if (import.meta.main) {
  const runtime = await loadTensorFlow();
  const model = await loadGenreModel(runtime);
  const results: { file: string; music: boolean; score: number; flagged: boolean; confident: boolean; top: string; probability: number }[] = [];
  for (const { file, music } of oodFiles()) {
    const analysis = await analyseFile({ path: file });
    const [p] = model.predictTracks([{ windows: descriptorRows(analysis.windows), frames: descriptorRows(analysis.frames) }]);
    results.push({ file: path.basename(file), music, score: p!.oodScore, flagged: p!.outOfDistribution, confident: p!.confident, top: p!.top[0]!.label, probability: p!.top[0]!.probability });
  }
  const group = (music: boolean) => results.filter((r) => r.music === music);
  const summary = {
    modelId: model.metadata.id, threshold: model.metadata.ood.threshold, backend: describeRuntime(runtime),
    auroc: auroc(results.map((r) => r.score), results.map((r) => !r.music)),
    nonMusicFlagged: `${group(false).filter((r) => r.flagged).length}/${group(false).length}`,
    musicFlagged: `${group(true).filter((r) => r.flagged).length}/${group(true).length}`,
    confidentNonMusic: group(false).filter((r) => r.confident).length,
  };
  if (process.argv.includes('--json')) console.log(JSON.stringify({ ...summary, results }, null, 1));
  else {
    console.log(`${summary.backend}; model ${summary.modelId}; threshold ${summary.threshold.toFixed(3)}`);
    console.log('| file | group | OOD score | flagged | top genre |\n|---|---|---|---|---|');
    for (const r of results) console.log(`| ${r.file.slice(0, 48)} | ${r.music ? 'music' : 'non-music'} | ${r.score.toFixed(2)} | ${r.flagged ? 'yes' : 'no'} | ${r.top} ${(100 * r.probability).toFixed(0)}%${r.confident ? ' (confident)' : ''} |`);
    console.log(`\nAUROC ${summary.auroc.toFixed(3)} · non-music flagged ${summary.nonMusicFlagged} · music flagged ${summary.musicFlagged} · non-music given a confident genre: ${summary.confidentNonMusic}`);
  }
  model.dispose();
}

import { parseArgs } from 'node:util';
import { SonorityError } from '../core/errors.ts';
import { DECODE_SAMPLE_RATE } from '../core/decode/decoder.ts';
import { descriptorRows, type DescriptorMatrix } from '../core/analysis/analyse-file.ts';
import type { TrackPrediction } from '../core/model/genre-model.ts';
import { loadTaxonomy } from '../core/taxonomy/taxonomy-file.ts';
import { displayNameForLabel, genresAgree, type Taxonomy } from '../core/taxonomy/taxonomy.ts';
import { analyseOneFile } from './analyse-one.ts';
import { loadModelForCli } from './model-loading.ts';
import { writeJsonLine, type CliIo } from './io.ts';
import { formatClock, probabilityBar } from './format.ts';
import { gtzanOpinion } from '../core/opinion/experts.ts';
import { gtzanReliabilityOf } from '../core/review/track-opinion.ts';
import { describeMusicnn, describeOpinion, musicnnLines, runMusicnnForCli, type MusicnnView, type OpinionView } from './predict-musicnn.ts';

export const PREDICT_USAGE = 'sonority predict <file> [--json] [--model DIR] [--ffmpeg PATH]';

function verdict(p: TrackPrediction, genre: (label: string) => string, threshold: number): string {
  if (p.outOfDistribution) return `out of distribution (score ${p.oodScore.toFixed(2)} > ${threshold.toFixed(2)}): not music this model knows, so no genre is suggested`;
  const [first, second] = p.top;
  if (p.ambiguous) return `ambiguous between ${genre(first!.label)} and ${genre(second!.label)}`;
  return p.confident ? `${genre(first!.label)} (confident)` : `${genre(first!.label)}, but not confident enough to suggest`;
}

function printPrediction(io: CliIo, result: ReturnType<typeof describe>, text: { verdict: string }, musicnn: MusicnnView, opinion: OpinionView): void {
  io.stdout.write(`${result.file}\n  tags: ${result.tagGenres.length ? result.tagGenres.join(', ') : '(no genre)'}\n  verdict: ${text.verdict}\n\n`);
  for (const g of result.genres) io.stdout.write(`  ${g.genre.padEnd(10)} ${probabilityBar(g.probability, 30)} ${(100 * g.probability).toFixed(1).padStart(5)}%\n`);
  io.stdout.write(`\n  timeline (${result.timeline.length} window${result.timeline.length === 1 ? '' : 's'}):\n`);
  result.timeline.forEach((w, i) => {
    const best = Object.entries(w.probabilities).sort((a, b) => b[1] - a[1]).slice(0, 3);
    const heard = musicnn.windows[i]?.topGenre;
    const musicnnTop = musicnn.abstains || musicnn.error ? '' : `  | MusiCNN: ${heard ? `${heard.genre} ${(100 * heard.probability).toFixed(0)}%` : '—'}`;
    io.stdout.write(`  ${formatClock(w.startSec)}–${formatClock(w.endSec)}  ${best.map(([g, p]) => `${g} ${(100 * p).toFixed(0)}%`).join(' · ')}${musicnnTop}\n`);
  });
  io.stdout.write(`${musicnnLines(musicnn, opinion, (p) => probabilityBar(p, 30)).join('\n')}\n`);
}

function describe(file: string, tagGenres: string[], matrix: DescriptorMatrix, p: TrackPrediction, taxonomy: Taxonomy, labels: string[]) {
  const genre = (label: string) => displayNameForLabel(taxonomy, label);
  return {
    file,
    tagGenres,
    genres: labels.map((label, i) => ({ label, genre: genre(label), probability: p.probabilities[i]! })).sort((a, b) => b.probability - a.probability),
    top: p.top.map((t) => ({ ...t, genre: genre(t.label) })),
    confident: p.confident,
    ambiguous: p.ambiguous,
    outOfDistribution: p.outOfDistribution,
    oodScore: p.oodScore,
    agreesWithTags: tagGenres.length === 0 ? null : genresAgree(taxonomy, tagGenres, p.top[0]!.label),
    timeline: p.windows.map((row, i) => ({
      startSec: matrix.starts[i]! / DECODE_SAMPLE_RATE,
      endSec: (matrix.starts[i]! + matrix.lengths[i]!) / DECODE_SAMPLE_RATE,
      probabilities: Object.fromEntries(labels.map((label, k) => [genre(label), row[k]!])),
    })),
  };
}

/** `sonority predict <file>`: the GTZAN model's and MusiCNN's genres for one file (MusiCNN also moods, eras, voice, instrumentation and its four heads), the combined opinion, and the per-window timeline. */
export async function predictCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, model: { type: 'string' }, ffmpeg: { type: 'string' } } });
  if (positionals.length !== 1) throw new SonorityError('usage', `give exactly one audio file\nusage: ${PREDICT_USAGE}`);
  const taxonomy = loadTaxonomy();
  const { file, analysis, genres } = await analyseOneFile(positionals[0]!, values.ffmpeg);
  const model = await loadModelForCli(io, values.model);
  const [prediction] = model.predictTracks([{ windows: descriptorRows(analysis.windows), frames: descriptorRows(analysis.frames) }]);
  model.dispose();
  const { metadata } = model;
  const result = describe(file, genres, analysis.windows, prediction!, taxonomy, metadata.labels);
  const windows = Array.from(analysis.windows.starts, (start, i) => ({ start, length: analysis.windows.lengths[i]! }));
  const run = await runMusicnnForCli(io, file, windows, values.ffmpeg);
  const musicnn = describeMusicnn(taxonomy, run, result.timeline.map((w) => w.startSec));
  const gtzan = gtzanOpinion(taxonomy, { labels: metadata.labels, probabilities: prediction!.probabilities, outOfDistribution: prediction!.outOfDistribution, oodScore: prediction!.oodScore }, gtzanReliabilityOf(metadata.id, values.model ?? (io.env.SONORITY_MODEL || undefined)));
  const opinion = describeOpinion(taxonomy, gtzan, run);
  if (values.json) writeJsonLine(io, { modelId: metadata.id, featureSet: metadata.featureSet, ...result, musicnn, opinion });
  else printPrediction(io, result, { verdict: verdict(prediction!, (l) => displayNameForLabel(taxonomy, l), metadata.ood.threshold) }, musicnn, opinion);
  return 0;
}

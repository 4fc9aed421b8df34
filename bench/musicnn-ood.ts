/**
 * Does a distance in MusiCNN's embedding space tell non-music from music
 * better than the GTZAN model's descriptor check? (`npm run bench:musicnn-ood`)
 *
 * Evaluated: the files of `bench/ood-separation.ts` (5 non-music, 33 music).
 * Every reference is fitted only on the 70 GTZAN clips of
 * `../shared/data/gtzan/clips` (none of them evaluated), and every threshold
 * is the 0.99 quantile of the reference's own held-out scores, each clip left
 * out of the fit that scores it: nothing is tuned on the evaluated files.
 * Candidates (higher = less like music):
 *
 * - `mahal-s`: Mahalanobis distance of each patch embedding from a Gaussian
 *   fitted to the reference patches, covariance shrunk by `s` towards its mean
 *   variance, ÷ √200; the track's score is the median over its patches.
 * - `knn-k`: Euclidean distance of each patch to its k-th nearest reference
 *   patch; track median.
 * - `1-maxtag`: 1 − the largest of MusiCNN's 50 track-mean tag probabilities.
 * - `entropy`: entropy of the 50 track-mean tags normalised to sum 1, ÷ ln 50.
 *
 * Then a generous upper bound for the embedding: `mahal-0.1` with the
 * evaluated music added to the reference, each music file left out of the
 * fit that scores it (AUROC only: no threshold can be fixed without them).
 *
 * A file without a MusiCNN patch (the 2.7-s robin) has no embedding score:
 * MusiCNN abstains on it anyway. The AUROC leaves such files out.
 *
 *   node bench/musicnn-ood.ts          tables
 *   node bench/musicnn-ood.ts --json   one JSON object
 */
import path from 'node:path';
import { loadGenreModel } from '../src-main/core/model/genre-model.ts';
import { auroc } from '../src-main/core/model/metrics.ts';
import { loadTensorFlow } from '../src-main/core/model/tf-runtime.ts';
import { median } from '../src-main/core/features/stats.ts';
import { upperQuantile } from '../src-main/core/model/ood.ts';
import { embeddingOodScore, fitEmbeddingOod } from './embedding-ood.ts';
import { loadMusicnnForAnalysis, type MusicnnModels } from '../src-main/core/musicnn/load-models.ts';
import { gtzanClips, oodInputs, type OodInputs } from './musicnn-ood-data.ts';
import { oodFiles } from './ood-separation.ts';

/** One candidate score: fitted on the reference clips (`fit`), then scoring a file (null: no score). */
interface Candidate {
  name: string;
  /** Scores of each clip's patches (or the clip) from a fit without that clip, and the scorer fitted on all clips. */
  fit(clips: readonly OodInputs[]): { heldOut: number[]; score: (file: OodInputs) => number | null };
}

const flat = (rows: number[][]) => Float32Array.from(rows.flat());

function mahalanobis(shrinkage: number): Candidate {
  return {
    name: `mahal-${shrinkage}`,
    fit(clips) {
      const reference = fitEmbeddingOod(clips.map((c) => flat(c.embeddings)), shrinkage);
      return { heldOut: reference.heldOut, score: (f) => embeddingOodScore(reference, flat(f.embeddings)) };
    },
  };
}

/** Each row's Euclidean distance to its `k`-th nearest reference row. */
function knnDistances(reference: readonly number[][], rows: readonly number[][], k: number): number[] {
  return rows.map((row) => {
    const distances = reference.map((r) => Math.sqrt(r.reduce((sum, v, j) => sum + (v - row[j]!) ** 2, 0)));
    return distances.sort((a, b) => a - b)[k - 1]!;
  });
}

const trackMedian = (distances: number[]) => (distances.length ? median(distances) : null);

function knn(k: number): Candidate {
  return {
    name: `knn-${k}`,
    fit(clips) {
      const heldOut = clips.flatMap((clip, i) => knnDistances(clips.filter((_, j) => j !== i).flatMap((c) => c.embeddings), clip.embeddings, k));
      const all = clips.flatMap((c) => c.embeddings);
      return { heldOut, score: (f) => trackMedian(knnDistances(all, f.embeddings, k)) };
    },
  };
}

function fromTags(name: string, score: (tags: number[]) => number): Candidate {
  return {
    name,
    fit(clips) {
      return { heldOut: clips.map((c) => score(c.tags)), score: (f) => (f.tags.length ? score(f.tags) : null) };
    },
  };
}

const entropy = (tags: number[]) => {
  const sum = tags.reduce((a, b) => a + b, 0);
  return -tags.reduce((h, t) => h + (t > 0 ? (t / sum) * Math.log(t / sum) : 0), 0) / Math.log(tags.length);
};

const CANDIDATES: Candidate[] = [
  mahalanobis(0.1), mahalanobis(0.3), mahalanobis(0.5),
  knn(1), knn(5),
  fromTags('1-maxtag', (tags) => 1 - Math.max(...tags)),
  fromTags('entropy', entropy),
];

/** AUROC of `mahal-0.1` fitted on the clips and the evaluated music, each music file scored by a fit without it. */
function widerReferenceAuroc(clips: readonly OodInputs[], files: readonly { music: boolean; inputs: OodInputs }[]): number {
  const scored = files.filter((f) => f.inputs.embeddings.length > 0);
  const music = scored.filter((f) => f.music);
  const fitWithout = (left?: (typeof files)[number]) => fitEmbeddingOod([...clips, ...music.filter((m) => m !== left).map((m) => m.inputs)].map((c) => flat(c.embeddings)), 0.1);
  const all = fitWithout();
  const scores = scored.map((f) => embeddingOodScore(f.music ? fitWithout(f) : all, flat(f.inputs.embeddings))!);
  return auroc(scores, scored.map((f) => !f.music));
}

if (import.meta.main) {
  const gtzan = await loadGenreModel(await loadTensorFlow());
  let loading: Promise<MusicnnModels> | undefined;
  const musicnn = () => (loading ??= loadMusicnnForAnalysis());
  const clips: OodInputs[] = [];
  for (const file of gtzanClips()) clips.push(await oodInputs(file, gtzan, musicnn));
  const files: { name: string; music: boolean; inputs: OodInputs }[] = [];
  for (const { file, music } of oodFiles()) files.push({ name: path.basename(file).replace(/\.hq\.ogg$|\.mp3$/, ''), music, inputs: await oodInputs(file, gtzan, musicnn) });
  const columns = CANDIDATES.map((candidate) => {
    const { heldOut, score } = candidate.fit(clips);
    const threshold = upperQuantile(heldOut, 0.99);
    const scores = files.map((f) => score(f.inputs));
    return { name: candidate.name, threshold, scores, flags: scores.map((s) => s !== null && s > threshold) };
  });
  const descriptor = { name: 'descriptor', threshold: gtzan.metadata.ood.threshold, scores: files.map((f) => f.inputs.descriptorScore), flags: files.map((f) => f.inputs.descriptorFlag) };
  const summary = (c: { name: string; threshold: number; scores: (number | null)[]; flags: boolean[] }) => {
    const scored = files.map((f, i) => ({ music: f.music, score: c.scores[i] })).filter((r) => r.score !== null);
    const count = (music: boolean, flags: boolean[]) => `${flags.filter((flag, i) => flag && files[i]!.music === music).length}/${files.filter((f) => f.music === music).length}`;
    const or = c.flags.map((flag, i) => flag || descriptor.flags[i]!);
    return {
      name: c.name, threshold: c.threshold,
      auroc: auroc(scored.map((r) => r.score!), scored.map((r) => !r.music)),
      nonMusicFlagged: count(false, c.flags), musicFlagged: count(true, c.flags),
      orDescriptor: { nonMusicFlagged: count(false, or), musicFlagged: count(true, or) },
    };
  };
  const summaries = [descriptor, ...columns].map(summary);
  const wider = widerReferenceAuroc(clips, files);
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ widerReferenceAuroc: wider, referenceClips: clips.length, referencePatches: clips.reduce((n, c) => n + c.embeddings.length, 0), summaries, files: files.map((f, i) => ({ file: f.name, music: f.music, scores: Object.fromEntries([descriptor, ...columns].map((c) => [c.name, c.scores[i]])) })) }, null, 1));
  } else {
    console.log(`reference: ${clips.length} GTZAN clips, ${clips.reduce((n, c) => n + c.embeddings.length, 0)} patches\n`);
    const all = [descriptor, ...columns];
    console.log(`| file | group | ${all.map((c) => c.name).join(' | ')} |\n|---|---|${all.map(() => '---').join('|')}|`);
    files.forEach((f, i) => console.log(`| ${f.name.slice(0, 40)} | ${f.music ? 'music' : 'non-music'} | ${all.map((c) => (c.scores[i] === null ? '—' : `${c.scores[i]!.toFixed(3)}${c.flags[i] ? ' **⚑**' : ''}`)).join(' | ')} |`));
    console.log('\n| check | threshold | AUROC | non-music flagged | music flagged | OR descriptor: non-music | OR descriptor: music |\n|---|---|---|---|---|---|---|');
    for (const s of summaries) console.log(`| ${s.name} | ${s.threshold.toFixed(3)} | ${s.auroc.toFixed(3)} | ${s.nonMusicFlagged} | ${s.musicFlagged} | ${s.orDescriptor.nonMusicFlagged} | ${s.orDescriptor.musicFlagged} |`);
    const patched = files.map((f, i) => ({ music: f.music, score: descriptor.scores[i]!, has: f.inputs.embeddings.length > 0 })).filter((f) => f.has);
    console.log(`\ndescriptor on the ${patched.length} files with a MusiCNN patch: AUROC ${auroc(patched.map((f) => f.score), patched.map((f) => !f.music)).toFixed(3)}`);
    console.log(`mahal-0.1 with the other evaluated music in the reference (leave-one-out): AUROC ${wider.toFixed(3)}`);
  }
  gtzan.dispose();
  if (loading) await (await loading).dispose();
}

/**
 * How the combined genre opinion (`src-main/core/opinion/`) does against the
 * GTZAN model alone and MusiCNN alone, on every file of `../shared/data`
 * whose genre is known (issue 14, part 6; the README's numbers):
 *
 *  1. Suggestions: is the true genre (or a broader genre of it) in the top 1
 *     and top 3 — songs and recordings (unseen by every expert) apart from
 *     the GTZAN clips (all in the GTZAN model's train or valid split).
 *  2. Dispute detection: libraries of those files with 15% of the tags
 *     replaced by a genre of another broad genre (20 seeds): AUROC and
 *     precision at k (k = the number of wrong tags) of each expert's dispute
 *     score (the library model trained on the noisy tags, out of fold), and
 *     of the combination.
 *  3. Writing the combined top genre at a minimum confidence: how many
 *     written genres contradict the file's real genre.
 *  4. The issue's example: swing tagged Jazz, disco tagged Disco, heavy metal
 *     tagged Classical, the rest as they are.
 *
 *   npm run eval:opinion [-- --json]
 *
 * Expert outputs are cached per file in `.cache/opinion/experts.json` (the
 * first run analyses 108 files: about 5 minutes on 2 cores; then seconds).
 * Deterministic: fixed seeds, fixed file order.
 */
import fs from 'node:fs';
import path from 'node:path';
import { learnLibrary, type LearningTrack } from '../src-main/core/learning/learn-library.ts';
import { auroc } from '../src-main/core/model/metrics.ts';
import { createRandom, permutation } from '../src-main/core/model/prng.ts';
import { describeRuntime, loadTensorFlow, type TfRuntime } from '../src-main/core/model/tf-runtime.ts';
import { combineOpinions, disputeTag, OPINION_DEFAULTS } from '../src-main/core/opinion/combine.ts';
import { broadGenreEvidence, broadGenreOf, type ExpertOpinion } from '../src-main/core/opinion/expert.ts';
import { gtzanOpinion, libraryOpinion, libraryReliability, musicnnOpinion, type ClassReliability } from '../src-main/core/opinion/experts.ts';
import { DEFAULT_TAXONOMY } from '../src-main/core/taxonomy/default-taxonomy.ts';
import { broaderGenres, canonicalGenre, createTaxonomy, normaliseGenreKey } from '../src-main/core/taxonomy/taxonomy.ts';
import { cachedExpertOutputs, REPO_ROOT, type FileExperts } from './opinion-experts.ts';
import { opinionFiles, type LabelledFile } from './opinion-files.ts';

const TAXONOMY = createTaxonomy(DEFAULT_TAXONOMY);
const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);
const WRONG_FRACTION = 0.15;
const THRESHOLDS = [0.3, 0.35, 0.4, 0.45, 0.5];

/** The GTZAN model's card: per-class validation figures and the validation confusion matrix (rows true, columns predicted). */
function readGtzanCard(): { perClass: ClassReliability[]; confusion: number[][] } {
  const card = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'models', 'genre-gtzan', 'card.json'), 'utf8')) as { valid: { perClass: ClassReliability[]; confusion: number[][] } };
  return card.valid;
}

/** The GTZAN model's per-class validation precision and recall, from its card. */
export function gtzanCard(): ClassReliability[] {
  return readGtzanCard().perClass;
}

/**
 * A variant tried (README): the GTZAN model's probabilities read through its
 * validation confusion matrix, P(true t) = Σ_k p(k)·P(true t | predicted k),
 * each column smoothed by 0.5 per class.
 */
function confusionCorrected(outputs: FileExperts, confusion: readonly (readonly number[])[]): FileExperts {
  const classes = confusion.length;
  const column = (k: number) => confusion.reduce((sum, row) => sum + row[k]!, 0);
  const probabilities = outputs.gtzan.probabilities.map((_, t) => outputs.gtzan.probabilities.reduce((sum, pk, k) => sum + (pk * (confusion[t]![k]! + 0.5)) / (column(k) + 0.5 * classes), 0));
  return { ...outputs, gtzan: { ...outputs.gtzan, probabilities } };
}

/** The two audio experts' opinions of one file. */
export function audioExperts(outputs: FileExperts, perClass: readonly ClassReliability[]): { gtzan: ExpertOpinion; musicnn: ExpertOpinion } {
  return {
    gtzan: gtzanOpinion(TAXONOMY, outputs.gtzan, perClass),
    musicnn: musicnnOpinion(TAXONOMY, outputs.musicnn?.tags ?? null),
  };
}

/** `genre` or one of its broader genres is `suggested`. */
function fits(truth: string, suggested: string): boolean {
  return suggested === truth || broaderGenres(TAXONOMY, truth).includes(suggested);
}

/** An expert alone: its own ranking of broad genres (by its raw scores). */
function aloneRanking(expert: ExpertOpinion): string[] {
  return broadGenreEvidence(TAXONOMY, expert).map((e) => e.broadGenre);
}

function combinedRanking(experts: readonly ExpertOpinion[]): string[] {
  return combineOpinions(TAXONOMY, experts).suggestions.map((s) => s.genre);
}

interface TopKRow { panel: string; top1: number; top3: number }

/** Top-1 and top-3 hits of each panel over `files`. */
function topK(files: readonly LabelledFile[], experts: Map<string, { gtzan: ExpertOpinion; musicnn: ExpertOpinion }>): TopKRow[] {
  const panels: [string, (e: { gtzan: ExpertOpinion; musicnn: ExpertOpinion }) => string[]][] = [
    ['GTZAN model alone', (e) => aloneRanking(e.gtzan)],
    ['MusiCNN alone', (e) => aloneRanking(e.musicnn)],
    ['combined', (e) => combinedRanking([e.gtzan, e.musicnn])],
  ];
  return panels.map(([panel, rank]) => {
    const hits = files.map((f) => rank(experts.get(f.file)!).map((g) => fits(f.genre!, g)));
    return { panel, top1: hits.filter((h) => h.slice(0, 1).some(Boolean)).length, top3: hits.filter((h) => h.slice(0, 3).some(Boolean)).length };
  });
}

/** Precision of the k highest scores, ties at the cut counted at their expected share (random tie order). */
function expectedPrecisionAtK(scores: readonly number[], positive: readonly boolean[], k: number): number {
  const cut = [...scores].sort((a, b) => b - a)[k - 1]!;
  const above = scores.map((s, i) => i).filter((i) => scores[i]! > cut);
  const tied = scores.map((s, i) => i).filter((i) => scores[i] === cut);
  const hitsAbove = above.filter((i) => positive[i]).length;
  const hitsTied = tied.filter((i) => positive[i]).length;
  return (hitsAbove + ((k - above.length) * hitsTied) / tied.length) / k;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: readonly number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

/** The default taxonomy's parent of a genre (library learning's roll-up). */
function taxonomyParent(genre: string): string | null {
  const parent = TAXONOMY.byKey.get(normaliseGenreKey(genre))?.parent;
  return parent === undefined ? null : canonicalGenre(TAXONOMY, parent);
}

/** The library model trained on `tags` (out of fold), as one opinion per file; null when too few genres have enough tracks. */
function libraryExperts(runtime: TfRuntime, files: readonly LabelledFile[], outputs: Map<string, FileExperts>, tags: readonly string[], seed: number): ExpertOpinion[] | null {
  const tracks: LearningTrack[] = files.map((f, i) => ({
    trackId: i, artist: f.artist, descriptors: outputs.get(f.file)!.descriptors, embedding: outputs.get(f.file)!.gtzan.embedding, genre: tags[i]!,
  }));
  let learning;
  try {
    learning = learnLibrary(runtime, tracks, { parentOf: taxonomyParent, seed });
  } catch (error) {
    if ((error as { code?: string }).code === 'too-few-examples') return null;
    throw error;
  }
  const trained = learning.opinions.filter((o) => o.outOfFold).map((o) => ({ given: o.givenGenre!, suggested: o.suggested }));
  const reliability = libraryReliability(trained);
  return learning.opinions.map((o) => libraryOpinion(TAXONOMY, learning.genres, o.probabilities, reliability));
}

interface DisputeRow { panel: string; auroc: number[]; precisionAtK: number[]; disputable: number; wrong: number; flagged: number; flaggedWrong: number }

/** Dispute detection on `files` as a library with WRONG_FRACTION of its tags replaced, one run per seed. */
function disputeRuns(runtime: TfRuntime, files: readonly LabelledFile[], outputs: Map<string, FileExperts>, experts: Map<string, { gtzan: ExpertOpinion; musicnn: ExpertOpinion }>): { rows: DisputeRow[]; librarySkipped: number; wrongPerRun: number } {
  const vocabulary = [...new Set(files.map((f) => f.genre!))].sort();
  const panels = ['GTZAN model', 'MusiCNN', 'library model', 'combined: GTZAN + MusiCNN', 'combined: GTZAN + MusiCNN + library'];
  const rows: DisputeRow[] = panels.map((panel) => ({ panel, auroc: [], precisionAtK: [], disputable: 0, wrong: 0, flagged: 0, flaggedWrong: 0 }));
  const k = Math.round(WRONG_FRACTION * files.length);
  let librarySkipped = 0;
  for (const seed of SEEDS) {
    const random = createRandom(seed);
    const wrong = new Array<boolean>(files.length).fill(false);
    permutation(files.length, random).subarray(0, k).forEach((i) => (wrong[i] = true));
    const tags = files.map((f, i) => {
      if (!wrong[i]) return f.genre!;
      const others = vocabulary.filter((g) => broadGenreOf(TAXONOMY, g) !== broadGenreOf(TAXONOMY, f.genre!));
      return others[Math.floor(random() * others.length)]!;
    });
    const library = libraryExperts(runtime, files, outputs, tags, seed);
    if (!library) librarySkipped++;
    const panelExperts = (i: number): (ExpertOpinion[] | null)[] => {
      const { gtzan, musicnn } = experts.get(files[i]!.file)!;
      const lib = library?.[i];
      return [[gtzan], [musicnn], lib ? [lib] : null, [gtzan, musicnn], lib ? [gtzan, musicnn, lib] : null];
    };
    const perFile = files.map((_, i) => panelExperts(i).map((panel) => (panel ? disputeTag(TAXONOMY, panel, tags[i]!) : null)));
    rows.forEach((row, p) => {
      if (perFile.some((d) => d[p] === null)) return;
      const scores = perFile.map((d) => d[p]!.score);
      row.auroc.push(auroc(scores, wrong));
      row.precisionAtK.push(expectedPrecisionAtK(scores, wrong, k));
      perFile.forEach((d, i) => {
        if (wrong[i]) row.wrong++;
        if (wrong[i] && d[p]!.disputable) row.disputable++;
        if (d[p]!.score >= OPINION_DEFAULTS.disputedAt) {
          row.flagged++;
          if (wrong[i]) row.flaggedWrong++;
        }
      });
    });
  }
  return { rows, librarySkipped, wrongPerRun: k };
}

/** What writing the combined top genre at each threshold would do. */
function applyPrecision(files: readonly LabelledFile[], experts: Map<string, { gtzan: ExpertOpinion; musicnn: ExpertOpinion }>, outputs: Map<string, FileExperts>) {
  const tops = files.map((f) => {
    const { gtzan, musicnn } = experts.get(f.file)!;
    return { f, top: combineOpinions(TAXONOMY, [gtzan, musicnn]).suggestions[0] ?? null };
  });
  const verdict = (f: LabelledFile, genre: string) => (!f.music ? 'wrong' : f.genre === null ? 'unknown' : fits(f.genre, genre) ? 'right' : 'wrong');
  const combined = THRESHOLDS.map((threshold) => {
    const written = tops.filter((t) => t.top && t.top.confidence >= threshold);
    const count = (v: string) => written.filter((t) => verdict(t.f, t.top!.genre) === v).length;
    return { rule: `combined ≥ ${threshold}${threshold === OPINION_DEFAULTS.minConfidence ? ' (default)' : ''}`, written: written.length, right: count('right'), wrong: count('wrong'), unknown: count('unknown'), files: written.map((t) => `${path.basename(t.f.file)} → ${t.top!.genre} ${t.top!.confidence.toFixed(2)} (${verdict(t.f, t.top!.genre)})`) };
  });
  const gtzanWrites = files.filter((f) => {
    const g = outputs.get(f.file)!.gtzan;
    return !g.outOfDistribution && Math.max(...g.probabilities) >= 0.6;
  }).map((f) => {
    const g = outputs.get(f.file)!.gtzan;
    const genre = canonicalGenre(TAXONOMY, g.labels[g.probabilities.indexOf(Math.max(...g.probabilities))]!)!;
    return { f, genre, v: verdict(f, genre) };
  });
  const baseline = { rule: 'GTZAN model alone ≥ 0.6 (today\'s `apply --min-confidence 0.6`)', written: gtzanWrites.length, right: gtzanWrites.filter((w) => w.v === 'right').length, wrong: gtzanWrites.filter((w) => w.v === 'wrong').length, unknown: gtzanWrites.filter((w) => w.v === 'unknown').length, files: gtzanWrites.map((w) => `${path.basename(w.f.file)} → ${w.genre} (${w.v})`) };
  return [baseline, ...combined];
}

/** The issue's example library: every file with a genre, heavy_metal.mp3 tagged Classical, swing.mp3 tagged Jazz, disco.mp3 tagged Disco. */
function issueExample(files: readonly LabelledFile[], experts: Map<string, { gtzan: ExpertOpinion; musicnn: ExpertOpinion }>) {
  const tagOf = (f: LabelledFile) => (f.file === 'songs/heavy_metal.mp3' ? 'Classical' : f.file === 'songs/swing.mp3' ? 'Jazz' : f.genre!);
  const ranked = files.map((f) => {
    const { gtzan, musicnn } = experts.get(f.file)!;
    return { file: f.file, tag: tagOf(f), score: disputeTag(TAXONOMY, [gtzan, musicnn], tagOf(f)).score };
  }).sort((a, b) => b.score - a.score);
  const byFile = new Map(files.map((f) => [f.file, f]));
  const writes = ranked.filter((r) => r.score >= OPINION_DEFAULTS.disputedAt).map((r) => {
    const { gtzan, musicnn } = experts.get(r.file)!;
    const top = combineOpinions(TAXONOMY, [gtzan, musicnn]).suggestions[0]!;
    const written = top.confidence >= OPINION_DEFAULTS.minConfidence;
    return { file: r.file, tag: r.tag, top: top.genre, confidence: top.confidence, written, right: fits(byFile.get(r.file)!.genre!, top.genre) };
  });
  return { ranked, writes };
}

const pct = (n: number, d: number) => `${n}/${d} (${((100 * n) / d).toFixed(0)} %)`;
const f3 = (x: number) => x.toFixed(3);

if (import.meta.main) {
  const started = performance.now();
  const json = process.argv.includes('--json');
  const log = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
  const all = opinionFiles();
  const outputs = await cachedExpertOutputs(all.map((f) => f.file), undefined, (line) => process.stderr.write(`${line}\n`));
  const perClass = gtzanCard();
  const experts = new Map(all.map((f) => [f.file, audioExperts(outputs.get(f.file)!, perClass)]));
  const known = all.filter((f) => f.genre !== null);
  const unseen = known.filter((f) => f.group !== 'gtzan-clip');
  const clips = known.filter((f) => f.group === 'gtzan-clip');
  const runtime = await loadTensorFlow({ SONORITY_TF_BACKEND: process.env.SONORITY_TF_BACKEND ?? 'wasm' });
  process.stderr.write(`${describeRuntime(runtime)}\n`);

  const judges = (f: LabelledFile, id: 'gtzan' | 'musicnn') => aloneRanking(experts.get(f.file)![id]).includes(broadGenreOf(TAXONOMY, f.genre!));
  const knownBy = (files: readonly LabelledFile[], ids: ('gtzan' | 'musicnn')[]) => files.filter((f) => ids.some((id) => judges(f, id))).length;
  const topKTables = [
    { name: 'songs + recordings (unseen by every expert)', files: unseen },
    { name: 'GTZAN clips (in the GTZAN model\'s train/valid split)', files: clips },
  ].map(({ name, files }) => ({ name, count: files.length, gtzanKnows: knownBy(files, ['gtzan']), musicnnKnows: knownBy(files, ['musicnn']), eitherKnows: knownBy(files, ['gtzan', 'musicnn']), rows: topK(files, experts) }));
  const disputes = [
    { name: `songs + recordings (${unseen.length} files)`, ...disputeRuns(runtime, unseen, outputs, experts) },
    { name: `all files with a genre (${known.length} files)`, ...disputeRuns(runtime, known, outputs, experts) },
  ];
  const apply = [
    { name: `songs + recordings, every file (${all.filter((f) => f.group !== 'gtzan-clip').length}, incl. ${all.filter((f) => !f.music).length} non-music and ${all.filter((f) => f.music && f.genre === null).length} music of unknown genre)`, rows: applyPrecision(all.filter((f) => f.group !== 'gtzan-clip'), experts, outputs) },
    { name: `GTZAN clips (${clips.length})`, rows: applyPrecision(clips, experts, outputs) },
  ];
  const example = issueExample(known, experts);
  const { confusion } = readGtzanCard();
  const variants: [string, Map<string, { gtzan: ExpertOpinion; musicnn: ExpertOpinion }>][] = [
    ['the rule', experts],
    ['without the GTZAN card (precision and recall 1)', new Map(all.map((f) => [f.file, audioExperts(outputs.get(f.file)!, [])]))],
    ['GTZAN through its confusion matrix, without the card', new Map(all.map((f) => [f.file, audioExperts(confusionCorrected(outputs.get(f.file)!, confusion), [])]))],
    ['GTZAN through its confusion matrix, with the card', new Map(all.map((f) => [f.file, audioExperts(confusionCorrected(outputs.get(f.file)!, confusion), perClass)]))],
  ];
  const variantRows = variants.map(([name, map]) => {
    const ex = issueExample(known, map);
    const score = (file: string) => ex.ranked.find((r) => r.file === file)!.score;
    const combinedRow = (files: readonly LabelledFile[]) => disputeRuns(runtime, files, outputs, map).rows[3]!;
    const [u, a] = [combinedRow(unseen), combinedRow(known)];
    const [tu, tc] = [topK(unseen, map)[2]!, topK(clips, map)[2]!];
    const writes = applyPrecision(all, map, outputs).find((r) => r.rule.includes('default'))!;
    return {
      name, heavyRank: ex.ranked.findIndex((r) => r.file === 'songs/heavy_metal.mp3') + 1, heavy: score('songs/heavy_metal.mp3'), funk: score('songs/funk.mp3'),
      swing: score('songs/swing.mp3'), disco: score('songs/disco.mp3'), aurocUnseen: mean(u.auroc), aurocAll: mean(a.auroc),
      top: `${tu.top1}/${tu.top3} · ${tc.top1}/${tc.top3}`, writes: `${writes.written} / ${writes.wrong}`,
    };
  });
  const seconds = (performance.now() - started) / 1000;

  if (json) {
    process.stdout.write(`${JSON.stringify({ files: all, topK: topKTables, disputes, apply, example, variants: variantRows, defaults: OPINION_DEFAULTS, seconds })}\n`);
  } else {
    log('## Files and the genre each is held to be\n');
    log('| file | group | genre | why |\n| --- | --- | --- | --- |');
    for (const f of all.filter((x) => x.group !== 'gtzan-clip')) log(`| ${path.basename(f.file)} | ${f.group} | ${f.genre ?? '—'} | ${f.basis} |`);
    log(`| gtzan/clips/* (${clips.length}) | gtzan-clip | their GTZAN label: ${[...new Set(clips.map((c) => c.genre))].map((g) => `${g} ${clips.filter((c) => c.genre === g).length}`).join(', ')} | clips/index.tsv; every one in train or valid |`);

    log('\n## 1. Is the true genre (or a broader one) suggested?\n');
    for (const t of topKTables) {
      log(`${t.name}: ${t.count} files; the broad genre of ${t.gtzanKnows} is known to the GTZAN model (not counting files it finds out of distribution), of ${t.musicnnKnows} to MusiCNN, of ${t.eitherKnows} to either.\n`);
      log('| panel | top 1 | top 3 |\n| --- | --- | --- |');
      for (const r of t.rows) log(`| ${r.panel} | ${pct(r.top1, t.count)} | ${pct(r.top3, t.count)} |`);
      log('');
    }

    log(`## 2. Dispute detection (${SEEDS.length} seeds, ${Math.round(WRONG_FRACTION * 100)} % of tags replaced by a genre of another broad genre)\n`);
    for (const d of disputes) {
      log(`${d.name}: ${d.wrongPerRun} wrong tags per run${d.librarySkipped ? `; the library model could not train in ${d.librarySkipped} runs (fewer than two genres with 5 tracks by 2 artists), left out of its rows` : ''}.\n`);
      log(`| dispute score of | AUROC (mean ± sd) | precision at k | wrong tags it can judge | disputed (≥ ${OPINION_DEFAULTS.disputedAt}): precision / recall |\n| --- | --- | --- | --- | --- |`);
      for (const r of d.rows) {
        if (r.auroc.length === 0) continue;
        log(`| ${r.panel} | ${f3(mean(r.auroc))} ± ${f3(sd(r.auroc))} | ${f3(mean(r.precisionAtK))} ± ${f3(sd(r.precisionAtK))} | ${pct(r.disputable, r.wrong)} | ${r.flagged ? f3(r.flaggedWrong / r.flagged) : '—'} / ${f3(r.flaggedWrong / r.wrong)} |`);
      }
      log('');
    }

    log('## 3. Writing the top genre of every file, as if untagged\n');
    for (const a of apply) {
      log(`${a.name}:\n`);
      log('| rule | written | right | contradict the real genre | genre unknown |\n| --- | --- | --- | --- | --- |');
      for (const r of a.rows) log(`| ${r.rule} | ${r.written} | ${r.right} | ${r.wrong} | ${r.unknown} |`);
      log('');
      for (const r of a.rows.filter((x) => x.rule.includes('default') || x.rule.startsWith('GTZAN'))) log(`- ${r.rule}: ${r.files.join('; ') || 'nothing'}`);
      log('');
    }

    log('## 4. The issue\'s example (every file with a genre; heavy_metal.mp3 tagged Classical, swing.mp3 Jazz, disco.mp3 Disco)\n');
    log('| rank | file | tag | combined dispute |\n| --- | --- | --- | --- |');
    example.ranked.forEach((e, i) => {
      if (i < 5 || e.file === 'songs/swing.mp3' || e.file === 'songs/disco.mp3') log(`| ${i + 1} | ${path.basename(e.file)} | ${e.tag} | ${e.score.toFixed(3)} |`);
    });
    log(`\nDisputed (≥ ${OPINION_DEFAULTS.disputedAt}) and what \`apply --min-confidence ${OPINION_DEFAULTS.minConfidence}\` would write for them:\n`);
    for (const w of example.writes) log(`- ${path.basename(w.file)} tagged ${w.tag}: combined top ${w.top} ${w.confidence.toFixed(2)} → ${w.written ? `written (${w.right ? 'right' : 'contradicts the real genre'})` : 'not written'}`);
    log('\n## 5. Variants (GTZAN + MusiCNN; same files, seeds and thresholds)\n');
    log('| variant | heavy metal/Classical: rank, dispute | funk/Funk | swing/Jazz | disco/Disco | dispute AUROC: unseen, all | top 1/top 3: unseen · clips | default writes / contradicting |\n| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const v of variantRows) log(`| ${v.name} | ${v.heavyRank}, ${v.heavy.toFixed(3)} | ${v.funk.toFixed(3)} | ${v.swing.toFixed(3)} | ${v.disco.toFixed(3)} | ${f3(v.aurocUnseen)}, ${f3(v.aurocAll)} | ${v.top} | ${v.writes} |`);
    log(`\n${seconds.toFixed(1)} s`);
  }
}

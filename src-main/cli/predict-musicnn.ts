/**
 * The MusiCNN part of `sonority predict`: the tagger and its four heads run
 * on the windows the descriptors used, in this process (models loaded once,
 * on the runtime `loadChosenTagger` picks), grouped by facet, and the
 * combined genre opinion of MusiCNN and the GTZAN model.
 */
import { describeFileError } from '../core/errors.ts';
import type { SampleRange } from '../core/features/track-windows.ts';
import { analyseMusicnn, type MusicnnAnalysis } from '../core/musicnn/analyse-musicnn.ts';
import { loadMusicnnForAnalysis, type MusicnnModels } from '../core/musicnn/load-models.ts';
import { MUSICNN_HEAD_NAMES, MUSICNN_TAG_COUNT, POSITIVE_CLASS } from '../core/musicnn/model-metadata.ts';
import { combineOpinions } from '../core/opinion/combine.ts';
import type { ExpertOpinion } from '../core/opinion/expert.ts';
import { musicnnOpinion } from '../core/opinion/experts.ts';
import { expertsLine, suggestionLine } from '../core/opinion/explain.ts';
import { groupMusicnnTags, type MusicnnFacets } from '../core/taxonomy/musicnn-facets.ts';
import { MUSICNN_FACETS, MUSICNN_TAGS } from '../core/taxonomy/musicnn-tags.ts';
import type { Taxonomy } from '../core/taxonomy/taxonomy.ts';
import type { CliIo } from './io.ts';

/** MusiCNN's outcome for one file: its analysis, or why it could not run. */
export type MusicnnRun = { ok: true; analysis: MusicnnAnalysis } | { ok: false; code: string; message: string };

/**
 * Runs MusiCNN on `windows` (22050-Hz ranges) of `file`, loading the models
 * at most once (not at all when no window holds a patch), and logs the
 * runtime that ran on stderr. A failure is returned, not thrown: the GTZAN
 * part of `predict` stands on its own.
 */
export async function runMusicnnForCli(io: CliIo, file: string, windows: SampleRange[], ffmpegPath?: string): Promise<MusicnnRun> {
  let loading: Promise<MusicnnModels> | undefined;
  const models = () => (loading ??= loadMusicnnForAnalysis(io.env));
  try {
    const analysis = await analyseMusicnn(file, windows, { ffmpegPath, models });
    if (analysis.runtime) io.stderr.write(`MusiCNN ${analysis.model} · ${analysis.runtime}\n`);
    if (analysis.runtimeNote) io.stderr.write(`MusiCNN: ${analysis.runtimeNote}\n`);
    return { ok: true, analysis };
  } catch (error) {
    const failure = describeFileError(error);
    io.stderr.write(`MusiCNN failed: ${failure.message}\n`);
    return { ok: false, ...failure };
  } finally {
    if (loading) await loading.then((loaded) => loaded.dispose(), () => undefined);
  }
}

/** A head's name for people: "danceability", "aggressive", "happy", "relaxed". */
const headName = (name: (typeof MUSICNN_HEAD_NAMES)[number]) => (name === 'danceability' ? name : POSITIVE_CLASS[name]);

/** 50 probabilities by tag name, in model order. */
function byTag(values: ArrayLike<number>): Record<string, number> {
  return Object.fromEntries(MUSICNN_TAGS.map((tag, i) => [tag, values[i]!]));
}

/** MusiCNN's top genre (through the taxonomy) in a row of 50 tag probabilities. */
function topGenre(taxonomy: Taxonomy, tags: ArrayLike<number>): { genre: string; probability: number } {
  const [best] = groupMusicnnTags(taxonomy, tags).genre;
  return { genre: best!.name, probability: best!.probability };
}

/** A window of the timeline as MusiCNN hears it. */
export interface MusicnnWindowView {
  startSec: number;
  patches: number;
  /** Its 50 tags by name (null: no patch in the window). */
  tags: Record<string, number> | null;
  topGenre: { genre: string; probability: number } | null;
}

/** What `predict` shows of MusiCNN and the combined opinion (also its `--json` part). */
export interface MusicnnView {
  model: string | null;
  runtime: string | null;
  /** Why MusiCNN gives nothing for this file (too short), or null. */
  abstains: string | null;
  /** Why MusiCNN could not run (models missing, decoding failed), or null. */
  error: { code: string; message: string } | null;
  /** The 50 tags by name, track means. */
  tags: Record<string, number> | null;
  heads: Record<string, number> | null;
  facets: MusicnnFacets | null;
  windows: MusicnnWindowView[];
}

export interface OpinionView {
  experts: { id: string; label: string; abstains: string | null; line: string }[];
  suggestions: { genre: string; confidence: number; line: string; verdicts: { expert: string; named: string; score: number; vote: number }[] }[];
}

/** MusiCNN's outputs for `predict`, by name. */
export function describeMusicnn(taxonomy: Taxonomy, run: MusicnnRun, windowStartsSec: readonly number[]): MusicnnView {
  if (!run.ok) return { model: null, runtime: null, abstains: null, error: { code: run.code, message: run.message }, tags: null, heads: null, facets: null, windows: [] };
  const a = run.analysis;
  const abstains = a.tags.length === 0 ? musicnnOpinion(taxonomy, null).abstains : null;
  const windows = windowStartsSec.map((startSec, w): MusicnnWindowView => {
    const patches = a.windowPatches[w] ?? 0;
    const row = patches > 0 ? a.windowTags.subarray(w * MUSICNN_TAG_COUNT, (w + 1) * MUSICNN_TAG_COUNT) : null;
    return { startSec, patches, tags: row && byTag(row), topGenre: row && topGenre(taxonomy, row) };
  });
  if (abstains) return { model: a.model, runtime: a.runtime, abstains, error: null, tags: null, heads: null, facets: null, windows };
  return {
    model: a.model,
    runtime: a.runtime,
    abstains: null,
    error: null,
    tags: byTag(a.tags),
    heads: Object.fromEntries(MUSICNN_HEAD_NAMES.map((name, i) => [headName(name), a.heads[i]!])),
    facets: groupMusicnnTags(taxonomy, a.tags),
    windows,
  };
}

/** The combined genre opinion of the GTZAN model and MusiCNN. */
export function describeOpinion(taxonomy: Taxonomy, gtzan: ExpertOpinion, run: MusicnnRun): OpinionView {
  const musicnn: ExpertOpinion = run.ok
    ? musicnnOpinion(taxonomy, run.analysis.tags)
    : { ...musicnnOpinion(taxonomy, null), abstains: `failed: ${run.message}` };
  const experts = [musicnn, gtzan];
  const combined = combineOpinions(taxonomy, experts);
  return {
    experts: experts.map((e) => ({ id: e.id, label: e.label, abstains: e.abstains, line: expertsLine([e]) + (e.abstains ? ` (abstains: ${e.abstains})` : '') })),
    suggestions: combined.suggestions.map((s) => ({
      genre: s.genre,
      confidence: s.confidence,
      line: suggestionLine(experts, s),
      verdicts: s.verdicts.map((v) => ({ expert: v.expert, named: v.evidence.named, score: v.evidence.score, vote: v.vote })),
    })),
  };
}

/** How many names of each facet the text shows. */
const SHOWN: Record<(typeof MUSICNN_FACETS)[number], number> = { genre: 5, mood: 3, era: 3, voice: 3, instrumentation: 3 };
const FACET_TITLES: Record<(typeof MUSICNN_FACETS)[number], string> = { genre: 'genres', mood: 'moods', era: 'eras', voice: 'voice', instrumentation: 'instrumentation' };

/** The text lines of MusiCNN's part and the combined opinion. */
export function musicnnLines(view: MusicnnView, opinion: OpinionView, bar: (p: number) => string): string[] {
  const lines: string[] = [''];
  if (view.error) lines.push(`  MusiCNN failed: ${view.error.message}`);
  else if (view.abstains) lines.push(`  MusiCNN abstains: ${view.abstains}`);
  else {
    lines.push(`  MusiCNN ${view.model}${view.runtime ? ` · ${view.runtime}` : ''}:`);
    const row = (name: string, p: number) => `    ${name.padEnd(16)} ${bar(p)} ${(100 * p).toFixed(1).padStart(5)}%`;
    for (const facet of MUSICNN_FACETS) {
      lines.push(`  ${FACET_TITLES[facet]}:`);
      for (const score of view.facets![facet].slice(0, SHOWN[facet])) lines.push(row(score.name, score.probability));
    }
    lines.push('  heads:');
    for (const [name, p] of Object.entries(view.heads!)) lines.push(row(name, p));
  }
  lines.push('', '  combined opinion:');
  for (const expert of opinion.experts) lines.push(`    ${expert.line}`);
  for (const s of opinion.suggestions.slice(0, 3)) lines.push(`    → ${s.line}`);
  return lines;
}

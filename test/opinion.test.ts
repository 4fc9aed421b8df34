/**
 * The combined genre opinion (src-main/core/opinion/): the rule on made-up
 * experts (abstention, knowledge through parents and children, multi-label,
 * reliability), and the example on real expert outputs computed here
 * from real files — the shipped GTZAN model and MusiCNN on onnxruntime-node
 * (converted into a temporary folder): swing tagged Jazz and disco tagged
 * Disco are not disputed, heavy metal tagged Classical is, most of all.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadExperts, type Experts, type FileExperts } from '../bench/opinion-experts.ts';
import { audioExperts, gtzanCard } from '../bench/opinion-eval.ts';
import { combineOpinions, disputeTag, disputeTrack, OPINION_DEFAULTS } from '../src-main/core/opinion/combine.ts';
import { broadGenreEvidence, broadGenreOf, type ExpertOpinion } from '../src-main/core/opinion/expert.ts';
import { gtzanOpinion, libraryOpinion, libraryReliability, musicnnOpinion } from '../src-main/core/opinion/experts.ts';
import { disputeLine, expertsLine, suggestionLine } from '../src-main/core/opinion/explain.ts';
import { DEFAULT_TAXONOMY } from '../src-main/core/taxonomy/default-taxonomy.ts';
import { MUSICNN_TAGS } from '../src-main/core/taxonomy/musicnn-tags.ts';
import { createTaxonomy, MODEL_LABELS } from '../src-main/core/taxonomy/taxonomy.ts';
import { SHARED_DATA, tempDir } from './helpers/fixtures.ts';

const taxonomy = createTaxonomy(DEFAULT_TAXONOMY);

/** A GTZAN-model opinion with the given probabilities (the rest spread evenly). */
function gtzan(probabilities: Partial<Record<(typeof MODEL_LABELS)[number], number>>, options: { ood?: boolean; recall?: number } = {}): ExpertOpinion {
  const given = Object.values(probabilities).reduce((a, b) => a + b, 0);
  const rest = (1 - given) / (MODEL_LABELS.length - Object.keys(probabilities).length);
  const p = MODEL_LABELS.map((label) => probabilities[label] ?? rest);
  const perClass = options.recall === undefined ? [] : MODEL_LABELS.map((name) => ({ name, precision: 1, recall: options.recall! }));
  return gtzanOpinion(taxonomy, { labels: MODEL_LABELS, probabilities: p, outOfDistribution: options.ood ?? false }, perClass);
}

/** A MusiCNN opinion with the given tag probabilities (every other tag 0.01). */
function musicnn(tags: Partial<Record<(typeof MUSICNN_TAGS)[number], number>>): ExpertOpinion {
  return musicnnOpinion(taxonomy, MUSICNN_TAGS.map((tag) => tags[tag] ?? 0.01));
}

describe('the combined opinion: the rule', () => {
  it('groups an expert’s genres by broad genre: summed for a softmax, the largest for tags', () => {
    expect(broadGenreOf(taxonomy, 'Big Band')).toBe('Jazz');
    expect(broadGenreOf(taxonomy, 'Techno')).toBe('Electronic');
    expect(broadGenreOf(taxonomy, 'Funk')).toBe('Funk');
    expect(broadGenreOf(taxonomy, 'Nonexistent Genre')).toBe('Nonexistent Genre');
    const tags = broadGenreEvidence(taxonomy, musicnn({ metal: 0.2, 'heavy metal': 0.5, rock: 0.25, 'hard rock': 0.4 }));
    expect(tags.slice(0, 2).map((e) => [e.broadGenre, e.score, e.named])).toEqual([['Metal', 0.5, 'heavy metal'], ['Rock', 0.4, 'hard rock']]);
    expect(tags[1]!.support).toBeCloseTo(0.8);
    const library = broadGenreEvidence(taxonomy, libraryOpinion(taxonomy, ['House', 'Techno', 'Jazz'], [0.3, 0.3, 0.4]));
    expect(library.map((e) => [e.broadGenre, e.score])).toEqual([['Electronic', 0.6], ['Jazz', 0.4]]);
  });

  it('an expert that does not know a genre abstains: it never disputes it', () => {
    const heard = gtzan({ classical: 0.9 });
    // MusiCNN has no classical, reggae, disco or Latin tag.
    const sure = musicnn({ jazz: 0.9 });
    for (const genre of ['Classical', 'Disco', 'Reggae']) {
      expect(disputeTag(taxonomy, [heard, sure], genre).score).toBeCloseTo(disputeTag(taxonomy, [heard], genre).score, 12);
      expect(disputeTag(taxonomy, [heard, sure], genre).judges.map((j) => j.expert)).toEqual(['gtzan']);
    }
    // No expert knows Latin: not disputable, whatever the experts say.
    const salsa = disputeTag(taxonomy, [heard, sure], 'Salsa');
    expect(salsa).toMatchObject({ score: 0, disputable: false, broadGenre: 'Latin', judges: [] });
    // GTZAN does not know Electronic, so only MusiCNN judges a Techno tag.
    expect(disputeTag(taxonomy, [gtzan({ hiphop: 0.9 }), musicnn({ electronic: 0.6 })], 'Techno').score).toBe(0);
  });

  it('an expert knows a genre through its parent and its children', () => {
    // GTZAN's Jazz judges a Swing (and a Big Band) tag; its Rock a Punk tag.
    expect(disputeTag(taxonomy, [gtzan({ jazz: 0.8 })], 'Big Band')).toMatchObject({ score: 0, disputable: true });
    expect(disputeTag(taxonomy, [gtzan({ classical: 0.8, jazz: 0.1 })], 'Swing').score).toBeCloseTo(1 - 0.1 / 0.8);
    expect(disputeTag(taxonomy, [gtzan({ rock: 0.05, metal: 0.5 })], 'Punk').score).toBeCloseTo(0.9);
    // MusiCNN's House and Electro (children) judge an Electronic tag, its Dance (a sibling under Electronic) a Trance tag.
    expect(disputeTag(taxonomy, [musicnn({ House: 0.6, electronic: 0.02 })], 'Electronic').score).toBe(0);
    expect(disputeTag(taxonomy, [musicnn({ dance: 0.5, jazz: 0.05 })], 'Trance').score).toBe(0);
    expect(disputeTag(taxonomy, [musicnn({ jazz: 0.5, dance: 0.05 })], 'Trance').score).toBeCloseTo(0.9);
  });

  it('weighs each judge by its recall of the genre, with at least 1 in all', () => {
    const classicalSure = gtzan({ classical: 0.05, metal: 0.5 }, { recall: 1 });
    const blindToIt = gtzan({ classical: 0.05, metal: 0.5 }, { recall: 0.2 });
    expect(disputeTag(taxonomy, [classicalSure], 'Classical').score).toBeCloseTo(0.9);
    // An expert that finds a genre one time in five cannot dispute it much alone.
    expect(disputeTag(taxonomy, [blindToIt], 'Classical').score).toBeCloseTo(0.2 * 0.9);
    // Two judges: an average weighted by recall.
    const jazzFan = musicnn({ jazz: 0.8 });
    const swing = disputeTag(taxonomy, [gtzan({ classical: 0.6, jazz: 0.3 }, { recall: 0.5 }), jazzFan], 'Swing');
    expect(swing.score).toBeCloseTo((0.5 * 0.5 + 1 * 0) / 1.5);
    expect(swing.score).toBeLessThan(OPINION_DEFAULTS.disputedAt);
  });

  it('suggests several genres, ranked by the share of the panel’s vote', () => {
    const opinion = combineOpinions(taxonomy, [gtzan({ pop: 0.5, disco: 0.3 }), musicnn({ pop: 0.5, dance: 0.45 })]);
    const [first, second, third] = opinion.suggestions;
    expect(first!.genre).toBe('Pop');
    expect(new Set([second!.genre, third!.genre])).toEqual(new Set(['Electronic', 'Disco']));
    // Pop: GTZAN's 0.5 and MusiCNN's share of its tags, over the 2 experts.
    const musicnnTotal = broadGenreEvidence(taxonomy, musicnn({ pop: 0.5, dance: 0.45 })).reduce((sum, e) => sum + e.score, 0);
    expect(first!.confidence).toBeCloseTo((0.5 + 0.5 / musicnnTotal) / 2);
    expect(first!.verdicts.map((v) => v.expert).sort()).toEqual(['gtzan', 'musicnn']);
    // Electronic is known only to MusiCNN; Disco only to GTZAN: each gets a single expert's vote.
    expect(opinion.suggestions.find((s) => s.genre === 'Electronic')!.verdicts.map((v) => v.expert)).toEqual(['musicnn']);
    expect(opinion.suggestions.find((s) => s.genre === 'Disco')!.verdicts.map((v) => v.expert)).toEqual(['gtzan']);
    const total = opinion.suggestions.reduce((sum, s) => sum + s.confidence, 0);
    expect(total).toBeCloseTo(1);
  });

  it('counts an expert’s votes at its precision, and an abstaining expert on the panel', () => {
    const hipHopLover = gtzanOpinion(taxonomy, { labels: MODEL_LABELS, probabilities: MODEL_LABELS.map((l) => (l === 'hiphop' ? 1 : 0)), outOfDistribution: false }, [{ name: 'hiphop', precision: 0.1, recall: 0.1 }]);
    expect(combineOpinions(taxonomy, [hipHopLover]).suggestions[0]).toMatchObject({ genre: 'Hip-Hop', confidence: 0.1 });
    const outOfDistribution = gtzan({ jazz: 0.9 }, { ood: true });
    const opinion = combineOpinions(taxonomy, [outOfDistribution, musicnn({ jazz: 0.97 })]);
    expect(opinion.panel[0]).toMatchObject({ expert: 'gtzan', favourite: null });
    expect(opinion.panel[0]!.abstains).toMatch(/out of distribution/);
    expect(opinion.suggestions[0]!.genre).toBe('Jazz');
    expect(opinion.suggestions[0]!.confidence).toBeLessThanOrEqual(0.5);
    expect(disputeTag(taxonomy, [outOfDistribution], 'Jazz').disputable).toBe(false);
    for (const none of [null, new Float32Array(0)]) expect(musicnnOpinion(taxonomy, none).abstains).toMatch(/shorter than one 3-second patch/);
  });

  it('a track’s dispute is its most disputed genre', () => {
    const experts = [gtzan({ rock: 0.8, pop: 0.05 }), musicnn({ rock: 0.7, pop: 0.05 })];
    const track = disputeTrack(taxonomy, experts, ['Rock', 'Pop', 'Salsa']);
    expect(track.genres.map((g) => g.disputable)).toEqual([true, true, false]);
    expect(track.score).toBe(track.genres[1]!.score);
    expect(track.score).toBeGreaterThan(0.9);
    expect(disputeTrack(taxonomy, experts, [])).toEqual({ score: 0, disputable: false, genres: [] });
  });

  it('measures a library model’s reliability out of fold', () => {
    const reliability = libraryReliability([
      { given: 'Jazz', suggested: 'Jazz' }, { given: 'Jazz', suggested: 'Rock' }, { given: 'Rock', suggested: 'Rock' }, { given: 'Rock', suggested: 'Rock' },
    ]);
    expect(reliability.get('Jazz')).toEqual({ recall: 0.5, precision: 1 });
    expect(reliability.get('Rock')).toEqual({ recall: 1, precision: 2 / 3 });
  });

  it('says it in one line', () => {
    const experts = [musicnn({ jazz: 0.79 }), gtzan({ classical: 0.63, jazz: 0.2 })];
    expect(expertsLine([...experts, { id: 'library', label: 'your library', kind: 'exclusive', scores: [], abstains: 'no library model' }]))
      .toBe('MusiCNN: jazz 0.79; GTZAN model: Classical 63%; your library: —');
    const jazz = combineOpinions(taxonomy, experts).suggestions[0]!;
    expect(suggestionLine(experts, jazz)).toMatch(/^Jazz \d+%: MusiCNN jazz 0\.79, GTZAN model Jazz 20%$/);
    expect(disputeLine(experts, disputeTag(taxonomy, experts, 'Classical'))).toMatch(/^Classical: dispute 0% — GTZAN model Classical 63% \(its favourite\); MusiCNN cannot judge Classical$/);
    expect(disputeLine(experts, disputeTag(taxonomy, experts, 'Cumbia'))).toBe('Cumbia: no expert knows Latin, so the tag cannot be disputed');
  });

  it('refuses scores outside 0…1 and two experts with one id', () => {
    expect(() => broadGenreEvidence(taxonomy, libraryOpinion(taxonomy, ['Jazz'], [1.5]))).toThrow(/between 0 and 1/);
    expect(() => combineOpinions(taxonomy, [musicnn({}), musicnn({})])).toThrow(/two experts have the id "musicnn"/);
  });
});

describe('the combined opinion on real files (GTZAN model + MusiCNN)', () => {
  const SONGS = { heavy_metal: 'Classical', swing: 'Jazz', disco: 'Disco', funk: 'Funk' } as const;
  let experts: Experts;
  let work: string;
  const outputs = new Map<string, FileExperts>();
  let opinions: Map<string, ExpertOpinion[]>;

  beforeAll(async () => {
    work = tempDir();
    experts = await loadExperts(work, 2);
    for (const song of Object.keys(SONGS)) outputs.set(song, await experts.run(path.join(SHARED_DATA, 'songs', `${song}.mp3`)));
    const perClass = gtzanCard();
    opinions = new Map([...outputs].map(([song, out]) => {
      const { gtzan: g, musicnn: m } = audioExperts(out, perClass);
      return [song, [g, m]];
    }));
  }, 120_000);

  afterAll(async () => {
    await experts?.close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('does not dispute swing tagged Jazz nor disco tagged Disco; disputes heavy metal tagged Classical most', () => {
    const disputes = Object.fromEntries(Object.entries(SONGS).map(([song, tag]) => [song, disputeTrack(taxonomy, opinions.get(song)!, [tag])]));
    expect(disputes.swing!.score).toBeLessThan(OPINION_DEFAULTS.disputedAt);
    expect(disputes.disco!.score).toBeLessThan(OPINION_DEFAULTS.disputedAt);
    expect(disputes.heavy_metal!.score).toBeGreaterThanOrEqual(OPINION_DEFAULTS.disputedAt);
    for (const song of ['swing', 'disco', 'funk']) expect(disputes.heavy_metal!.score, song).toBeGreaterThan(disputes[song]!.score);
    // Only the GTZAN model knows Classical and Disco; both experts judge Jazz.
    expect(disputes.heavy_metal!.genres[0]!.judges.map((j) => j.expert)).toEqual(['gtzan']);
    expect(disputes.disco!.genres[0]!.judges.map((j) => j.expert)).toEqual(['gtzan']);
    expect(disputes.swing!.genres[0]!.judges.map((j) => j.expert).sort()).toEqual(['gtzan', 'musicnn']);
    expect(disputeLine(opinions.get('heavy_metal')!, disputes.heavy_metal!.genres[0]!)).toMatch(/^Classical: dispute \d+% — GTZAN model Classical \d+% against Metal \d+%.*; MusiCNN cannot judge Classical$/);
  });

  it('suggests Jazz for swing and Metal or Rock for heavy metal', () => {
    expect(combineOpinions(taxonomy, opinions.get('swing')!).suggestions[0]!.genre).toBe('Jazz');
    expect(combineOpinions(taxonomy, opinions.get('heavy_metal')!).suggestions.slice(0, 2).map((s) => s.genre).sort()).toEqual(['Metal', 'Rock']);
  });
});

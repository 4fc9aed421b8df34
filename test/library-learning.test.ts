import { beforeAll, describe, expect, it } from 'vitest';
import { loadTensorFlow, type TfRuntime } from '../src-main/core/model/tf-runtime.ts';
import { learnLibrary, type LearningTrack } from '../src-main/core/learning/learn-library.ts';
import { artistGroups } from '../src-main/core/learning/artist-folds.ts';
import { buildVocabulary } from '../src-main/core/learning/genre-vocabulary.ts';
import { scoreTaggingNoise, simulateTaggingNoise } from '../src-main/core/learning/tagging-noise-evaluation.ts';
import { SonorityError } from '../src-main/core/errors.ts';
import { gtzanLibrary } from '../bench/learning-eval.ts';
import { syntheticLearningLibrary } from '../bench/learning-speed.ts';

const gtzan = gtzanLibrary();
const GENRES = [...new Set(gtzan.map((t) => t.genre!))].sort();
const key = (artist: string | null) => artist?.toLowerCase().replace(/\s+/g, '') ?? null;

/** GTZAN with the genre of the given tracks replaced. */
function relabel(changes: [trackIds: number[], genre: string][]): LearningTrack[] {
  const genreOf = new Map(changes.flatMap(([ids, genre]) => ids.map((id) => [id, genre] as const)));
  return gtzan.map((t) => ({ ...t, genre: genreOf.get(t.trackId) ?? t.genre }));
}

/** The ids of the tracks of `genre`, interleaved across artist groups (each group's first track, then each one's second, …). */
function interleaved(genre: string): number[] {
  const byGroup = new Map<string, number[]>();
  for (const t of gtzan.filter((t) => t.genre === genre)) {
    const group = key(t.artist) ?? `unknown ${t.trackId}`;
    byGroup.set(group, [...(byGroup.get(group) ?? []), t.trackId]);
  }
  const lists = [...byGroup.values()];
  return Array.from({ length: Math.max(...lists.map((l) => l.length)) }, (_, round) => lists.flatMap((l) => l.slice(round, round + 1))).flat();
}

/** How many artist groups the tracks span. */
function artistCount(ids: number[]): number {
  return new Set(artistGroups(gtzan.map((t) => t.artist)).filter((_, i) => ids.includes(i))).size;
}

describe('library learning on the GTZAN table as a library', () => {
  let runtime: TfRuntime;
  beforeAll(async () => {
    runtime = await loadTensorFlow({ SONORITY_TF_BACKEND: 'wasm' });
  });

  it('groups artists case- and space-insensitively, each unknown artist alone', () => {
    const groups = artistGroups(['The Beatles', ' the  BEATLES', null, 'Björk', '', null, 'Bjork']);
    expect(groups[0]).toBe(groups[1]);
    expect(new Set([groups[0], groups[2], groups[3], groups[4], groups[5], groups[6]]).size).toBe(6);
  });

  it('never puts an artist on both sides of a fold, and keeps the folds balanced and mixed', () => {
    const learning = learnLibrary(runtime, gtzan, { seed: 2 });
    expect(learning.folds).toBe(5);
    const foldsOf = new Map<string, Set<number>>();
    gtzan.forEach((t, i) => {
      if (t.artist !== null) foldsOf.set(key(t.artist)!, (foldsOf.get(key(t.artist)!) ?? new Set()).add(learning.opinions[i]!.fold!));
    });
    expect([...foldsOf.values()].every((folds) => folds.size === 1)).toBe(true);
    for (let f = 0; f < 5; f++) {
      const members = learning.opinions.filter((o) => o.fold === f);
      expect(Math.abs(members.length - 128)).toBeLessThan(15); // 640 / 5; measured sizes 124–136 (seeds 1–3)
      expect(new Set(members.map((o) => o.givenGenre)).size).toBe(10);
    }
  });

  it('is deterministic for a seed', () => {
    const [a, b] = [learnLibrary(runtime, gtzan, { seed: 3 }), learnLibrary(runtime, gtzan, { seed: 3 })];
    expect(b.opinions.map((o) => o.fold)).toEqual(a.opinions.map((o) => o.fold));
    expect(b.opinions.every((o, i) => o.probabilities.every((p, j) => p === a.opinions[i]!.probabilities[j]))).toBe(true);
    const other = learnLibrary(runtime, gtzan, { seed: 4 });
    expect(other.opinions.map((o) => o.fold)).not.toEqual(a.opinions.map((o) => o.fold));
  });

  it('ranks changed tags by doubt well above chance, and suggests genres for untagged tracks', () => {
    const library = simulateTaggingNoise(gtzan, GENRES, 1);
    const learning = learnLibrary(runtime, library.tracks, { seed: 1 });
    const scores = scoreTaggingNoise(library, learning);
    expect(scores.wrong).toBe(64);
    // Measured (wasm, doubt = 1 − p(given)): AUROC 0.836 and precision@64 0.438, where chance is 0.5 and 64/576 = 0.111.
    expect(scores.aurocDoubt).toBeGreaterThan(0.75);
    expect(scores.precisionAtK).toBeGreaterThan(0.3);
    // Measured: 77% of the untagged tracks get their true genre (chance ≈ 10%).
    expect(scores.untaggedSuggestionAccuracy).toBeGreaterThan(0.5);
    const untagged = learning.opinions.filter((_, i) => library.untagged[i]);
    expect(untagged).toHaveLength(64);
    for (const o of untagged) {
      expect(o).toMatchObject({ givenGenre: null, outOfFold: false, fold: null, doubt: null, flagged: false });
      expect(o.suggestedProbability).toBe(Math.max(...o.probabilities));
      expect(o.probabilities.reduce((a, p) => a + p, 0)).toBeCloseTo(1, 5);
    }
  });

  it('rolls a small genre up into its nearest parent with enough tracks, and excludes one with no parent', () => {
    const jazz = interleaved('jazz');
    const [bigBand, swing, bebop, polka] = [jazz.slice(0, 2), jazz.slice(2, 8), jazz.slice(8, 12), interleaved('rock').slice(0, 3)];
    const parents: Record<string, string> = { 'Big Band': 'Swing', Swing: 'jazz', Bebop: 'jazz' };
    const learning = learnLibrary(runtime, relabel([[bigBand, 'Big Band'], [swing, 'Swing'], [bebop, 'Bebop'], [polka, 'Polka']]), { parentOf: (g) => parents[g] ?? null });
    expect(learning.genres).toEqual([...GENRES, 'Swing'].sort());
    expect(learning.rolledUp).toEqual([{ from: 'Bebop', to: 'jazz', tracks: 4 }, { from: 'Big Band', to: 'Swing', tracks: 2 }]);
    expect(learning.excluded).toEqual([{ genre: 'Polka', tracks: 3, artists: artistCount(polka) }]);
    expect(bigBand.map((id) => learning.opinions[id]!.givenGenre)).toEqual(['Swing', 'Swing']);
    for (const id of polka) {
      expect(learning.opinions[id]).toMatchObject({ givenGenre: null, doubt: null, outOfFold: false, flagged: false });
      expect(learning.genres).toContain(learning.opinions[id]!.suggested);
    }
    expect(learning.trainedTracks).toBe(640 - 3);
  });

  it('excludes every genre of a chain that never gathers enough examples', () => {
    const groups = Int32Array.from({ length: 12 }, (_, i) => i);
    const given = ['Doom', 'Doom', 'Sludge', 'Rock', 'Rock', 'Rock', 'Rock', 'Rock', 'Jazz', 'Jazz', 'Jazz', 'Jazz'];
    const parents: Record<string, string> = { Doom: 'Metal', Sludge: 'Doom' };
    const vocabulary = buildVocabulary(given, groups, { minTracks: 4, minArtists: 2, parentOf: (g) => parents[g] ?? null });
    expect(vocabulary.genres).toEqual(['Jazz', 'Rock']);
    expect(vocabulary.excluded.map((e) => e.genre)).toEqual(['Doom', 'Sludge']);
    expect(vocabulary.rolledUp).toEqual([]);
    expect(vocabulary.trainedAs.slice(0, 3)).toEqual([null, null, null]);
  });

  it('refuses, naming the counts, when fewer than two genres have enough examples', () => {
    const [blues, jazz] = [interleaved('blues'), interleaved('jazz').slice(0, 4)];
    const tracks = [...blues, ...jazz].map((id) => gtzan[id]!);
    let error: unknown;
    try {
      learnLibrary(runtime, tracks);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SonorityError);
    expect((error as SonorityError).code).toBe('too-few-examples');
    expect((error as SonorityError).message).toMatch(/at least 2 genres with 5 trusted tracks from 2 artists each, and only blues has that many/);
    expect((error as SonorityError).message).toContain(`blues: ${blues.length} tracks, ${artistCount(blues)} artists; jazz: 4 tracks, ${artistCount(jazz)} artists`);
  });

  it('learns a track with two trusted genres towards both, and doubts them together', () => {
    const jazz = interleaved('jazz').slice(0, 40);
    const twoGenres = gtzan.map((t) => (jazz.includes(t.trackId) ? { ...t, alsoGenres: ['blues'] } : t));
    const single = learnLibrary(runtime, gtzan, { seed: 3 });
    const multi = learnLibrary(runtime, twoGenres, { seed: 3 });
    const blues = multi.genres.indexOf('blues');
    const meanBlues = (learning: typeof multi) => jazz.reduce((sum, id) => sum + learning.opinions[id]!.probabilities[blues]!, 0) / jazz.length;
    expect(meanBlues(multi)).toBeGreaterThan(meanBlues(single) + 0.05);
    for (const id of jazz) {
      const o = multi.opinions[id]!;
      expect(o.givenGenres).toEqual(['jazz', 'blues']);
      expect(o.doubt).toBeCloseTo(1 - o.probabilities[multi.genres.indexOf('jazz')]! - o.probabilities[blues]!, 6);
    }
    expect(multi.opinions.filter((o) => !jazz.includes(o.trackId) && o.givenGenre !== null).every((o) => o.givenGenres.length === 1)).toBe(true);
  });

  it('leaves no tensor behind and reports every training step, out-of-fold fits then the final fit', () => {
    const before = runtime.tf.memory().numTensors;
    const progress: [number, number][] = [];
    const learning = learnLibrary(runtime, gtzan, { folds: 4, onProgress: (done, total) => progress.push([done, total]) });
    expect(runtime.tf.memory().numTensors).toBe(before);
    expect(learning.folds).toBe(4);
    expect(learning.learner).toBe('regression'); // the table has no MusiCNN sequences
    const total = progress[0]![1];
    expect(progress.every(([, t]) => t === total)).toBe(true);
    expect(progress.map(([done]) => done)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });

  it('the CRNN leaves no tensor behind either', () => {
    const before = runtime.tf.memory().numTensors;
    const learning = learnLibrary(runtime, syntheticLearningLibrary(60, 3), { folds: 3 });
    expect(learning.learner).toBe('crnn');
    expect(runtime.tf.memory().numTensors).toBe(before);
  }, 60_000);
});

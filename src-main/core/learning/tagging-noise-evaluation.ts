import { createRandom, permutation } from '../model/prng.ts';
import { normalisedMarginDoubt } from './confident-learning.ts';
import { auroc } from '../model/metrics.ts';
import type { LearningTrack, LibraryLearning } from './learn-library.ts';

/**
 * How well library learning finds wrong tags and fills in missing ones, on a
 * library whose true genres are known: simulate the mistakes, learn, score.
 */

/** A library with simulated tagging mistakes, and the truth. */
export interface NoisyLibrary {
  tracks: LearningTrack[];
  /** Each track's true genre (its genre before the simulation). */
  truth: string[];
  corrupted: boolean[];
  untagged: boolean[];
}

/**
 * Copies `tracks` (each with its true genre) and, in a seeded random order,
 * gives `corruptFraction` of them a uniformly random *other* genre of
 * `vocabulary` and removes the genre of another `untagFraction`.
 */
export function simulateTaggingNoise(tracks: readonly LearningTrack[], vocabulary: readonly string[], seed: number, corruptFraction = 0.1, untagFraction = 0.1): NoisyLibrary {
  const random = createRandom(seed);
  const order = permutation(tracks.length, random);
  const corruptCount = Math.round(corruptFraction * tracks.length);
  const untagCount = Math.round(untagFraction * tracks.length);
  const corrupted = new Array<boolean>(tracks.length).fill(false);
  const untagged = new Array<boolean>(tracks.length).fill(false);
  order.subarray(0, corruptCount).forEach((i) => (corrupted[i] = true));
  order.subarray(corruptCount, corruptCount + untagCount).forEach((i) => (untagged[i] = true));
  const truth = tracks.map((t) => t.genre!);
  const noisy = tracks.map((track, i) => {
    if (untagged[i]) return { ...track, genre: null };
    if (!corrupted[i]) return { ...track };
    const others = vocabulary.filter((genre) => genre !== truth[i]);
    return { ...track, genre: others[Math.floor(random() * others.length)]! };
  });
  return { tracks: noisy, truth, corrupted, untagged };
}

/** What the learning got right on a noisy library. */
export interface TaggingNoiseScores {
  /** Trained tracks whose trained genre is not their true genre (after the same roll-up). */
  wrong: number;
  trained: number;
  aurocDoubt: number;
  /** AUROC of the normalised-margin score, for comparison. */
  aurocMargin: number;
  /** Precision of the `wrong` tracks of highest doubt (k = wrong). */
  precisionAtK: number;
  /** The same for the normalised-margin score. */
  precisionAtKMargin: number;
  flaggedPrecision: number;
  flaggedRecall: number;
  /** Suggestion = true genre, over corrupted (resp. untagged) tracks whose true genre is learned. */
  corruptedSuggestionAccuracy: number;
  untaggedSuggestionAccuracy: number;
  outOfFoldAccuracy: number;
}

/** Scores `learning` of `library.tracks` against the truth; the true genre of a track is read through the learning's roll-ups. */
export function scoreTaggingNoise(library: NoisyLibrary, learning: LibraryLearning): TaggingNoiseScores {
  const rolled = new Map(learning.rolledUp.map((r) => [r.from, r.to]));
  const learned = (genre: string) => (learning.genres.includes(genre) ? genre : rolled.get(genre) ?? null);
  const truth = library.truth.map(learned);
  const opinions = learning.opinions;
  const trained = opinions.map((_, i) => i).filter((i) => opinions[i]!.doubt !== null);
  const wrong = trained.map((i) => opinions[i]!.givenGenre !== truth[i]);
  const wrongCount = wrong.filter(Boolean).length;
  const doubts = trained.map((i) => opinions[i]!.doubt!);
  const margins = trained.map((i) => normalisedMarginDoubt(opinions[i]!.probabilities, learning.genres.indexOf(opinions[i]!.givenGenre!)));
  const precisionAtK = (scores: number[]) => trained.map((_, j) => j).sort((a, b) => scores[b]! - scores[a]!).slice(0, wrongCount).filter((j) => wrong[j]).length / wrongCount;
  const flagged = trained.map((i) => opinions[i]!.flagged);
  const flaggedWrong = flagged.filter((f, j) => f && wrong[j]).length;
  const accuracy = (picked: boolean[]) => {
    const rows = opinions.map((_, i) => i).filter((i) => picked[i] && truth[i] !== null);
    return rows.filter((i) => opinions[i]!.suggested === truth[i]).length / rows.length;
  };
  return {
    wrong: wrongCount, trained: trained.length,
    aurocDoubt: auroc(doubts, wrong), aurocMargin: auroc(margins, wrong),
    precisionAtK: precisionAtK(doubts), precisionAtKMargin: precisionAtK(margins),
    flaggedPrecision: flaggedWrong / flagged.filter(Boolean).length, flaggedRecall: flaggedWrong / wrongCount,
    corruptedSuggestionAccuracy: accuracy(library.corrupted), untaggedSuggestionAccuracy: accuracy(library.untagged),
    outOfFoldAccuracy: learning.outOfFoldAccuracy,
  };
}

import type { TfRuntime } from '../model/tf-runtime.ts';
import { SonorityError } from '../errors.ts';
import { artistGroups, assignFolds } from './artist-folds.ts';
import { buildVocabulary, countGenres, type GenreCount } from './genre-vocabulary.ts';
import { learningInputs } from './learning-inputs.ts';
import { fitSoftmaxRegressions } from './batched-softmax-regression.ts';
import { classThresholds, confidentlyMislabelled, selfConfidenceDoubt } from './confident-learning.ts';

/** One track of the user's library, as library learning reads it. */
export interface LearningTrack {
  trackId: number;
  /** Artist, for grouping folds; null = unknown → the track is its own group. Compared case- and space-insensitively. */
  artist: string | null;
  /** The 57 descriptors (GTZAN column order, raw values): the mean of the track's 30-s windows. */
  descriptors: ArrayLike<number>;
  /** The base model's embedding for the track (64 values), or null when it has none (then descriptors only, for every track). */
  embedding: ArrayLike<number> | null;
  /** The trusted genre (display name in the user's vocabulary), or null: untagged or not trusted → gets a suggestion only. */
  genre: string | null;
}

/** How library learning decides and trains. */
export interface LearningOptions {
  /** Artist-grouped folds for the out-of-fold predictions (default 5; fewer when there are fewer artist groups). */
  folds?: number;
  /** A genre needs this many trusted tracks (default 5) … */
  minTracks?: number;
  /** … from at least this many artist groups (default 2). */
  minArtists?: number;
  /** Broader genre of a genre (taxonomy parent) or null: a genre with too few examples is rolled up into its parent (repeatedly) when that helps; otherwise its tracks are left out of training (they still get suggestions). */
  parentOf?: (genre: string) => string | null;
  /** Orders the folds and the batches (default 1). */
  seed?: number;
  /** Fits done / fits total (k folds + the final fit). All fits train together, so `done` counts fits' worth of training steps. */
  onProgress?: (done: number, total: number) => void;
}

/** What library learning thinks of one track. */
export interface LearnedOpinion {
  trackId: number;
  /** The genre it was trained as (after roll-up), or null (untagged, untrusted, or its genre has too few examples). */
  givenGenre: string | null;
  /** Probabilities over `genres`: out-of-fold for trained tracks, from the all-data fit for the others. */
  probabilities: Float32Array;
  outOfFold: boolean;
  /** The fold that held the track out (0 … folds − 1), or null for a track not trained on. */
  fold: number | null;
  /** Trained tracks: how likely the given genre is wrong, 0…1 (the normalised margin); null otherwise. */
  doubt: number | null;
  /** Confident-learning verdict: the given genre is likely wrong (another genre clears its per-class threshold, confident-joint style). */
  flagged: boolean;
  /** The most probable genre and its probability. */
  suggested: string;
  suggestedProbability: number;
}

/** A classifier of the user's own genres, with its opinion of every track. */
export interface LibraryLearning {
  /** The learned vocabulary, sorted. */
  genres: string[];
  /** Too few examples and no parent to roll into. */
  excluded: GenreCount[];
  rolledUp: { from: string; to: string; tracks: number }[];
  trainedTracks: number;
  folds: number;
  outOfFoldAccuracy: number;
  /** Per-genre confident-learning thresholds (mean out-of-fold probability of the genre over tracks given it), in `genres` order. */
  thresholds: number[];
  /** One per input track, in input order. */
  opinions: LearnedOpinion[];
  /** Whether the base model's embedding was an input (every track had one). */
  usedEmbedding: boolean;
  backend: string;
  seconds: number;
}

function tooFewExamples(counts: GenreCount[], learnable: string[], minTracks: number, minArtists: number): SonorityError {
  const listed = [...counts].sort((a, b) => b.tracks - a.tracks).slice(0, 8)
    .map((c) => `${c.genre}: ${c.tracks} track${c.tracks === 1 ? '' : 's'}, ${c.artists} artist${c.artists === 1 ? '' : 's'}`);
  const found = learnable.length === 0 ? 'no genre has' : `only ${learnable[0]} has`;
  const tagged = counts.length === 0 ? 'no track has a trusted genre' : `trusted genres: ${listed.join('; ')}${counts.length > 8 ? `; and ${counts.length - 8} more` : ''}`;
  return new SonorityError('too-few-examples', `learning your genres needs at least 2 genres with ${minTracks} trusted tracks from ${minArtists} artists each, and ${found} that many (${tagged})`);
}

/**
 * Learns the user's genres from the tracks' trusted genres: decides the
 * vocabulary (rolling small genres up via `parentOf`, excluding the rest),
 * splits the trained tracks into artist-grouped folds, fits a multinomial
 * logistic regression per fold and one on all of them (all at once), and
 * scores every trained track's genre by its out-of-fold probabilities
 * (confident learning); every track gets a suggestion. Throws
 * `too-few-examples` when fewer than 2 genres have enough examples.
 */
export function learnLibrary(runtime: TfRuntime, tracks: readonly LearningTrack[], options: LearningOptions = {}): LibraryLearning {
  const started = performance.now();
  const { folds: requestedFolds = 5, minTracks = 5, minArtists = 2, seed = 1 } = options;
  if (!Number.isInteger(requestedFolds) || requestedFolds < 2) throw new RangeError(`folds must be an integer of at least 2, got ${requestedFolds}`);
  const groups = artistGroups(tracks.map((t) => t.artist));
  const given = tracks.map((t) => t.genre);
  const vocabulary = buildVocabulary(given, groups, { minTracks, minArtists, parentOf: options.parentOf });
  const { genres } = vocabulary;
  if (genres.length < 2) throw tooFewExamples(countGenres(given, groups), genres, minTracks, minArtists);
  const labels = Int32Array.from(vocabulary.trainedAs, (genre) => (genre === null ? -1 : genres.indexOf(genre)));
  const fold = assignFolds(groups, labels, requestedFolds, seed);
  const folds = fold.reduce((most, f) => Math.max(most, f), -1) + 1;
  const inputs = learningInputs(tracks);
  const fits = folds + 1;
  const all = fitSoftmaxRegressions(runtime.tf, { x: inputs.values, width: inputs.width, classes: genres.length, labels, heldOutBy: fold, fits, seed, onProgress: options.onProgress });
  const probabilities = tracks.map((_, i) => {
    const f = fold[i]! >= 0 ? fold[i]! : folds;
    return all.slice((i * fits + f) * genres.length, (i * fits + f + 1) * genres.length);
  });
  const trained = [...labels.keys()].filter((i) => labels[i]! >= 0);
  const thresholds = classThresholds(trained.map((i) => probabilities[i]!), trained.map((i) => labels[i]!), genres.length);
  const opinions = tracks.map((track, i): LearnedOpinion => {
    const p = probabilities[i]!;
    const top = p.indexOf(Math.max(...p));
    const label = labels[i]!;
    return {
      trackId: track.trackId, givenGenre: vocabulary.trainedAs[i]!, probabilities: p, outOfFold: label >= 0, fold: label >= 0 ? fold[i]! : null,
      doubt: label >= 0 ? selfConfidenceDoubt(p, label) : null,
      flagged: label >= 0 && confidentlyMislabelled(p, label, thresholds),
      suggested: genres[top]!, suggestedProbability: p[top]!,
    };
  });
  const correct = trained.filter((i) => opinions[i]!.suggested === vocabulary.trainedAs[i]).length;
  return {
    genres, excluded: vocabulary.excluded, rolledUp: vocabulary.rolledUp, trainedTracks: trained.length, folds,
    outOfFoldAccuracy: correct / trained.length, thresholds, opinions, usedEmbedding: inputs.usedEmbedding,
    backend: runtime.backend, seconds: (performance.now() - started) / 1000,
  };
}

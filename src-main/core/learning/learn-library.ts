import type { TfRuntime } from '../model/tf-runtime.ts';
import { SonorityError } from '../errors.ts';
import { artistGroups, assignFolds } from './artist-folds.ts';
import { buildVocabulary, countGenres, learnedClasses, type GenreCount } from './genre-vocabulary.ts';
import { prepareLearner, type KeptNetwork, type LearnerName, type PreparedLearner } from './learners.ts';
import { calibratedProbabilities, fitLearningCalibration, type LearningCalibration } from './calibration.ts';
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
  /** MusiCNN's patch embeddings (row-major `patches × 200`, empty without a patch), or null/absent when MusiCNN has not analysed the track. */
  sequence?: Float32Array | null;
  /** The track is unlike the music the experts know (the base model's descriptor check): library learning abstains on it. */
  outOfDistribution?: boolean;
  /** The trusted genre (display name in the user's vocabulary), or null: untagged or not trusted → gets a suggestion only. */
  genre: string | null;
  /** Further trusted genres of the track (a multi-genre tag): trained on too (the target is spread over all it has learned), and none of them is doubted alone. */
  alsoGenres?: readonly string[];
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
  /** Default: `crnn` when MusiCNN has analysed every track, else `regression`. */
  learner?: LearnerName;
  /** Leave the flagged tags out of the final fit that suggests genres (default true; false is measured beside it). */
  prune?: boolean;
  /** Training steps done / total: the out-of-fold fits (all at once), then the final fit. */
  onProgress?: (done: number, total: number) => void;
  /** Stops training with `signal.reason` once aborted. */
  signal?: AbortSignal;
}

/** What library learning thinks of one track. */
export interface LearnedOpinion {
  trackId: number;
  /** The genre it was trained as (after roll-up), or null (untagged, untrusted, or its genre has too few examples). */
  givenGenre: string | null;
  /** Every learned genre it was trained as: `givenGenre` and those of `alsoGenres` the vocabulary has (after roll-up). */
  givenGenres: string[];
  /** Calibrated probabilities over `genres`: out-of-fold for trained tracks, from the final fit (without the flagged tags) for the others. */
  probabilities: Float32Array;
  outOfFold: boolean;
  /** The fold that held the track out (0 … folds − 1), or null for a track not trained on. */
  fold: number | null;
  /** Trained tracks: how likely the given genre is wrong, 0…1 (1 − its calibrated out-of-fold probability, or of all its genres together); null otherwise or when abstaining. */
  doubt: number | null;
  /** Out of distribution (or, for the CRNN, no MusiCNN patch to read): no doubt, no flag, and the suggestion is not offered. */
  abstained: boolean;
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
  learner: LearnerName;
  calibration: LearningCalibration;
  /** Trained tracks whose flagged tags the final fit left out. */
  pruned: number;
  /** The final fit's network, kept to score tracks scanned later (CRNN only). */
  kept: KeptNetwork | null;
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

/** The learner used when none is named: the CRNN when MusiCNN has analysed every track. */
export function defaultLearner(tracks: readonly LearningTrack[]): LearnerName {
  return tracks.length > 0 && tracks.every((t) => t.sequence !== undefined && t.sequence !== null) ? 'crnn' : 'regression';
}

/** Row i's slice of fit f's logits in a rows × fits × classes block. */
function rowOf(logits: Float32Array, row: number, fit: number, fits: number, classes: number): Float32Array {
  return logits.subarray((row * fits + fit) * classes, (row * fits + fit + 1) * classes);
}

/** Each trained track's learned genres (its trained genre first, then the others it has that the vocabulary learned), as class indices; empty for the others. */
function learnedGenresOf(tracks: readonly LearningTrack[], trainedAs: readonly (string | null)[], genres: readonly string[], rolledUp: readonly { from: string; to: string }[]): number[][] {
  return tracks.map((track, i) => (trainedAs[i] === null ? [] : learnedClasses([trainedAs[i]!, ...(track.alsoGenres ?? [])], genres, rolledUp)));
}

/** rows × classes targets: each track's learned genres share its target equally. */
function spreadTargets(learned: readonly number[][], classes: number): Float32Array {
  const targets = new Float32Array(learned.length * classes);
  learned.forEach((set, row) => set.forEach((c) => (targets[row * classes + c] = 1 / set.length)));
  return targets;
}

/** Out-of-fold calibrated probabilities of the trained rows, and the calibration they were fitted with. */
function outOfFold(runtime: TfRuntime, learner: PreparedLearner, labels: Int32Array, targets: Float32Array, fold: Int32Array, folds: number, classes: number, options: LearningOptions & { seed: number }) {
  const total = 2 * learner.steps;
  const { logits } = learner.fit(runtime.tf, { classes, labels, targets, heldOutBy: fold, fits: folds, seed: options.seed, signal: options.signal, onStep: (done) => options.onProgress?.(done, total) });
  const trained = [...labels.keys()].filter((i) => labels[i]! >= 0);
  const calibration = fitLearningCalibration(trained.map((i) => rowOf(logits, i, fold[i]!, folds, classes)), trained.map((i) => labels[i]!), classes);
  const probabilities = new Map(trained.map((i) => [i, calibratedProbabilities(rowOf(logits, i, fold[i]!, folds, classes), calibration)]));
  return { calibration, probabilities, trained };
}

/** One track's opinion from its calibrated probabilities and what training decided about it. */
function opinionOf(track: LearningTrack, t: { label: number; fold: number; genres: string[]; learned: number[]; trainedAs: string | null; abstained: boolean; flagged: boolean; probabilities: Float32Array }): LearnedOpinion {
  const p = t.probabilities;
  const top = p.indexOf(Math.max(...p));
  const trained = t.label >= 0;
  return {
    trackId: track.trackId, givenGenre: t.trainedAs, givenGenres: t.learned.map((c) => t.genres[c]!), probabilities: p, outOfFold: trained, fold: trained ? t.fold : null,
    doubt: trained && !t.abstained ? selfConfidenceDoubt(p, t.learned) : null, abstained: t.abstained,
    flagged: t.flagged, suggested: t.genres[top]!, suggestedProbability: p[top]!,
  };
}

/**
 * Learns the user's genres from the tracks' trusted genres: decides the
 * vocabulary (rolling small genres up via `parentOf`, excluding the rest),
 * splits the trained tracks into artist-grouped folds, fits the learner once
 * per fold (all at once) and calibrates its out-of-fold probabilities
 * (temperature, then shrinkage for genres with few examples); scores every
 * trained track's genre by them (confident learning); then fits once more
 * without the tags it flagged (prune and retrain) for the other tracks'
 * suggestions. It abstains on out-of-distribution tracks (and the CRNN on
 * tracks too short for a MusiCNN patch). Throws
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
  const classes = genres.length;
  const labels = Int32Array.from(vocabulary.trainedAs, (genre) => (genre === null ? -1 : genres.indexOf(genre)));
  const fold = assignFolds(groups, labels, requestedFolds, seed);
  const folds = fold.reduce((most, f) => Math.max(most, f), -1) + 1;
  const learner = prepareLearner(options.learner ?? defaultLearner(tracks), tracks);
  const learned = learnedGenresOf(tracks, vocabulary.trainedAs, genres, vocabulary.rolledUp);
  const targets = spreadTargets(learned, classes);
  const { calibration, probabilities, trained } = outOfFold(runtime, learner, labels, targets, fold, folds, classes, { ...options, seed });
  const thresholds = classThresholds(trained.map((i) => probabilities.get(i)!), trained.map((i) => labels[i]!), classes);
  const abstains = (i: number) => tracks[i]!.outOfDistribution === true || (learner.name === 'crnn' && !tracks[i]!.sequence?.length);
  const flagged = new Set(trained.filter((i) => !abstains(i) && confidentlyMislabelled(probabilities.get(i)!, learned[i]!, thresholds)));
  const pruned = options.prune === false ? labels : labels.map((label, i) => (flagged.has(i) ? -1 : label));
  const final = learner.fit(runtime.tf, { classes, labels: pruned, targets, heldOutBy: new Int32Array(tracks.length).fill(-1), fits: 1, seed: seed + 1, signal: options.signal, onStep: (done) => options.onProgress?.(learner.steps + done, 2 * learner.steps) });
  const opinions = tracks.map((track, i) => opinionOf(track, {
    label: labels[i]!, fold: fold[i]!, genres, learned: learned[i]!, trainedAs: vocabulary.trainedAs[i]!, abstained: abstains(i), flagged: flagged.has(i),
    probabilities: probabilities.get(i) ?? calibratedProbabilities(rowOf(final.logits, i, 0, 1, classes), calibration),
  }));
  const correct = trained.filter((i) => opinions[i]!.suggested === vocabulary.trainedAs[i]).length;
  return {
    genres, excluded: vocabulary.excluded, rolledUp: vocabulary.rolledUp, trainedTracks: trained.length, folds,
    outOfFoldAccuracy: correct / trained.length, thresholds, opinions, usedEmbedding: learner.usedEmbedding,
    learner: learner.name, calibration, pruned: options.prune === false ? 0 : flagged.size, kept: final.kept,
    backend: runtime.backend, seconds: (performance.now() - started) / 1000,
  };
}

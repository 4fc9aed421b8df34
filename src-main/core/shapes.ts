/**
 * The plain data the core hands to its callers and the API contract passes
 * on unchanged. No imports and nothing of Node's, so the renderer type-checks
 * against these same definitions (`src-main/api/contract.ts` re-exports them).
 */

/**
 * Where a track stands against the model: `disputed` (its genre tag, a genre
 * the model knows, disagrees with a confident prediction), `agrees`,
 * `untagged`, `unsure` (the model disagrees but is not confident),
 * `outside-model` (tagged only with genres the model cannot predict, such as
 * House: no conflict it could judge), or `out-of-distribution`.
 */
export type ReviewStatus = 'disputed' | 'agrees' | 'untagged' | 'unsure' | 'outside-model' | 'out-of-distribution';

/** A library row's status: a review status, or why there is none yet. */
export type TrackStatus = ReviewStatus | 'not-predicted';

/** A genre tag value as the file writes it, with the taxonomy's name(s) for it when they read differently (else null). */
export interface WrittenGenre {
  written: string;
  canonical: string | null;
}

/** A track's latest review decision as the library shows it: genres decided and not yet in the file, written (or already there), the tag kept, or skipped. */
export type DecisionState = 'to-write' | 'written' | 'kept' | 'skipped';

/** A model genre: its label, its display name, and a probability. */
export interface GenreProbability {
  label: string;
  genre: string;
  probability: number;
}

/**
 * MusiCNN's four classifiers for a track, each the probability (0 … 1) of
 * its positive class: danceable, aggressive, happy, relaxed (track means over
 * the analysed patches).
 */
export interface MusicnnHeads {
  danceability: number;
  aggressive: number;
  happy: number;
  relaxed: number;
}

/** The moods the Library and playlists filter on: a mood head at 0.5 or more. */
export type MoodName = 'aggressive' | 'happy' | 'relaxed';

/** One name of a MusiCNN facet (a genre through the taxonomy, a mood tag, …) with its tag probability. */
export interface FacetScore {
  name: string;
  probability: number;
}

/** What the Track page shows of MusiCNN's analysis. */
export interface MusicnnView {
  model: string;
  /** Null when MusiCNN abstained: the track is shorter than one 3-second patch. */
  heads: MusicnnHeads | null;
  /** The moods whose head is at 0.5 or more. */
  headMoods: MoodName[];
  /** Each facet's names, most probable first (genres named through the taxonomy). */
  genres: FacetScore[];
  moods: FacetScore[];
  eras: FacetScore[];
  voice: FacetScore[];
  instrumentation: FacetScore[];
  /**
   * Per analysed window (with patches): its start (s) and MusiCNN's genre
   * evidence per broad genre (the largest tag probability in that genre's
   * tree, and its share of the window's evidence), largest first.
   */
  windows: { startSec: number; genres: { genre: string; named: string; probability: number; share: number }[] }[];
}

/** One analysed track as the library table shows it. */
export interface LibraryRow {
  id: number;
  /** The file's name, shown where the tags give no title. */
  fileName: string;
  /** The file's folder relative to the library root ('' at the root). */
  folder: string;
  title: string | null;
  artist: string | null;
  album: string | null;
  /** The file's genres as scanned, as display names. */
  genres: string[];
  /** The file's genre text as written, with the display name when the taxonomy maps it elsewhere. */
  writtenGenres: WrittenGenre[];
  /** The latest review decision about the track, or null when none was made. */
  decision: DecisionState | null;
  /** The experts' combined top genre and its confidence (`review/track-opinion.ts`); null when no expert speaks. */
  predicted: string | null;
  confidence: number | null;
  status: TrackStatus;
  /** MusiCNN's danceability and mood classifiers; null without a MusiCNN analysis (or when it abstained). */
  heads: MusicnnHeads | null;
  /** The moods whose head is at 0.5 or more. */
  moods: MoodName[];
}

/** Everything the track view shows about one track. */
export interface TrackDetail {
  id: number;
  path: string;
  fileName: string;
  /** The file's folder relative to the library root ('' at the root). */
  folder: string;
  title: string | null;
  artist: string | null;
  album: string | null;
  durationSec: number | null;
  format: string | null;
  genres: string[];
  /** The file's genre text as written, with the display name when the taxonomy maps it elsewhere. */
  writtenGenres: WrittenGenre[];
  status: TrackStatus;
  featureSet: string | null;
  /** The track tempo (BPM) and a few descriptors, means over the analysed windows. */
  tempo: number | null;
  descriptors: { name: string; value: number }[];
  /** The model's opinion, with display names; null without a model or a prediction by it. */
  prediction: {
    modelId: string;
    /** Every label with its display genre, most probable first. */
    probabilities: GenreProbability[];
    /** Per analysed window: its start (s) and probabilities in the order of `labels`. */
    windows: { startSec: number; probabilities: number[] }[];
    labels: string[];
    ambiguous: boolean;
    confident: boolean;
    outOfDistribution: boolean;
  } | null;
  /** The opinion of the classifier trained on the user's trusted tags, when one is trained. */
  library: LibraryOpinion | null;
  /** The experts' combined opinion (null without a prediction by the model or a MusiCNN analysis). */
  opinion: CombinedView | null;
  /** MusiCNN's analysis: heads, facets and genre timeline; null without one. */
  musicnn: MusicnnView | null;
  /** The decisions made about the track, newest first. */
  decisions: { id: number; action: string; genres: string[]; decidedAt: string }[];
}

/** A track waiting for a person's decision. */
export interface ReviewItem {
  trackId: number;
  title: string | null;
  /** The file's name and its folder relative to the library root, for a track without a title and on hover. */
  fileName: string;
  folder: string;
  artist: string | null;
  album: string | null;
  /** The file's genres, as display names. */
  genres: string[];
  /** The file's genre text as written, with the display name when the taxonomy maps it elsewhere. */
  writtenGenres: WrittenGenre[];
  status: ReviewStatus;
  ambiguous: boolean;
  /** Every model genre, most probable first. */
  alternatives: GenreProbability[];
  /** Why it is in the queue, for people. */
  reason: string;
  /** The opinion of the classifier trained on the user's trusted tags, when one is trained. */
  library: LibraryOpinion | null;
  /** The combined opinion of the experts (README: "One opinion from several experts"), which orders the queue. */
  opinion: CombinedView;
}

/** The combined genre opinion of a track, for people: its numbers and one line each. */
export interface CombinedView {
  /** The tag's dispute, 0 … 1 (disputed from 0.5; 0 when untagged or no expert knows its genre). */
  dispute: number;
  /** The combined top genre and its confidence (null when no expert speaks). */
  suggestedGenre: string | null;
  confidence: number | null;
  /** What each expert says: "GTZAN model: Classical 63%; MusiCNN: jazz 0.56". */
  experts: string;
  /** Per tag genre, why it is (not) disputed. */
  disputes: string[];
  /** Why the top genre is suggested, or null. */
  suggestion: string | null;
}

/** Which changes an apply proposes: pending decisions only, or also the combined opinion's top genre for undecided tracks (all = untagged and disputed). */
export type ApplyScope = 'decisions' | 'all' | 'untagged' | 'disputed';

/** One change an apply proposes, as people see it. */
export interface ApplyRow {
  trackId: number;
  title: string | null;
  /** The file's name and its folder relative to the library root. */
  fileName: string;
  folder: string;
  artist: string | null;
  /** The genres the library holds for the file. */
  oldGenres: string[];
  newGenres: string[];
  source: 'decision' | 'prediction';
  confidence: number | null;
}

/** A change the plan will not make (the write policy refuses it, or the file cannot take genres), with the reason in words. */
export interface ApplyRefusal {
  trackId: number | null;
  title: string | null;
  fileName: string;
  folder: string;
  /** `unwritable`: the file cannot take genres now (a failure of the apply); `policy`: the taxonomy's write policy refuses the genre. */
  kind: 'unwritable' | 'policy';
  message: string;
}

/** How one file of an apply went (or, in a dry run, would go): the old genres are the file's own. */
export interface WriteOutcome {
  trackId: number | null;
  title: string | null;
  /** The file's name and its folder relative to the library root (null when the track is no longer known). */
  fileName: string | null;
  folder: string | null;
  ok: boolean;
  changed: boolean;
  oldGenres: string[];
  newGenres: string[];
  /** Why it failed, in words. */
  message: string | null;
}

/** What an apply did (or would do). */
export interface ApplyResult {
  batchId: number | null;
  dryRun: boolean;
  written: number;
  unchanged: number;
  failed: number;
  outcomes: WriteOutcome[];
}

/** A write batch as the interface lists it. */
export interface WriteBatch {
  id: number;
  command: string;
  createdAt: string;
  /** Files it set out to replace (those already as asked, or refused before writing, have no entry). */
  files: number;
  /** Files it replaced, undone since or not. */
  written: number;
  /** Every file it wrote was restored since. */
  undone: boolean;
  /** The batch this one undoes. */
  undoes: number | null;
}

/** An undone batch in a person's terms. */
export interface UndoResult {
  undoBatchId: number;
  restored: number;
  /** The files that could not be restored (changed since the write, unreadable, …), in words. */
  failed: { title: string | null; fileName: string; folder: string; message: string }[];
}

/** How genres are written into files; the write commands' defaults. */
export interface Settings {
  /** ID3v2 version of a tag created in an MP3 without one (an existing tag keeps its version). */
  id3Version: 3 | 4;
  /** Joins several genres in ID3v2.3, which has one value per frame. */
  separator: string;
  /** Keep a rewritten file's modification time, or let it be the time of the write. */
  mtime: 'keep' | 'update';
}

/** The opinion of the classifier trained on the user's trusted tags (library learning), as people see it. */
export interface LibraryOpinion {
  libraryModelId: string;
  /** Where the opinion comes from, for people ("your library, out of fold"). */
  source: string;
  /** Its genres, in the user's vocabulary, most probable first (at most three), each with the trusted tracks it was learned from. */
  suggestions: { genre: string; probability: number; examples: number }[];
  /** The genre it learned the track as; null when the track was not learned from. */
  givenGenre: string | null;
  /** How likely that genre is wrong (0…1, the disputed ranking); null when not learned from. */
  doubt: number | null;
  /** It judges the track's genre wrong (confident learning). */
  flagged: boolean;
}

/** The classifier trained on the user's trusted tags, and what it found. */
export interface LearningSummary {
  libraryModelId: string;
  baseModelId: string;
  featureSet: string;
  trainedAt: string;
  /** `crnn`: a GRU over MusiCNN's patch embeddings; `regression`: logistic regression on the descriptors and the base model's embedding. */
  learner: 'crnn' | 'regression';
  /** The MusiCNN model the CRNN reads (null for the regression). */
  musicnnModel: string | null;
  /** The learned vocabulary with the trusted tracks of each genre. */
  genres: { genre: string; tracks: number }[];
  /** Genres with too few tracks or artists and no broader genre to join. */
  excluded: { genre: string; tracks: number; artists: number }[];
  /** Genres too rare on their own, learned as their broader genre. */
  rolledUp: { from: string; to: string; tracks: number }[];
  tagged: number;
  distrusted: number;
  decided: number;
  trainedTracks: number;
  folds: number;
  /** Out-of-fold accuracy against the trusted genres. */
  outOfFoldAccuracy: number;
  /** The temperature its out-of-fold logits were calibrated with (above 1: it was overconfident). */
  temperature: number;
  /** Trained tracks whose genre it judges wrong. */
  flagged: number;
  /** Of those, left out of the final fit that suggests genres (prune and retrain). */
  pruned: number;
  /** Tracks it gives no opinion of: out of distribution. */
  abstained: number;
  /** Tracks without a trusted genre that it suggests one for. */
  suggested: number;
  backend: string;
  seconds: number;
}

/** A trust rule as the interface lists it. */
export interface TrustRuleView {
  id: number;
  kind: 'track' | 'folder' | 'genre';
  /** The folder, genre, or the track's path. */
  target: string;
  /** The track of a track rule; null for folder and genre rules. */
  trackId: number | null;
  trusted: boolean;
}

/**
 * Which tracks a playlist may contain: ranges are inclusive; energy is the
 * loudness percentile in the library (0…1); danceability, aggressive, happy
 * and relaxed are MusiCNN's probabilities (0…1), which a track without
 * MusiCNN output fails.
 */
export interface PlaylistFiltersInput {
  genres?: string[];
  tempo?: [number, number];
  energy?: [number, number];
  durationSec?: [number, number];
  danceability?: [number, number];
  aggressive?: [number, number];
  happy?: [number, number];
  relaxed?: [number, number];
}

/** How a playlist is made: seeds and, for a path, the track to arrive at. */
export interface PlaylistRecipe {
  seeds: number[];
  to?: number;
  /** Tracks in all, the seeds among them unless `excludeSeeds`. */
  length: number;
  artistGap?: number;
  filters?: PlaylistFiltersInput;
  /** Leave the seeds out (by default they open the playlist, in their order; a path starts at its seed). */
  excludeSeeds?: boolean;
  weights?: Partial<Record<'timbre' | 'spectrum' | 'harmony' | 'tempo' | 'embedding' | 'musicnn', number>>;
}

/** One track of a playlist. */
export interface PlaylistTrack {
  trackId: number;
  title: string | null;
  artist: string | null;
  fileName: string;
  /** The file's genre tags, canonicalised through the taxonomy. */
  genres: string[];
  /** The experts' combined genre when the tags do not already say it (nor a subgenre of it); null when none is offered. */
  suggestedGenre: string | null;
  tempo: number;
  durationSec: number;
  /** Distance to the seeds (similar tracks) or to the previous track (a path). */
  distance: number;
}

/** A built or saved playlist. */
export interface Playlist {
  id: number | null;
  name: string | null;
  recipe: PlaylistRecipe;
  tracks: PlaylistTrack[];
  /** For a path: mean and max step distance, and the same for shuffled orders of its tracks. */
  smoothness: { mean: number; max: number; shuffledMean: number; shuffledMax: number } | null;
}

/** A saved playlist in the list. */
export interface PlaylistSummary {
  id: number;
  name: string;
  tracks: number;
  updatedAt: string;
}

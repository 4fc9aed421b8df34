/**
 * The one API between Sonority's interface and its core. Electron's main
 * process registers a handler for every method (IPC), the preload exposes
 * exactly these methods, the `serve` mode answers them over HTTP, and the
 * renderer calls them only through `src-renderer/src/lib/bridge.ts`.
 *
 * Each method is its parameter validator plus a phantom result type; payloads
 * are validated on arrival in main / the server. Tracks are referred to by id
 * only: the renderer never names a path main would read or write, and folders
 * come from the native dialog (or the folder `serve` was started on).
 * Renderer-safe: no Node imports.
 */
import { ApiInputError, arrayOf, boolean, integer, json, number, object, oneOf, optional, range, string, type Validator } from './validate.ts';

import type { TrainingProgress } from '../core/learning/train-in-background.ts';
import type { RetrainOffer } from '../core/learning/retrain-offer.ts';
import type { ApplyRefusal, ApplyResult, ApplyRow, ApplyScope, LearningSummary, LibraryRow, Playlist, PlaylistSummary, ReviewItem, Settings, TrackDetail, TrustRuleView, UndoResult, WriteBatch, WriteOutcome } from '../core/shapes.ts';
import type { ScanProgress } from '../core/scan/progress.ts';
import type { MapLayout } from '../core/map/map-store.ts';


// ── Data shapes (the core's own, from core/shapes.ts, and the API's) ───────

export type { TrainingProgress, RetrainOffer };
export type { ApplyRefusal, ApplyResult, ApplyRow, ApplyScope, FacetScore, GenreProbability, LearningSummary, LibraryOpinion, LibraryRow, MoodName, MusicnnHeads, MusicnnView, Playlist, PlaylistFiltersInput, PlaylistRecipe, PlaylistSummary, PlaylistTrack, ReviewItem, ReviewStatus, TrackDetail, TrackStatus, TrustRuleView, UndoResult, WriteBatch, WriteOutcome, WrittenGenre, DecisionState } from '../core/shapes.ts';

export interface AppInfo {
  mode: 'desktop' | 'serve';
  version: string;
  databasePath: string;
  /** The model's id, its feature set and the TensorFlow.js backend running it; null when no model loaded. */
  model: { id: string; featureSet: string; backend: string; genres: string[] } | null;
  /** Folders the interface may scan (the served folder; in the desktop app, those chosen in the dialog or scanned before). */
  scanFolders: string[];
  /** Whether a native folder dialog exists (desktop) or the folders are fixed (serve). */
  canChooseFolders: boolean;
}

export type LibrarySortColumn = 'title' | 'artist' | 'album' | 'genres' | 'predicted' | 'confidence' | 'status' | 'danceability';

export interface LibraryPage {
  total: number;
  /** Tracks in the library before the search and filter. */
  libraryTotal: number;
  offset: number;
  rows: LibraryRow[];
}

/** A mel spectrogram as an image: `height` mel bands (low first) × `width` columns, one byte (0–255 over `dbRange` dB below the peak) per cell, base64. */
export interface Spectrogram {
  width: number;
  height: number;
  pixels: string;
  durationSec: number;
  maxHz: number;
  dbRange: number;
}

export interface ApplyPlan {
  writes: ApplyRow[];
  refused: ApplyRefusal[];
}

/** A scan's progress, with the classify stage's count. */
export interface ScanProgressInfo extends ScanProgress {
  predicted: number;
  toPredict: number;
}

export interface ScanState {
  running: boolean;
  root: string | null;
  phase: 'idle' | 'scanning' | 'predicting' | 'done' | 'cancelled' | 'error';
  progress: ScanProgressInfo | null;
  /** Failures met in this scan, newest last (at most the latest 200). */
  failures: FailureInfo[];
  /** The error that stopped the scan, in words. */
  error: string | null;
}

export interface FailureInfo {
  path: string;
  stage: string;
  code: string;
  message: string;
  failedAt: string | null;
}

export type SettingsInfo = Settings;

/** A genre of the taxonomy file: its display name, the model label it stands for, its parent and aliases. */
export interface TaxonomyGenre {
  name: string;
  label?: string;
  parent?: string;
  aliases?: readonly string[];
}

/** The taxonomy file as the editor shows it; `policy` limits which genres are written. */
export interface TaxonomyDefinitionInfo {
  version: 1;
  genres: readonly TaxonomyGenre[];
  policy?: { whitelist: readonly string[]; outside: 'allow' | 'parent' | 'refuse' };
}

export interface TaxonomyInfo {
  path: string;
  definition: TaxonomyDefinitionInfo;
}

/** Library learning as the interface shows it: the trained classifier (null before the first training) and the trust rules. */
export interface LearningState {
  summary: LearningSummary | null;
  rules: TrustRuleView[];
  /** A training running in the background, or null. */
  training: TrainingProgress | null;
  /** Whether enough new trusted genres arrived to retrain (null before the first training). */
  retrain: RetrainOffer | null;
}

/** An exported playlist: saved through the native dialog (desktop), or its text for the browser to download (serve). */
export interface PlaylistExport {
  fileName: string;
  /** Where the desktop app saved it; null when it was not saved (serve, or the dialog was cancelled). */
  savedTo: string | null;
  /** The M3U8 text, for the browser to download (serve); null when the desktop app saved it. */
  text: string | null;
  tracks: number;
}

/** The library map's layout: which embedding it places, how, and how many tracks were placed since the last full fit (`core/map/map-store.ts`). */
export type MapLayoutInfo = MapLayout;

/** Bytes of one packed map point (see `MapPage.points`). */
export const MAP_POINT_BYTES = 20;

/**
 * One page of the library map's points, packed so 100,000 points travel as
 * ~2.7 MB of base64 in pages, not as tens of MB of JSON objects. Each point
 * is `MAP_POINT_BYTES` little-endian bytes: track id u32 (0), x f32 (4),
 * y f32 (8) in layout units, the file's first genre tag u16 (12) and the
 * experts' suggested genre u16 (14) as indexes into `genres` (0xFFFF: none),
 * MusiCNN's danceability u8 (16, 0–200 for 0–1; 255: none), flags u8 (17:
 * bit 0 happy, 1 relaxed, 2 aggressive, 7 disputed), tempo u16 (18, BPM × 10;
 * 0: none).
 */
export interface MapPage {
  /** Null before the first layout (no MusiCNN analysis yet, or none computed). */
  layout: MapLayoutInfo | null;
  total: number;
  offset: number;
  /** Base64 of the packed points of this page. */
  points: string;
  /** The genre names the points' genre indexes refer to (the same list for every page of one layout). */
  genres: string[];
}

/** The interface's pages in navigation order, with their shortcut keys (Alt+key in the page; CmdOrCtrl+key in the desktop menu). */
export const PAGES = [
  { page: 'library', label: 'Library', key: '1' },
  { page: 'scan', label: 'Scan', key: '2' },
  { page: 'review', label: 'Review', key: '3' },
  { page: 'playlists', label: 'Playlists', key: '4' },
  { page: 'apply', label: 'Apply', key: '5' },
  { page: 'settings', label: 'Settings', key: '6' },
  { page: 'map', label: 'Map', key: '7' },
] as const;

/** A page of the interface that can be navigated to. */
export type PageName = (typeof PAGES)[number]['page'];

/** What main pushes to the interface. */
export type ApiEvent =
  | { type: 'scan'; state: ScanState }
  | { type: 'write'; done: number; total: number; outcome: WriteOutcome }
  | { type: 'library-changed' }
  /** Library learning's progress, about once per training step. */
  | { type: 'learning'; progress: TrainingProgress }
  /** The library map changed (a layout computed, or new tracks placed): fetch its points again. */
  | { type: 'map-changed'; layout: MapLayoutInfo }
  /** A menu item asked for a page (desktop). */
  | { type: 'navigate'; page: PageName };

// ── Methods ────────────────────────────────────────────────────────────────

/** A method's parameter validator, carrying its result type. */
export interface Method<P, R> {
  params: Validator<P>;
  /** Phantom: the result type (never set). */
  result?: R;
}

const method = <R>() => <P>(params: Validator<P>): Method<P, R> => ({ params });
const none = object({});
const trackRef = object({ trackId: integer(1) });
const applyQuery = object({ scope: oneOf('decisions', 'all', 'untagged', 'disputed'), minConfidence: number(0, 1) });
const genreName = string(200);
const weight = optional(number(0, 100));
const playlistRecipe = object({
  seeds: arrayOf(integer(1), 20),
  to: optional(integer(1)),
  length: integer(1, 1000),
  artistGap: optional(integer(0, 100)),
  filters: optional(object({
    genres: optional(arrayOf(genreName, 50)), tempo: optional(range(0, 1000)), energy: optional(range(0, 1)), durationSec: optional(range(0, 86_400)),
    danceability: optional(range(0, 1)), aggressive: optional(range(0, 1)), happy: optional(range(0, 1)), relaxed: optional(range(0, 1)),
  })),
  weights: optional(object({ timbre: weight, spectrum: weight, harmony: weight, tempo: weight, embedding: weight, musicnn: weight })),
  excludeSeeds: optional(boolean),
});
const playlistRef = object({ playlistId: integer(1) });
const id3Version: Validator<3 | 4> = (value, at) => {
  if (value === 3 || value === 4) return value;
  throw new ApiInputError(`${at} must be 3 or 4, not ${JSON.stringify(value)}`);
};

export const CONTRACT = {
  appInfo: method<AppInfo>()(none),
  library: method<LibraryPage>()(object({
    offset: integer(0),
    limit: integer(1, 2000),
    search: optional(string(500)),
    status: optional(oneOf('disputed', 'agrees', 'untagged', 'unsure', 'outside-model', 'out-of-distribution', 'not-predicted')),
    sort: optional(oneOf('title', 'artist', 'album', 'genres', 'predicted', 'confidence', 'status', 'danceability')),
    descending: optional(boolean),
    /** Tracks with this mood (its MusiCNN head at 0.5 or more). */
    mood: optional(oneOf('aggressive', 'happy', 'relaxed')),
    /** Tracks whose MusiCNN danceability lies in this range (inclusive). */
    danceability: optional(range(0, 1)),
    /** Tracks by their latest decision: any decision, genres decided and not yet written, or none. */
    decision: optional(oneOf('decided', 'to-write', 'undecided')),
  })),
  trackDetail: method<TrackDetail>()(trackRef),
  /** Genre names to complete as people type: the taxonomy's genres and the genres written in the library's files, sorted. */
  genreNames: method<string[]>()(none),
  trackSpectrogram: method<Spectrogram>()(trackRef),
  reviewQueue: method<ReviewItem[]>()(none),
  decide: method<{ decisionId: number; genres: string[] }>()(object({
    trackId: integer(1),
    action: oneOf('accept', 'choose', 'custom', 'keep', 'skip'),
    genres: optional(arrayOf(genreName, 20)),
  })),
  undoDecision: method<{ trackId: number }>()(object({ decisionId: integer(1) })),
  applyPlan: method<ApplyPlan>()(applyQuery),
  applyRun: method<ApplyResult>()(object({ query: applyQuery, trackIds: arrayOf(integer(1)), dryRun: boolean })),
  writeBatches: method<WriteBatch[]>()(none),
  undoBatch: method<UndoResult>()(object({ batchId: integer(1) })),
  chooseFolder: method<{ path: string | null }>()(none),
  startScan: method<ScanState>()(object({ root: string(4096) })),
  cancelScan: method<ScanState>()(none),
  scanState: method<ScanState>()(none),
  failures: method<FailureInfo[]>()(none),
  getSettings: method<SettingsInfo>()(none),
  saveSettings: method<SettingsInfo>()(object({ id3Version: id3Version, separator: string(10), mtime: oneOf('keep', 'update') })),
  getTaxonomy: method<TaxonomyInfo>()(none),
  saveTaxonomy: method<TaxonomyInfo>()(object({ definition: json })),
  learningState: method<LearningState>()(none),
  /** Trains in a worker thread and resolves when it is stored (progress comes as `learning` events); refused while one runs. */
  learnGenres: method<LearningState>()(none),
  /** Stops the running training at its next step; the previous library model stays. */
  cancelLearning: method<LearningState>()(none),
  setTrust: method<LearningState>()(object({
    kind: oneOf('track', 'folder', 'genre'),
    /** The track (kind track), or the folder or genre (kinds folder and genre). */
    trackId: optional(integer(1)),
    target: optional(string(4096)),
    /** Absent: remove the rule. */
    trusted: optional(boolean),
  })),
  buildPlaylist: method<Playlist>()(playlistRecipe),
  savePlaylist: method<PlaylistSummary[]>()(object({ name: string(200), recipe: playlistRecipe, tracks: arrayOf(object({ trackId: integer(1), distance: number(0) }), 1000) })),
  playlists: method<PlaylistSummary[]>()(none),
  openPlaylist: method<Playlist>()(playlistRef),
  deletePlaylist: method<PlaylistSummary[]>()(playlistRef),
  /** One page of the library map's points (packed; see `MapPage`). */
  mapPoints: method<MapPage>()(object({ offset: integer(0), limit: integer(1, 50_000) })),
  /** Lays the whole library out again (in a worker; resolves when stored, then a `map-changed` event). */
  mapRecompute: method<MapLayoutInfo>()(none),
  /** Records the same typed genres as a decision for each of these tracks (a map selection), written only by Apply. */
  decideMany: method<{ decided: number }>()(object({ trackIds: arrayOf(integer(1), 100_000), genres: arrayOf(genreName, 20) })),
  exportPlaylist: method<PlaylistExport>()(object({ name: string(200), trackIds: arrayOf(integer(1), 1000), paths: oneOf('absolute', 'relative') })),
};

export type MethodName = keyof typeof CONTRACT;
export type ParamsOf<K extends MethodName> = (typeof CONTRACT)[K] extends Method<infer P, unknown> ? P : never;
export type ResultOf<K extends MethodName> = (typeof CONTRACT)[K] extends Method<unknown, infer R> ? R : never;

/** The API as the renderer sees it: every method returns a promise of its result. */
export type Api = { [K in MethodName]: (params: ParamsOf<K>) => Promise<ResultOf<K>> };

/** What implements the API in main / the server (may answer synchronously). */
export type Handlers = { [K in MethodName]: (params: ParamsOf<K>) => ResultOf<K> | Promise<ResultOf<K>> };

/** Every method name, in contract order. */
export const METHOD_NAMES = Object.keys(CONTRACT) as MethodName[];

/** The preload's extra member: subscribe to pushed events; returns an unsubscribe function. */
export const EVENTS_KEY = 'onEvent';

/** What the preload exposes as `window.sonority`: every method (answering with an envelope, since Electron flattens thrown errors) and `onEvent`. */
export type ExposedApi = { [K in MethodName]: (params: ParamsOf<K>) => Promise<Envelope<ResultOf<K>>> } & { [EVENTS_KEY]: (listener: (event: ApiEvent) => void) => () => void };

/** IPC channel of a method; events travel on `EVENT_CHANNEL`. */
export const channelOf = (name: MethodName): string => `sonority:${name}`;
export const EVENT_CHANNEL = 'sonority:event';

/** An error as it crosses the boundary: a stable code and a message for people. */
export interface ApiErrorPayload {
  code: string;
  message: string;
}

/** Every reply, over IPC and HTTP alike. */
export type Envelope<R> = { ok: true; value: R } | { ok: false; error: ApiErrorPayload };

/** Validates a payload for `name`; throws `ApiInputError` naming the bad field. */
export function parseParams<K extends MethodName>(name: K, payload: unknown): ParamsOf<K> {
  return (CONTRACT[name].params as Validator<ParamsOf<K>>)(payload ?? {}, name);
}

/** Whether `name` is a method of the contract. */
export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(CONTRACT, name);
}

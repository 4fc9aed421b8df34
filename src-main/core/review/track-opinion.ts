/**
 * The combined genre opinion (`../opinion/`) of the tracks in the library:
 * the experts built from what the scan stored (the GTZAN model's prediction,
 * MusiCNN's track-mean tags, the library model's opinion when one is
 * trained), and the review status that follows from it. The one rule the
 * review lists, the queue, `apply --min-confidence` and the track view use.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/open-database.ts';
import { float32FromBlob } from '../db/blobs.ts';
import { probabilitiesFromBlob } from '../db/compact-blobs.ts';
import { createLibraryModelsStore } from '../db/library-models-store.ts';
import { DEFAULT_MODEL_DIR } from '../model/model-files.ts';
import { readMusicnnMetadata } from '../musicnn/model-metadata.ts';
import { combineOpinions, disputeTrack, OPINION_DEFAULTS } from '../opinion/combine.ts';
import { broadGenreOf, type ExpertOpinion, type Reliability } from '../opinion/expert.ts';
import { gtzanOpinion, libraryOpinion, libraryReliability, musicnnOpinion, type ClassReliability } from '../opinion/experts.ts';
import { disputeLine, expertsLine, suggestionLine } from '../opinion/explain.ts';
import type { ReviewStatus } from '../shapes.ts';
import type { Taxonomy } from '../taxonomy/taxonomy.ts';

/** What the scan stored about one track for the experts. */
export interface OpinionInputs {
  /** The GTZAN model's prediction, or null without one. */
  prediction: { labels: readonly string[]; probabilities: ArrayLike<number>; ood: boolean; oodScore?: number } | null;
  /** MusiCNN's track-mean tags (empty when it abstained), or null without a MusiCNN analysis. */
  musicnnTags: ArrayLike<number> | null;
  /** The library model's opinion, or null without one. */
  library: ExpertOpinion | null;
}

/** The combined opinion of a track in one line each (`../opinion/explain.ts`). */
export interface OpinionExplanation {
  experts: string;
  disputes: string[];
  suggestion: string | null;
}

/** The combined opinion of one track, as the review lists use it. */
export interface TrackJudgement {
  status: ReviewStatus;
  /** The tag's combined dispute (its most disputed genre), 0 when untagged or no expert can judge it. */
  dispute: number;
  /** The combined top genre and its confidence, or null when no expert speaks. */
  suggestion: { genre: string; confidence: number } | null;
  /** One line each (computed when asked: the lists judge every track, people read few): what each expert says, why the tag's genres are (not) disputed, why the top genre is suggested. */
  explain: () => OpinionExplanation;
}

/** The experts of one track (the GTZAN model and MusiCNN when stored, the library model when trained). */
export function expertsOf(taxonomy: Taxonomy, inputs: OpinionInputs, gtzanReliability: readonly ClassReliability[]): ExpertOpinion[] {
  const experts: ExpertOpinion[] = [];
  if (inputs.prediction) {
    const p = inputs.prediction;
    experts.push(gtzanOpinion(taxonomy, { labels: p.labels, probabilities: p.probabilities, outOfDistribution: p.ood, oodScore: p.oodScore }, gtzanReliability));
  }
  if (inputs.musicnnTags) experts.push(musicnnOpinion(taxonomy, inputs.musicnnTags));
  if (inputs.library) experts.push(inputs.library);
  return experts;
}

/**
 * The review status of a track from the combined opinion:
 * `out-of-distribution` when the GTZAN model's descriptor check says so
 * (never disputed, never written); `untagged`; `outside-model` when no
 * expert knows any of its genres (it cannot be disputed); `disputed` at a
 * dispute of `OPINION_DEFAULTS.disputedAt` or more; `agrees` when the
 * combined top genre is one of its genres' broad genres; else `unsure`.
 */
export function judgeTrack(taxonomy: Taxonomy, inputs: OpinionInputs, tagGenres: readonly string[], gtzanReliability: readonly ClassReliability[]): TrackJudgement {
  const experts = expertsOf(taxonomy, inputs, gtzanReliability);
  const combined = combineOpinions(taxonomy, experts);
  const top = combined.suggestions.find((s) => s.confidence > 0) ?? null;
  const disputes = tagGenres.length ? disputeTrack(taxonomy, experts, tagGenres) : null;
  const status: ReviewStatus = inputs.prediction?.ood ? 'out-of-distribution'
    : !disputes ? 'untagged'
    : !disputes.disputable ? 'outside-model'
    : disputes.score >= OPINION_DEFAULTS.disputedAt ? 'disputed'
    : top && tagGenres.some((genre) => broadGenreOf(taxonomy, genre) === top.genre) ? 'agrees'
    : 'unsure';
  return {
    status,
    dispute: disputes?.score ?? 0,
    suggestion: top && { genre: top.genre, confidence: top.confidence },
    explain: () => ({
      experts: expertsLine(experts),
      disputes: disputes?.genres.map((d) => disputeLine(experts, d)) ?? [],
      suggestion: top && suggestionLine(experts, top),
    }),
  };
}

const cards = new Map<string, ClassReliability[]>();

/**
 * The GTZAN model's per-class validation precision and recall, from the
 * card of the shipped model when `modelId` is its id (another model: none,
 * so reliability 1).
 */
export function gtzanReliabilityOf(modelId: string, dir: string = DEFAULT_MODEL_DIR): ClassReliability[] {
  const key = `${dir}\0${modelId}`;
  if (!cards.has(key)) {
    let perClass: ClassReliability[] = [];
    try {
      const card = JSON.parse(fs.readFileSync(path.join(dir, 'card.json'), 'utf8')) as { modelId?: string; valid?: { perClass?: ClassReliability[] } };
      if (card.modelId === modelId) perClass = card.valid?.perClass ?? [];
    } catch {
      // no card: reliability 1
    }
    cards.set(key, perClass);
  }
  return cards.get(key)!;
}

let musicnnId: string | null | undefined;

/** The id of the MusiCNN model whose stored tags the experts read (null when its metadata is missing). */
export function musicnnModelId(): string | null {
  if (musicnnId === undefined) {
    try {
      musicnnId = readMusicnnMetadata().id;
    } catch {
      musicnnId = null;
    }
  }
  return musicnnId;
}

/** Every track's library-model expert over the base model (empty without a library model); it abstains (is left out) where it abstained in training or at scan. */
export function libraryExperts(db: Db, baseModelId: string, taxonomy: Taxonomy): Map<number, ExpertOpinion> {
  const store = createLibraryModelsStore(db);
  const model = store.current(baseModelId);
  if (!model) return new Map();
  const opinions = store.opinions(model.id);
  const trained = [...opinions.values()].filter((o) => o.outOfFold && o.givenGenre !== null).map((o) => ({ given: o.givenGenre!, suggested: o.suggested }));
  const reliability: Map<string, Reliability> = libraryReliability(trained);
  return new Map([...opinions].filter(([, o]) => !o.abstained).map(([trackId, o]) => [trackId, libraryOpinion(taxonomy, model.genres, o.probabilities, reliability)]));
}

/** A stored prediction's probabilities blob and MusiCNN tags blob as expert inputs. */
export function storedInputs(
  row: { labels: string | null; probabilities: Uint8Array | null; ood: number | null; oodScore: number | null; musicnnTags: Uint8Array | null; hasMusicnn: number },
  library: ExpertOpinion | undefined,
): OpinionInputs {
  return {
    prediction: row.labels && row.probabilities ? { labels: JSON.parse(row.labels) as string[], probabilities: float32FromBlob(row.probabilities), ood: row.ood === 1, oodScore: row.oodScore ?? undefined } : null,
    musicnnTags: row.hasMusicnn ? (row.musicnnTags ? probabilitiesFromBlob(row.musicnnTags) : new Float32Array(0)) : null,
    library: library ?? null,
  };
}

/**
 * The combined opinion of one track (the track view): null when the track
 * has neither a prediction by the model nor a MusiCNN analysis.
 */
export function judgeStoredTrack(db: Db, trackId: number, modelId: string, taxonomy: Taxonomy, tagGenres: readonly string[]): TrackJudgement | null {
  const row = db.prepare(`SELECT p.labels, p.probabilities, p.out_of_distribution AS ood, p.ood_score AS oodScore, m.tags AS musicnnTags, m.track_id IS NOT NULL AS hasMusicnn
    FROM tracks t LEFT JOIN predictions p ON p.track_id = t.id AND p.model_id = ? LEFT JOIN musicnn m ON m.track_id = t.id AND m.model = ?
    WHERE t.id = ? AND (p.track_id IS NOT NULL OR m.track_id IS NOT NULL)`).get(modelId, musicnnModelId(), trackId) as Parameters<typeof storedInputs>[0] | undefined;
  if (!row) return null;
  const library = libraryExperts(db, modelId, taxonomy).get(trackId);
  return judgeTrack(taxonomy, storedInputs(row, library), tagGenres, gtzanReliabilityOf(modelId));
}

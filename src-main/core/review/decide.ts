import os from 'node:os';
import type { Db } from '../db/open-database.ts';
import { SonorityError } from '../errors.ts';
import { createDecisionsStore, type DecisionAction } from '../db/decisions-store.ts';
import { float32FromBlob } from '../db/blobs.ts';
import { displayNameForLabel, genresToWrite, labelForGenre, type Taxonomy } from '../taxonomy/taxonomy.ts';

/** A decision as a person gives it: `accept` takes the model's top `count` genres (default 1), `choose` names one of the model's genres, `custom` any genres. */
export interface DecisionInput {
  action: DecisionAction;
  genres?: string[];
  count?: number;
}

/** The model's `count` most probable labels for a track, most probable first. */
function topLabels(row: { probabilities: Uint8Array; labels: string }, count: number): string[] {
  const probabilities = float32FromBlob(row.probabilities);
  const labels = JSON.parse(row.labels) as string[];
  return labels.map((label, i) => ({ label, p: probabilities[i]! })).sort((a, b) => b.p - a.p).slice(0, count).map((x) => x.label);
}

/**
 * Records a review decision for the track at `path`, resolving its genres:
 * `accept` takes the model's top genre (or top `count`), `choose` another genre the model
 * predicts, `custom` typed genres (through the taxonomy), `keep` and `skip`
 * none, all through the taxonomy's write policy. Returns the genres decided.
 * `model` may be null for `custom`, `keep` and `skip` (typed genres need no model).
 * Throws `no-model`, `not-in-library`, `no-prediction`, `not-a-model-genre` or `genre-not-allowed`.
 */
export function decide(db: Db, path: string, input: DecisionInput, model: { id: string; labels: string[] } | null, taxonomy: Taxonomy): string[] {
  if ((input.action === 'accept' || input.action === 'choose') && !model) throw new SonorityError('no-model', 'no genre model is loaded, so there is no model genre to accept or choose; type the genres instead');
  const track = db.prepare(`SELECT t.id, p.top_label AS top, p.probabilities, p.labels FROM tracks t LEFT JOIN predictions p ON p.track_id = t.id AND p.model_id = ? WHERE t.path = ? AND t.status = 'analysed'`)
    .get(model?.id ?? null, path) as { id: number; top: string | null; probabilities: Uint8Array; labels: string } | undefined;
  if (!track) throw new SonorityError('not-in-library', `${path} is not an analysed track of this library; scan its folder first`);
  if ((input.action === 'accept' || input.action === 'choose') && !track.top) throw new SonorityError('no-prediction', `${path} has no prediction by model ${model!.id}; scan its folder first`);
  let genres: string[] = [];
  if (input.action === 'accept') genres = genresToWrite(taxonomy, topLabels(track, input.count ?? 1).map((label) => displayNameForLabel(taxonomy, label)));
  if (input.action === 'choose') {
    const label = labelForGenre(taxonomy, input.genres?.[0] ?? '') ?? input.genres?.[0] ?? '';
    if (!model!.labels.includes(label)) throw new SonorityError('not-a-model-genre', `"${input.genres?.[0] ?? ''}" is not one of the model's genres (${model!.labels.map((l) => displayNameForLabel(taxonomy, l)).join(', ')}); use --genre for any other`);
    genres = genresToWrite(taxonomy, [displayNameForLabel(taxonomy, label)]);
  }
  if (input.action === 'custom') genres = genresToWrite(taxonomy, input.genres ?? []);
  createDecisionsStore(db).record({ trackId: track.id, action: input.action, genres, modelId: model?.id ?? null, decidedBy: os.userInfo().username });
  return genres;
}

import type { Db } from '../db/open-database.ts';
import { SonorityError } from '../errors.ts';
import { createDecisionsStore } from '../db/decisions-store.ts';
import { labelForGenre, type Taxonomy } from '../taxonomy/taxonomy.ts';
import { decide, type DecisionInput } from './decide.ts';

/**
 * Records a review decision for the library's track `trackId` (see `decide`)
 * and returns its id and the genres decided. Throws `not-in-library`,
 * `no-genres` (a custom decision without a genre, a choice without one),
 * `not-a-model-genre` (a choice the model does not predict) and `decide`'s errors.
 */
export function decideTrack(db: Db, trackId: number, input: DecisionInput, model: { id: string; labels: string[] } | null, taxonomy: Taxonomy): { decisionId: number; genres: string[] } {
  const track = db.prepare(`SELECT path FROM tracks WHERE id = ? AND status = 'analysed'`).get(trackId) as { path: string } | undefined;
  if (!track) throw new SonorityError('not-in-library', `track ${trackId} is not an analysed track of this library (removed since?); reload the review queue`);
  const typed = (input.genres ?? []).filter((genre) => genre.trim());
  if ((input.action === 'custom' || input.action === 'choose') && typed.length === 0) throw new SonorityError('no-genres', input.action === 'custom' ? 'type at least one genre' : 'choose one of the model\'s genres');
  if (input.action === 'choose' && model && !model.labels.includes(labelForGenre(taxonomy, typed[0]!) ?? typed[0]!)) {
    throw new SonorityError('not-a-model-genre', `"${typed[0]}" is not one of the model's genres; type it as your own genre instead`);
  }
  return db.transaction(() => {
    const genres = decide(db, track.path, { ...input, genres: typed }, model, taxonomy);
    return { decisionId: createDecisionsStore(db).latest(trackId)!.id, genres };
  })();
}

/**
 * Takes back a decision: only the track's latest one, and only while no
 * write has put it into the file; the track's previous decision, if any,
 * counts again. Returns the track's id. Throws `no-such-decision`,
 * `not-latest-decision` or `decision-written`.
 */
export function undoDecision(db: Db, decisionId: number): { trackId: number } {
  const decisions = createDecisionsStore(db);
  return db.transaction(() => {
    const decision = decisions.find(decisionId);
    if (!decision) throw new SonorityError('no-such-decision', `there is no decision ${decisionId} (undone already?)`);
    if (decisions.latest(decision.trackId)!.id !== decisionId) throw new SonorityError('not-latest-decision', 'a later decision about this track replaced this one; undo that one first');
    if (decisions.isWritten(decision)) throw new SonorityError('decision-written', 'this decision is already written to the file — undo that write batch on the Apply page');
    decisions.remove(decisionId);
    return { trackId: decision.trackId };
  })();
}

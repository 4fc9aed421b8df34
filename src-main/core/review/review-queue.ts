import type { Db } from '../db/open-database.ts';
import { locator } from './track-location.ts';
import { createDecisionsStore } from '../db/decisions-store.ts';
import { float32FromBlob } from '../db/blobs.ts';
import type { Taxonomy } from '../taxonomy/taxonomy.ts';
import type { GenreProbability, LibraryOpinion, ReviewItem } from '../shapes.ts';
import { genreProbabilities, listReview, type ReviewEntry } from './review-list.ts';
import { libraryOpinions, libraryReason } from './library-opinion.ts';

const DISPUTED = 0;
const AMBIGUOUS = 1;
const UNTAGGED = 2;
const UNSURE = 3;

/**
 * The queue group of an entry; null for tracks there is nothing to decide
 * about (agreeing, out of distribution, tagged only outside the model) unless
 * the library's own classifier judges their genre wrong.
 */
function groupOf(entry: ReviewEntry, opinion: LibraryOpinion | undefined): number | null {
  if (entry.status === 'disputed' || opinion?.flagged) return DISPUTED;
  if (entry.status === 'agrees' || entry.status === 'out-of-distribution' || entry.status === 'outside-model') return null;
  if (entry.ambiguous) return AMBIGUOUS;
  return entry.status === 'untagged' ? UNTAGGED : UNSURE;
}

const percent = (p: number) => `${Math.round(p * 100)}%`;

function reasonFor(entry: ReviewEntry, group: number, alternatives: GenreProbability[], skipped: boolean, opinion: LibraryOpinion | undefined): string {
  const [first, second] = alternatives;
  const tag = entry.tagGenres.length ? `Tagged ${entry.tagGenres.join(', ')}` : 'No genre tag';
  const combined = entry.suggestedGenre === null ? 'no expert can judge it' : `the experts suggest ${entry.suggestedGenre} (${percent(entry.suggestedConfidence ?? 0)})`;
  const view = !first ? (group === DISPUTED ? `the experts dispute it (${percent(entry.dispute)}): ${combined}` : combined)
    : group === DISPUTED && entry.status !== 'disputed' ? `the model leans to ${first.genre} (${percent(first.probability)})`
    : group === DISPUTED ? `the model is ${percent(first.probability)} sure it is ${first.genre}`
    : group === AMBIGUOUS && second ? `the model hesitates between ${first.genre} (${percent(first.probability)}) and ${second.genre} (${percent(second.probability)})`
    : group === UNTAGGED ? `the model suggests ${first.genre} (${percent(first.probability)})`
    : `the model leans to ${first.genre} (${percent(first.probability)}) but is not sure`;
  return `${skipped ? 'Skipped earlier. ' : ''}${tag}; ${view}.${libraryReason(opinion)}`;
}

/**
 * How strongly a track of the disputed group is disputed: by the combined
 * opinion and the library's own classifier's flag both first, then by the
 * stronger of the combined dispute and the library's doubt.
 */
function disputeStrength(entry: ReviewEntry, opinion: LibraryOpinion | undefined): [number, number] {
  const byExperts = entry.status === 'disputed';
  const byLibrary = opinion?.flagged === true;
  return [Number(byExperts) + Number(byLibrary), Math.max(byExperts ? entry.dispute : 0, byLibrary ? opinion!.doubt ?? 0 : 0)];
}

function compareDisputes(a: [number, number], b: [number, number]): number {
  return b[0] - a[0] || b[1] - a[1];
}

function albumOf(db: Db, trackId: number): string | null {
  return (db.prepare('SELECT album FROM tracks WHERE id = ?').get(trackId) as { album: string | null } | undefined)?.album ?? null;
}

/** Album and the model's genres, most probable first, for the given tracks (one query). */
function detailsOf(db: Db, modelId: string, taxonomy: Taxonomy, trackIds: number[]): Map<number, { album: string | null; alternatives: GenreProbability[] }> {
  const rows = db.prepare(`SELECT t.id, t.album, p.labels, p.probabilities FROM predictions p JOIN tracks t ON t.id = p.track_id
    WHERE p.model_id = ? AND p.track_id IN (SELECT value FROM json_each(?))`).all(modelId, JSON.stringify(trackIds)) as Array<{ id: number; album: string | null; labels: string; probabilities: Uint8Array }>;
  return new Map(rows.map((row) => {
    return [row.id, { album: row.album, alternatives: genreProbabilities(taxonomy, JSON.parse(row.labels) as string[], float32FromBlob(row.probabilities)) }];
  }));
}

/**
 * The tracks still to decide, in the order a person should see them:
 * disputed (by the combined opinion of the experts, or flagged by the
 * library's own classifier: by both first, then by the stronger of the
 * combined dispute and the library's doubt), then ambiguous, then untagged and then unsure
 * (most confident first); tracks whose latest decision is `skip` follow all
 * the others in the same order, and tracks with any other decision are left
 * out, as are agreeing, out-of-distribution and outside-the-model tracks.
 */
export function reviewQueue(db: Db, modelId: string, taxonomy: Taxonomy): ReviewItem[] {
  const latest = createDecisionsStore(db).latestActions();
  const opinions = libraryOpinions(db, modelId);
  const queued = listReview(db, modelId, taxonomy)
    .map((entry) => ({ entry, opinion: opinions.get(entry.trackId), skipped: latest.get(entry.trackId) === 'skip' }))
    .map((q) => ({ ...q, group: groupOf(q.entry, q.opinion), strength: disputeStrength(q.entry, q.opinion) }))
    .filter((q): q is typeof q & { group: number } => q.group !== null && (q.skipped || !latest.has(q.entry.trackId)))
    // stable: keeps listReview's most-confident-first order within the other groups
    .sort((a, b) => Number(a.skipped) - Number(b.skipped) || a.group - b.group || (a.group === DISPUTED ? compareDisputes(a.strength, b.strength) : 0));
  const details = detailsOf(db, modelId, taxonomy, queued.map((q) => q.entry.trackId));
  const locate = locator(db);
  return queued.map(({ entry, group, skipped, opinion }) => {
    const { album, alternatives } = details.get(entry.trackId) ?? { album: albumOf(db, entry.trackId), alternatives: [] };
    return {
      trackId: entry.trackId, title: entry.title, ...locate(entry.path), artist: entry.artist, album, genres: entry.tagGenres, writtenGenres: entry.writtenGenres,
      status: entry.status, ambiguous: entry.ambiguous, alternatives, reason: reasonFor(entry, group, alternatives, skipped, opinion), library: opinion ?? null,
      opinion: { dispute: entry.dispute, suggestedGenre: entry.suggestedGenre, confidence: entry.suggestedConfidence, ...entry.explain() },
    };
  });
}

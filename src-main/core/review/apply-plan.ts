import path from 'node:path';
import type { Db } from '../db/open-database.ts';
import { createDecisionsStore } from '../db/decisions-store.ts';
import { pathsUnder } from '../db/time.ts';
import { genresToWrite, type Taxonomy } from '../taxonomy/taxonomy.ts';
import { SonorityError } from '../errors.ts';
import { listReview } from './review-list.ts';
import { unwritableTracks } from '../writeback/writable-tracks.ts';

/** Which tracks a batch apply considers. */
export interface ApplyFilters {
  /** Also write the combined opinion's top genre where its combined confidence is at least this (never out of distribution). */
  minConfidence?: number;
  /** Predictions only for tracks without a genre tag. */
  untaggedOnly?: boolean;
  /** Predictions only for disputed tracks. */
  disputedOnly?: boolean;
  /** Only tracks under this folder. */
  folder?: string;
  /** Only tracks by this artist / on this album (case-insensitive). */
  artist?: string;
  album?: string;
}

/** A change the plan will not make: the file cannot be written now (`unwritable`), or the taxonomy's write policy refuses the genre (`policy`). */
export interface PlannedRefusal {
  path: string;
  kind: 'unwritable' | 'policy';
  message: string;
}

/** One file an apply would write. */
export interface PlannedWrite {
  trackId: number;
  path: string;
  genres: string[];
  source: 'decision' | 'prediction';
  /** The prediction's probability (predictions only). */
  confidence: number | null;
  modelId: string | null;
}

function trackFilter(db: Db, filters: ApplyFilters): (trackId: number) => boolean {
  const range = filters.folder ? pathsUnder(path.resolve(filters.folder)) : null;
  const rows = db.prepare(`SELECT id, path, artist, album FROM tracks WHERE status = 'analysed'`).all() as Array<{ id: number; path: string; artist: string | null; album: string | null }>;
  const same = (a: string | null, b?: string) => b === undefined || (a ?? '').toLocaleLowerCase() === b.toLocaleLowerCase();
  const allowed = new Set(rows.filter((t) => (!range || (t.path > range.from && t.path < range.to)) && same(t.artist, filters.artist) && same(t.album, filters.album)).map((t) => t.id));
  return (trackId) => allowed.has(trackId);
}

/**
 * What `apply` writes: every decision that sets genres and is not written
 * yet, and, with `minConfidence`, the combined opinion's top genre (README:
 * "One opinion from several experts") for undecided tracks that are
 * untagged or disputed, at that combined confidence or above — never for
 * tracks out of distribution, agreeing already, undisputed (`unsure`), or
 * tagged only with genres no expert knows — all narrowed by the folder,
 * artist and album filters and passed through the taxonomy's write policy
 * (`refused`: what it does not allow, and files that cannot be written now,
 * `unwritableTracks`, so they show before anything is written).
 */
export async function planApply(db: Db, modelId: string, taxonomy: Taxonomy, filters: ApplyFilters): Promise<{ writes: PlannedWrite[]; refused: PlannedRefusal[] }> {
  const inScope = trackFilter(db, filters);
  const decisions = createDecisionsStore(db);
  const candidates: PlannedWrite[] = decisions.pending().filter((d) => inScope(d.trackId))
    .map((d) => ({ trackId: d.trackId, path: d.path, genres: d.genres, source: 'decision', confidence: null, modelId: d.modelId }));
  if (filters.minConfidence !== undefined) {
    const decided = decisions.decidedTrackIds();
    const chosen = [filters.disputedOnly && 'disputed', filters.untaggedOnly && 'untagged'].filter((status): status is string => Boolean(status));
    const wanted = chosen.length ? chosen : ['disputed', 'untagged'];
    for (const entry of listReview(db, modelId, taxonomy)) {
      if (decided.has(entry.trackId) || !inScope(entry.trackId) || !wanted.includes(entry.status)) continue;
      if (entry.suggestedGenre === null || entry.suggestedConfidence === null || entry.suggestedConfidence < filters.minConfidence) continue;
      candidates.push({ trackId: entry.trackId, path: entry.path, genres: [entry.suggestedGenre], source: 'prediction', confidence: entry.suggestedConfidence, modelId });
    }
  }
  const writes: PlannedWrite[] = [];
  const refused: PlannedRefusal[] = [];
  const unwritable = await unwritableTracks(db, candidates.map((candidate) => candidate.trackId));
  for (const candidate of candidates) {
    const cannot = unwritable.get(candidate.trackId);
    if (cannot !== undefined) {
      refused.push({ path: candidate.path, kind: 'unwritable', message: cannot });
      continue;
    }
    try {
      writes.push({ ...candidate, genres: genresToWrite(taxonomy, candidate.genres) });
    } catch (error) {
      if (!(error instanceof SonorityError)) throw error;
      refused.push({ path: candidate.path, kind: 'policy', message: error.message });
    }
  }
  return { writes, refused };
}

import type { Db } from '../db/open-database.ts';
import { createLibraryModelsStore, type LibraryModelRecord, type StoredOpinion } from '../db/library-models-store.ts';
import type { LibraryOpinion } from '../shapes.ts';

const percent = (p: number) => `${Math.round(p * 100)}%`;

/** A stored opinion as people see it: the top three genres and where it comes from. */
export function opinionView(model: LibraryModelRecord, stored: StoredOpinion): LibraryOpinion {
  const suggestions = model.genres.map((genre, i) => ({ genre, probability: stored.probabilities[i]! })).sort((a, b) => b.probability - a.probability).slice(0, 3);
  const source = stored.outOfFold
    ? `your library's genres (trained on ${model.summary.trainedTracks} trusted tracks, without this track or its artist)`
    : `your library's genres (trained on ${model.summary.trainedTracks} trusted tracks)`;
  return { libraryModelId: model.id, source, suggestions, givenGenre: stored.givenGenre, doubt: stored.doubt, flagged: stored.flagged };
}

/** The library model's view of one track over the given base model, or null without a library model or an opinion. */
export function libraryOpinionOf(db: Db, baseModelId: string, trackId: number): LibraryOpinion | null {
  const store = createLibraryModelsStore(db);
  const model = store.current(baseModelId);
  const stored = model && store.opinion(model.id, trackId);
  return model && stored ? opinionView(model, stored) : null;
}

/** Every track's library opinion over the base model (empty without a library model). */
export function libraryOpinions(db: Db, baseModelId: string): Map<number, LibraryOpinion> {
  const store = createLibraryModelsStore(db);
  const model = store.current(baseModelId);
  if (!model) return new Map();
  return new Map([...store.opinions(model.id)].map(([trackId, stored]) => [trackId, opinionView(model, stored)]));
}

/** The library model's part of a review reason, or '' when it has nothing to add. */
export function libraryReason(opinion: LibraryOpinion | undefined): string {
  if (!opinion) return '';
  const [first] = opinion.suggestions;
  if (opinion.flagged) return ` Your library's genres doubt ${opinion.givenGenre} (${percent(opinion.doubt ?? 0)}) and suggest ${first!.genre} (${percent(first!.probability)}).`;
  if (opinion.givenGenre === null) return ` Your library's genres suggest ${first!.genre} (${percent(first!.probability)}).`;
  return '';
}

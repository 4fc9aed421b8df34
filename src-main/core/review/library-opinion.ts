import type { Db } from '../db/open-database.ts';
import { createLibraryModelsStore, type LibraryModelRecord, type StoredOpinion } from '../db/library-models-store.ts';
import type { LibraryOpinion } from '../shapes.ts';

const percent = (p: number) => `${Math.round(p * 100)}%`;

/** A stored opinion as people see it: the top three genres with their example counts, and where it comes from. */
export function opinionView(model: LibraryModelRecord, stored: StoredOpinion): LibraryOpinion {
  const examples = new Map(model.summary.genres.map((g) => [g.genre, g.tracks]));
  const suggestions = model.genres.map((genre, i) => ({ genre, probability: stored.probabilities[i]!, examples: examples.get(genre) ?? 0 }))
    .sort((a, b) => b.probability - a.probability).slice(0, 3);
  const learner = model.learner === 'crnn' ? 'a CRNN over MusiCNN\'s patches' : 'a regression on descriptors';
  const trained = `trained on ${model.summary.trainedTracks} trusted tracks`;
  const source = stored.outOfFold ? `your library's genres (${learner}, ${trained}, without this track or its artist)`
    : stored.atScan ? `your library's genres (${learner}, ${trained} before this track was added)`
    : `your library's genres (${learner}, ${trained})`;
  return { libraryModelId: model.id, source, suggestions, givenGenre: stored.givenGenre, doubt: stored.doubt, flagged: stored.flagged };
}

/** The library model's view of one track over the given base model, or null without a library model or an opinion, or when it abstained (out of distribution). */
export function libraryOpinionOf(db: Db, baseModelId: string, trackId: number): LibraryOpinion | null {
  const store = createLibraryModelsStore(db);
  const model = store.current(baseModelId);
  const stored = model && store.opinion(model.id, trackId);
  return model && stored && !stored.abstained ? opinionView(model, stored) : null;
}

/** Every track's library opinion over the base model (empty without a library model), leaving out the tracks it abstained on. */
export function libraryOpinions(db: Db, baseModelId: string): Map<number, LibraryOpinion> {
  const store = createLibraryModelsStore(db);
  const model = store.current(baseModelId);
  if (!model) return new Map();
  return new Map([...store.opinions(model.id)].filter(([, stored]) => !stored.abstained).map(([trackId, stored]) => [trackId, opinionView(model, stored)]));
}

/** The library model's part of a review reason, or '' when it has nothing to add. */
export function libraryReason(opinion: LibraryOpinion | undefined): string {
  if (!opinion) return '';
  const [first] = opinion.suggestions;
  const learnedFrom = `learned from ${first!.examples} track${first!.examples === 1 ? '' : 's'}`;
  if (opinion.flagged) return ` Your library's genres doubt ${opinion.givenGenre} (${percent(opinion.doubt ?? 0)}) and suggest ${first!.genre} (${percent(first!.probability)}, ${learnedFrom}).`;
  if (opinion.givenGenre === null) return ` Your library's genres suggest ${first!.genre} (${percent(first!.probability)}, ${learnedFrom}).`;
  return '';
}

/**
 * One genre opinion from several experts (README: "One opinion from several
 * experts"). Everything is per broad genre (`expert.ts`); an expert that does
 * not know a broad genre abstains on it: it gives it no vote and never
 * disputes it.
 *
 * **Suggestions.** Each expert splits one vote over the broad genres it
 * knows, in proportion to its scores (its scores relative to each other,
 * which puts a softmax and a set of low sigmoids on one scale), each part
 * multiplied by the expert's measured precision for that genre. A broad
 * genre's confidence is the sum of the votes it gets divided by the number
 * of experts on the panel: the share of the panel's vote. A genre only one
 * of two experts can name gets at most half; an expert that abstains on the
 * whole track (out of distribution) still counts on the panel, as one that
 * could not vouch for anything.
 *
 * **Dispute of a tag.** Only the experts that know the tag's broad genre
 * judge it. Each says how far the genre falls behind its own favourite:
 * 1 − score(genre) ÷ score(favourite) (0 when the genre is its favourite).
 * The dispute is their average weighted by each one's measured recall of
 * that genre — a model that finds classical music every time is believed
 * when it does not hear any — with the weights counted as at least 1 in
 * total, so a genre known only to an expert that rarely recognises it cannot
 * be disputed much. No expert knows the genre: 0, and the tag is not
 * disputable.
 */
import type { Taxonomy } from '../taxonomy/taxonomy.ts';
import { broadGenreEvidence, broadGenreOf, type BroadGenreEvidence, type ExpertOpinion } from './expert.ts';

/**
 * Proposed defaults for the review queue and apply. A tag is *disputed* at
 * 0.5: the experts that know its genre rate it, on (recall-weighted) average,
 * at less than half of their favourite. A genre is written by `apply
 * --min-confidence` from 0.4: a genre only one of two experts knows needs
 * 80% of that expert's vote; two experts must give it 40% on average. Both
 * were set after looking at `npm run eval:opinion` (there is no held-out
 * data), so its figures at these values are optimistic.
 */
export const OPINION_DEFAULTS = { disputedAt: 0.5, minConfidence: 0.4 } as const;

/** What one expert contributed to one broad genre. */
export interface ExpertVerdict {
  expert: string;
  label: string;
  evidence: BroadGenreEvidence;
  /** Its vote for the genre: `share × precision`. */
  vote: number;
}

/** One suggested broad genre. */
export interface GenreSuggestion {
  genre: string;
  /** The share of the panel's vote, 0 … 1. */
  confidence: number;
  /** The experts that know the genre, strongest vote first. */
  verdicts: ExpertVerdict[];
}

/** An expert on the panel and whether it spoke. */
export interface PanelMember {
  expert: string;
  label: string;
  abstains: string | null;
  /** Its favourite broad genre and evidence, or null when it abstains. */
  favourite: BroadGenreEvidence | null;
}

/** The combined opinion of a track. */
export interface CombinedOpinion {
  panel: PanelMember[];
  /** Every broad genre some expert knows, by decreasing confidence (ties by name). */
  suggestions: GenreSuggestion[];
}

/** How strongly the experts that know a tag's genre say it is wrong. */
export interface TagDispute {
  /** The tag's genre as given. */
  genre: string;
  broadGenre: string;
  /** 0 … 1; 0 when no expert knows the genre. */
  score: number;
  /** Some expert knows the genre. */
  disputable: boolean;
  /** The judging experts: their evidence and how far the genre falls behind their favourite. */
  judges: { expert: string; label: string; evidence: BroadGenreEvidence; favourite: BroadGenreEvidence; doubt: number }[];
}

/** The dispute of a track's tag: its most disputed genre. */
export interface TrackDispute {
  /** The largest genre dispute, 0 for an untagged track or one no expert can judge. */
  score: number;
  disputable: boolean;
  genres: TagDispute[];
}

/** Each expert with its broad-genre evidence (empty when it abstains). */
function evidenceOf(taxonomy: Taxonomy, experts: readonly ExpertOpinion[]): { expert: ExpertOpinion; evidence: BroadGenreEvidence[] }[] {
  const ids = new Set<string>();
  return experts.map((expert) => {
    if (ids.has(expert.id)) throw new Error(`two experts have the id "${expert.id}"`);
    ids.add(expert.id);
    return { expert, evidence: broadGenreEvidence(taxonomy, expert) };
  });
}

/**
 * The combined opinion of `experts` about one track: a confidence for every
 * broad genre some expert knows (multi-label: read as many as pass a
 * threshold), with what each expert said.
 */
export function combineOpinions(taxonomy: Taxonomy, experts: readonly ExpertOpinion[]): CombinedOpinion {
  const all = evidenceOf(taxonomy, experts);
  const byGenre = new Map<string, ExpertVerdict[]>();
  for (const { expert, evidence } of all) {
    for (const e of evidence) {
      const verdicts = byGenre.get(e.broadGenre) ?? [];
      verdicts.push({ expert: expert.id, label: expert.label, evidence: e, vote: e.share * e.precision });
      byGenre.set(e.broadGenre, verdicts);
    }
  }
  const panelSize = Math.max(1, experts.length);
  const suggestions = [...byGenre].map(([genre, verdicts]): GenreSuggestion => ({
    genre,
    confidence: verdicts.reduce((sum, v) => sum + v.vote, 0) / panelSize,
    verdicts: verdicts.sort((a, b) => b.vote - a.vote),
  })).sort((a, b) => b.confidence - a.confidence || a.genre.localeCompare(b.genre));
  const panel = all.map(({ expert, evidence }): PanelMember => ({ expert: expert.id, label: expert.label, abstains: expert.abstains, favourite: evidence[0] ?? null }));
  return { panel, suggestions };
}

/** How strongly the experts that know `genre` say a tag of it is wrong (see the module comment). */
export function disputeTag(taxonomy: Taxonomy, experts: readonly ExpertOpinion[], genre: string): TagDispute {
  const broadGenre = broadGenreOf(taxonomy, genre);
  const judges = evidenceOf(taxonomy, experts).flatMap(({ expert, evidence }) => {
    const known = evidence.find((e) => e.broadGenre === broadGenre);
    return known ? [{ expert: expert.id, label: expert.label, evidence: known, favourite: evidence[0]!, doubt: 1 - known.support }] : [];
  });
  const weight = judges.reduce((sum, j) => sum + j.evidence.recall, 0);
  const score = judges.reduce((sum, j) => sum + j.evidence.recall * j.doubt, 0) / Math.max(1, weight);
  return { genre, broadGenre, score, disputable: judges.length > 0, judges };
}

/**
 * The dispute of a track tagged with `genres`: each genre's, and the largest
 * as the track's (one wrong genre makes the tag worth reviewing).
 */
export function disputeTrack(taxonomy: Taxonomy, experts: readonly ExpertOpinion[], genres: readonly string[]): TrackDispute {
  const disputes = genres.map((genre) => disputeTag(taxonomy, experts, genre));
  return {
    score: Math.max(0, ...disputes.map((d) => d.score)),
    disputable: disputes.some((d) => d.disputable),
    genres: disputes,
  };
}

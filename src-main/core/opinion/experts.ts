/**
 * The three experts' outputs as `ExpertOpinion`s: the GTZAN descriptor model,
 * MusiCNN's genre tags, and the classifier of the user's own genres.
 */
import { groupMusicnnTags } from '../taxonomy/musicnn-facets.ts';
import { MUSICNN_TAGS, type MusicnnTag } from '../taxonomy/musicnn-tags.ts';
import { canonicalGenre, displayNameForLabel, type Taxonomy } from '../taxonomy/taxonomy.ts';
import type { ExpertOpinion, Reliability } from './expert.ts';

/** Per-class figures as the genre model's card stores them (`card.json`: `valid.perClass`). */
export interface ClassReliability {
  name: string;
  precision: number;
  recall: number;
}

/**
 * The GTZAN model's opinion: its calibrated probabilities over its labels,
 * named through the taxonomy ("hiphop" → Hip-Hop), with each label's
 * precision and recall on its validation split (from its card, measured on
 * artists it was not fitted on when they were measured). Out of
 * distribution, it abstains on the whole track.
 */
export function gtzanOpinion(
  taxonomy: Taxonomy,
  prediction: { labels: readonly string[]; probabilities: ArrayLike<number>; outOfDistribution: boolean; oodScore?: number },
  perClass: readonly ClassReliability[] = [],
): ExpertOpinion {
  const { labels, probabilities } = prediction;
  if (labels.length !== probabilities.length) throw new Error(`the GTZAN model gives ${probabilities.length} probabilities for ${labels.length} labels`);
  const reliability = new Map<string, Reliability>(perClass.map((c) => [displayNameForLabel(taxonomy, c.name), { precision: c.precision, recall: c.recall }]));
  const scores = labels.map((label, i) => ({ genre: displayNameForLabel(taxonomy, label), score: probabilities[i]!, shownAs: displayNameForLabel(taxonomy, label) }));
  const abstains = prediction.outOfDistribution
    ? `out of distribution${prediction.oodScore === undefined ? '' : ` (score ${prediction.oodScore.toFixed(2)})`}: not music of the kind it was trained on`
    : null;
  return { id: 'gtzan', label: 'GTZAN model', kind: 'exclusive', scores, abstains, reliability };
}

/**
 * MusiCNN's opinion: its genre tags (`groupMusicnnTags`: 29 tags as 28
 * genres of the taxonomy; moods, eras, voice and instruments left out),
 * each an independent tag probability, shown under the tag's own name (of
 * two tags for one genre, electronic and electronica, the stronger).
 * No tags (null, or the MusiCNN stage's empty `tags` for a track shorter than
 * one 3-second patch) make it abstain.
 * Its per-genre reliability is not measured: none is given.
 */
export function musicnnOpinion(taxonomy: Taxonomy, tagProbabilities: ArrayLike<number> | null): ExpertOpinion {
  const base = { id: 'musicnn', label: 'MusiCNN', kind: 'independent' as const };
  if (tagProbabilities === null || tagProbabilities.length === 0) return { ...base, scores: [], abstains: 'the track is shorter than one 3-second patch' };
  const strongest = (tags: readonly MusicnnTag[]) => tags.reduce((best, tag) => (tagProbabilities[MUSICNN_TAGS.indexOf(tag)]! > tagProbabilities[MUSICNN_TAGS.indexOf(best)]! ? tag : best));
  const scores = groupMusicnnTags(taxonomy, tagProbabilities).genre.map((s) => ({ genre: s.name, score: s.probability, shownAs: strongest(s.tags) }));
  return { ...base, scores, abstains: null };
}

/**
 * The library model's opinion: its probabilities over the user's genres
 * (their display names; known ones through the taxonomy), with each genre's
 * out-of-fold precision and recall when known (`libraryReliability`).
 */
export function libraryOpinion(
  taxonomy: Taxonomy,
  genres: readonly string[],
  probabilities: ArrayLike<number>,
  reliability?: ReadonlyMap<string, Reliability>,
): ExpertOpinion {
  if (genres.length !== probabilities.length) throw new Error(`the library model gives ${probabilities.length} probabilities for ${genres.length} genres`);
  const named = (genre: string) => canonicalGenre(taxonomy, genre) ?? genre;
  const scores = genres.map((genre, i) => ({ genre: named(genre), score: probabilities[i]!, shownAs: genre }));
  const byName = reliability && new Map([...reliability].map(([genre, r]) => [named(genre), r]));
  return { id: 'library', label: 'your library', kind: 'exclusive', scores, abstains: null, reliability: byName };
}

/**
 * Out-of-fold precision and recall of each genre of a library model, from
 * the tracks it was trained on: `given` their genre, `suggested` the top of
 * their out-of-fold probabilities. A genre never suggested gets precision 1
 * (nothing against it); one never given is left out.
 */
export function libraryReliability(tracks: readonly { given: string; suggested: string }[]): Map<string, Reliability> {
  const result = new Map<string, Reliability>();
  for (const genre of new Set(tracks.map((t) => t.given))) {
    const given = tracks.filter((t) => t.given === genre);
    const suggested = tracks.filter((t) => t.suggested === genre);
    const hits = given.filter((t) => t.suggested === genre).length;
    result.set(genre, { recall: hits / given.length, precision: suggested.length === 0 ? 1 : hits / suggested.length });
  }
  return result;
}

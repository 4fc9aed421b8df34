/**
 * One expert's opinion of one track, and what it says about each broad genre.
 *
 * An expert is any model with its own genre vocabulary: the GTZAN descriptor
 * model (ten mutually exclusive labels), MusiCNN (independent Last.fm tags),
 * the classifier of the user's own genres. The combined opinion
 * (`combine.ts`) compares experts per **broad genre**: the top of a genre's
 * line of parents in the taxonomy (Swing → Jazz; Techno → Electronic; Funk
 * is its own). An expert knows a broad genre when its vocabulary names the
 * genre or any genre in its tree, so it can judge a tag through a parent
 * (GTZAN's Jazz judges a Swing tag) or a child (MusiCNN's House and Electro
 * judge an Electronic tag); an expert that names nothing in the tree
 * abstains on it.
 */
import { broaderGenres, type Taxonomy } from '../taxonomy/taxonomy.ts';

/** One genre an expert can name, with its score for the track. */
export interface ExpertScore {
  /** The genre, named through the taxonomy in use (an unknown genre as written). */
  genre: string;
  /** The expert's own number: a probability (`exclusive`) or a tag probability (`independent`). */
  score: number;
  /** The expert's own name for it, as shown ("jazz", "Hip-Hop"). */
  shownAs: string;
}

/** How reliably an expert handles one of its genres, measured on data it did not train on. */
export interface Reliability {
  /** Of the tracks of this genre, the share it called this genre (absent: 1). */
  recall?: number;
  /** Of the tracks it called this genre, the share that were (absent: 1). */
  precision?: number;
}

/** What one expert says about one track, in its own vocabulary. */
export interface ExpertOpinion {
  /** Stable id: `gtzan`, `musicnn`, `library`. */
  id: string;
  /** Its name for people: "GTZAN model", "MusiCNN", "your library". */
  label: string;
  /**
   * `exclusive`: the scores are probabilities of mutually exclusive genres
   * (a softmax), so a broad genre's score is the sum of its genres';
   * `independent`: each score stands alone (sigmoids), so it is the largest.
   */
  kind: 'exclusive' | 'independent';
  /** Every genre the expert can name, with its score for this track. */
  scores: readonly ExpertScore[];
  /** Why it gives no opinion on this track (out of distribution, too short), or null: then it abstains on every genre. */
  abstains: string | null;
  /** Per genre of `scores` (by `genre`), how reliable it is; a genre not listed counts as reliability 1. */
  reliability?: ReadonlyMap<string, Reliability>;
}

/** What one expert says about one broad genre. */
export interface BroadGenreEvidence {
  /** The broad genre (top of the taxonomy line). */
  broadGenre: string;
  /** The expert's score for it: the sum (exclusive) or the largest (independent) of its scores for genres in the tree. */
  score: number;
  /** The expert's best-scored genre in that tree, as it names it ("heavy metal"). */
  named: string;
  /** That genre in the taxonomy ("Heavy Metal"). */
  namedGenre: string;
  /** `score` ÷ the expert's score for its favourite broad genre: 1 = its favourite. */
  support: number;
  /** `score` ÷ the sum of its broad-genre scores: its genres relative to each other, summing to 1. */
  share: number;
  /** Reliability of `namedGenre` (1 where not measured). */
  recall: number;
  precision: number;
}

/** The broad genre of a genre: the top of its line of parents; an unknown genre is its own. */
export function broadGenreOf(taxonomy: Taxonomy, genre: string): string {
  let known = BROAD_GENRES.get(taxonomy);
  if (!known) BROAD_GENRES.set(taxonomy, (known = new Map()));
  let broad = known.get(genre);
  if (broad === undefined) {
    broad = broaderGenres(taxonomy, genre).at(-1) ?? genre;
    if (known.size >= 20_000) known.clear();
    known.set(genre, broad);
  }
  return broad;
}

/** Per taxonomy, the broad genre of each genre asked for (the review lists ask for the same few for every track). */
const BROAD_GENRES = new WeakMap<Taxonomy, Map<string, string>>();

/**
 * An expert's evidence per broad genre it knows, favourite first. Empty when
 * the expert abstains. Throws on a score that is not a number in [0, 1].
 */
export function broadGenreEvidence(taxonomy: Taxonomy, expert: ExpertOpinion): BroadGenreEvidence[] {
  if (expert.abstains !== null) return [];
  const byBroad = new Map<string, { score: number; best: ExpertScore }>();
  for (const entry of expert.scores) {
    if (!(entry.score >= 0 && entry.score <= 1)) throw new RangeError(`${expert.label}: the score of ${entry.genre} is ${entry.score}, not a number between 0 and 1`);
    const broad = broadGenreOf(taxonomy, entry.genre);
    const seen = byBroad.get(broad);
    if (!seen) byBroad.set(broad, { score: entry.score, best: entry });
    else {
      seen.score = expert.kind === 'exclusive' ? seen.score + entry.score : Math.max(seen.score, entry.score);
      if (entry.score > seen.best.score) seen.best = entry;
    }
  }
  const favourite = Math.max(0, ...[...byBroad.values()].map((b) => b.score));
  const total = [...byBroad.values()].reduce((sum, b) => sum + b.score, 0);
  return [...byBroad].map(([broadGenre, { score, best }]): BroadGenreEvidence => {
    const reliability = expert.reliability?.get(best.genre);
    return {
      broadGenre, score, named: best.shownAs, namedGenre: best.genre,
      support: favourite > 0 ? score / favourite : 0,
      share: total > 0 ? score / total : 0,
      recall: reliability?.recall ?? 1,
      precision: reliability?.precision ?? 1,
    };
  }).sort((a, b) => b.score - a.score);
}

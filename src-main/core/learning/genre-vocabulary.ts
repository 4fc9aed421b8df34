/** How many trusted tracks, from how many artist groups, a genre has. */
export interface GenreCount {
  genre: string;
  tracks: number;
  artists: number;
}

/** The genres a library can learn, and what happened to the others. */
export interface Vocabulary {
  /** Genres with enough examples (after roll-up), sorted. */
  genres: string[];
  /** Per track: the genre it is trained as, or null. */
  trainedAs: (string | null)[];
  /** Genres with too few examples that could not be rolled up into a genre with enough; their original counts. */
  excluded: GenreCount[];
  rolledUp: { from: string; to: string; tracks: number }[];
}

/** What a genre needs to be learned. */
export interface VocabularyRules {
  minTracks: number;
  minArtists: number;
  parentOf?: (genre: string) => string | null;
}

/** Tracks and distinct artist groups per genre of `assigned` (null entries skipped), sorted by genre. */
export function countGenres(assigned: readonly (string | null)[], groups: ArrayLike<number>): GenreCount[] {
  const byGenre = new Map<string, { tracks: number; groups: Set<number> }>();
  assigned.forEach((genre, i) => {
    if (genre === null) return;
    const entry = byGenre.get(genre) ?? { tracks: 0, groups: new Set<number>() };
    entry.tracks++;
    entry.groups.add(groups[i]!);
    byGenre.set(genre, entry);
  });
  return [...byGenre].map(([genre, e]) => ({ genre, tracks: e.tracks, artists: e.groups.size })).sort((a, b) => (a.genre < b.genre ? -1 : 1));
}

/** The genre's ancestors, nearest first; throws when `parentOf` loops. */
function ancestors(genre: string, parentOf: VocabularyRules['parentOf']): string[] {
  const chain: string[] = [];
  for (let parent = parentOf?.(genre) ?? null; parent !== null; parent = parentOf!(parent)) {
    if (parent === genre || chain.includes(parent)) throw new Error(`the parents of the genre "${genre}" loop back on themselves (${[genre, ...chain, parent].join(' → ')})`);
    chain.push(parent);
  }
  return chain;
}

/**
 * Decides the genres to learn from each track's trusted genre (null: none).
 * A genre needs `minTracks` tracks from `minArtists` artist groups. One at a
 * time, the deepest genre short of that has its tracks moved to its parent,
 * until none short of it has a parent; so a subgenre joins the nearest
 * ancestor that its tracks, pooled with its siblings', make learnable. Tracks
 * that still end in a genre short of examples go back to their own genre,
 * which is then excluded (its tracks are not trained on).
 */
export function buildVocabulary(given: readonly (string | null)[], groups: ArrayLike<number>, rules: VocabularyRules): Vocabulary {
  const enough = (c: GenreCount) => c.tracks >= rules.minTracks && c.artists >= rules.minArtists;
  const chains = new Map<string, string[]>();
  const chainOf = (genre: string) => chains.get(genre) ?? chains.set(genre, ancestors(genre, rules.parentOf)).get(genre)!;
  const assigned = [...given];
  for (;;) {
    const short = countGenres(assigned, groups).filter((c) => !enough(c) && chainOf(c.genre).length > 0);
    if (short.length === 0) break;
    const deepest = short.reduce((a, b) => (chainOf(b.genre).length > chainOf(a.genre).length ? b : a)).genre;
    assigned.forEach((genre, i) => {
      if (genre === deepest) assigned[i] = chainOf(deepest)[0]!;
    });
  }
  const learnable = new Set(countGenres(assigned, groups).filter(enough).map((c) => c.genre));
  const trainedAs = assigned.map((genre) => (genre !== null && learnable.has(genre) ? genre : null));
  const left = given.map((genre, i) => (trainedAs[i] === null ? genre : null));
  const moves = new Map<string, { from: string; to: string; tracks: number }>();
  given.forEach((from, i) => {
    const to = trainedAs[i]!;
    if (from === null || to === null || to === from) return;
    const move = moves.get(from) ?? { from, to, tracks: 0 };
    move.tracks++;
    moves.set(from, move);
  });
  return {
    genres: [...learnable].sort(),
    trainedAs,
    excluded: countGenres(left, groups),
    rolledUp: [...moves.values()].sort((a, b) => (a.from < b.from ? -1 : 1)),
  };
}

/**
 * The class indices of a track's genres in a learned vocabulary: each genre
 * as learned, directly or through its roll-up; genres the vocabulary does
 * not know are dropped, and so are repeats. The first genre's index comes
 * first when it is known.
 */
export function learnedClasses(trackGenres: readonly string[], genres: readonly string[], rolledUp: readonly { from: string; to: string }[]): number[] {
  const rolled = new Map(rolledUp.map((r) => [r.from, r.to]));
  return [...new Set(trackGenres.map((g) => genres.indexOf(rolled.get(g) ?? g)).filter((c) => c >= 0))];
}

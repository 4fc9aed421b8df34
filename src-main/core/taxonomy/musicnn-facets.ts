import { DEFAULT_TAXONOMY } from './default-taxonomy.ts';
import { MUSICNN_FACETS, MUSICNN_TAGS, MUSICNN_TAG_FACETS, type MusicnnFacet, type MusicnnTag } from './musicnn-tags.ts';
import { broaderGenres, createTaxonomy, normaliseGenreKey, type GenreDefinition, type Taxonomy } from './taxonomy.ts';

/** One name of a facet with its probability and the tags it comes from. */
export interface MusicnnScore {
  /** The display name; for a genre, its name in the taxonomy given. */
  readonly name: string;
  /** The largest probability among `tags`. */
  readonly probability: number;
  /** The MusiCNN tags behind this name, in model order. */
  readonly tags: readonly MusicnnTag[];
}

/** A track's (or a window's) MusiCNN tags by facet, each list most probable first. */
export type MusicnnFacets = Readonly<Record<MusicnnFacet, readonly MusicnnScore[]>>;

/** The taxonomy `MUSICNN_TAG_FACETS` names its genres in. */
const BUILT_IN = createTaxonomy(DEFAULT_TAXONOMY);

/** The genre of the user's taxonomy that is this built-in genre: the one with its model label, else the one any of its spellings names. */
function sameGenreIn(taxonomy: Taxonomy, builtIn: GenreDefinition): GenreDefinition | undefined {
  const byLabel = builtIn.label === undefined ? undefined : taxonomy.byLabel.get(builtIn.label);
  const spellings = [builtIn.name, ...(builtIn.aliases ?? [])];
  return byLabel ?? spellings.map((spelling) => taxonomy.byKey.get(normaliseGenreKey(spelling))).find((genre) => genre !== undefined);
}

/**
 * The name in `taxonomy` of the built-in genre `name`: the same genre (found by
 * its model label, then its name and aliases, so a renamed genre that keeps a
 * label or an old spelling is found), else the nearest built-in parent that
 * `taxonomy` has (a taxonomy without "Heavy Metal" gets "Metal"), else `name`
 * itself, an unknown genre as any unknown tag is.
 */
function genreIn(taxonomy: Taxonomy, name: string): string {
  let names = GENRE_NAMES.get(taxonomy);
  if (!names) GENRE_NAMES.set(taxonomy, (names = new Map()));
  let found = names.get(name);
  if (found === undefined) names.set(name, (found = findGenreIn(taxonomy, name)));
  return found;
}

/** Per taxonomy, `genreIn` of each table name (the same 29 for every track). */
const GENRE_NAMES = new WeakMap<Taxonomy, Map<string, string>>();

function findGenreIn(taxonomy: Taxonomy, name: string): string {
  for (const spelling of [name, ...broaderGenres(BUILT_IN, name)]) {
    const builtIn = BUILT_IN.byKey.get(normaliseGenreKey(spelling));
    const found = builtIn && sameGenreIn(taxonomy, builtIn);
    if (found) return found.name;
  }
  return name;
}

/**
 * MusiCNN's 50 tag probabilities (in `MUSICNN_TAGS` order) grouped by facet,
 * every name of every facet present, most probable first (ties in model
 * order). Genres are named through `taxonomy`: a genre is the table's
 * built-in genre as `taxonomy` names it (renamed, aliased, or folded into its
 * nearest parent when `taxonomy` lacks it; see `genreIn`). Several tags that
 * come to one name (electronic and electronica; female vocalists and female
 * vocalist; chillout and chill; a genre folded into its parent) are one
 * score, the maximum of theirs: each is a probability of the same thing, and
 * the strongest tag is the model's opinion of it. Throws when `probabilities`
 * does not hold 50 numbers between 0 and 1.
 */
export function groupMusicnnTags(taxonomy: Taxonomy, probabilities: ArrayLike<number>): MusicnnFacets {
  if (probabilities.length !== MUSICNN_TAGS.length) throw new Error(`MusiCNN gives ${MUSICNN_TAGS.length} tag probabilities, not ${probabilities.length}`);
  const scores = new Map<string, { facet: MusicnnFacet; name: string; probability: number; tags: MusicnnTag[] }>();
  MUSICNN_TAGS.forEach((tag, index) => {
    const probability = probabilities[index]!;
    if (!(probability >= 0 && probability <= 1)) throw new Error(`the probability of the MusiCNN tag "${tag}" is ${probability}, not a number between 0 and 1`);
    const { facet, name: tableName } = MUSICNN_TAG_FACETS[tag];
    const name = facet === 'genre' ? genreIn(taxonomy, tableName) : tableName;
    const key = `${facet}:${normaliseGenreKey(name)}`;
    const score = scores.get(key);
    if (score) {
      score.probability = Math.max(score.probability, probability);
      score.tags.push(tag);
    } else scores.set(key, { facet, name, probability, tags: [tag] });
  });
  const grouped = Object.fromEntries(MUSICNN_FACETS.map((facet) => [facet, [] as MusicnnScore[]])) as Record<MusicnnFacet, MusicnnScore[]>;
  for (const { facet, ...score } of scores.values()) grouped[facet].push(score);
  for (const facet of MUSICNN_FACETS) grouped[facet].sort((a, b) => b.probability - a.probability);
  return grouped;
}

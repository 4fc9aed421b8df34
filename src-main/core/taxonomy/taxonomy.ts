/**
 * The genre taxonomy: the one place where genre names are normalised, mapped
 * from the model's labels to display names, and compared.
 *
 * Numeric ID3v1 references need no handling here: music-metadata 12 already
 * resolves them where the convention exists — an ID3v2 TCON of "(17)" or "17"
 * reads as "Rock", "(17)(9)" as ["Rock", "Metal"] (ID3v1 genre bytes and the
 * binary MP4 `gnre` atom likewise). In Vorbis comments (FLAC, Ogg) and MP4
 * `©gen` text, "(17)" is kept as written, as it is not a convention there;
 * such a value is an unknown genre, kept verbatim.
 */

import { SonorityError } from '../errors.ts';

/** The model's labels: the ten GTZAN genres. */
export const MODEL_LABELS = ['blues', 'classical', 'country', 'disco', 'hiphop', 'jazz', 'metal', 'pop', 'reggae', 'rock'] as const;

/** One genre as written in a taxonomy (built-in or the user's JSON file). */
export interface GenreDefinition {
  /** The display name, written into tags. */
  name: string;
  /** The model label this genre is, if any. */
  label?: string;
  /** The broader genre (name or alias) this one belongs to, for comparisons: "Heavy Metal" → "Metal". */
  parent?: string;
  /** Other spellings that mean exactly this genre and are shown as `name`. */
  aliases?: readonly string[];
}

/** A whole taxonomy as stored in `taxonomy.json`. */
/**
 * Which genres may be written into files: with a whitelist, a genre outside
 * it is written as is (`allow`), replaced by its nearest whitelisted parent
 * (`parent`; refused when it has none), or refused (`refuse`).
 */
export interface WritePolicy {
  whitelist: readonly string[];
  outside: 'allow' | 'parent' | 'refuse';
}

export interface TaxonomyDefinition {
  version: 1;
  genres: readonly GenreDefinition[];
  /** No policy: every genre may be written. */
  policy?: WritePolicy;
}

/** A validated taxonomy with its lookup maps; build it with `createTaxonomy`. */
export interface Taxonomy {
  readonly definition: TaxonomyDefinition;
  /** Each genre under the normalised key of its name and of each alias. */
  readonly byKey: ReadonlyMap<string, GenreDefinition>;
  /** Each model label's genre. */
  readonly byLabel: ReadonlyMap<string, GenreDefinition>;
}

/** Characters that separate several genres written in one tag value. */
const GENRE_SEPARATORS = /[;/,|]/;

/** Keys of the spellings seen (a pure function, asked for the same few spellings for every track). */
const GENRE_KEYS = new Map<string, string>();

/**
 * The key under which genre spellings match. Two spellings are the same genre
 * when their keys are equal. The rule: compatibility-fold (NFKD, the folding
 * of NFKC, so "ＲＯＣＫ" is "ROCK"), drop accents (U+0300–U+036F: "Reggaetón"
 * is "Reggaeton"), lower-case, read "&", the word "and" and the word "n" as
 * one connector ("R&B" = "R and B" = "R'n'B" = "RnB"), and ignore every
 * character that is not a letter, digit or (non-Latin) combining mark ("Hip
 * Hop" = "hip-hop" = "HipHop" = "hip_hop"; "ジャズ" keeps its voicing marks).
 * A spelling of only punctuation and spaces has the empty key.
 */
export function normaliseGenreKey(raw: string): string {
  const cached = GENRE_KEYS.get(raw);
  if (cached !== undefined) return cached;
  const words = raw.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replaceAll('&', ' and ').split(/[^\p{L}\p{M}\p{N}]+/u);
  const key = words.map((word) => (word === 'and' ? 'n' : word)).join('');
  // A library holds few distinct spellings; the combined opinion asks for the same ones for every track.
  if (GENRE_KEYS.size >= 20_000) GENRE_KEYS.clear();
  GENRE_KEYS.set(raw, key);
  return key;
}

/** The genre, its parent, the parent's parent and so on; throws if the chain loops. */
function* lineage(byKey: ReadonlyMap<string, GenreDefinition>, genre: GenreDefinition): Generator<GenreDefinition> {
  const seen: GenreDefinition[] = [];
  for (let current: GenreDefinition | undefined = genre; current; current = current.parent === undefined ? undefined : byKey.get(normaliseGenreKey(current.parent))) {
    if (seen.includes(current)) throw new Error(`the parents of "${genre.name}" loop back on themselves (${[...seen, current].map((g) => g.name).join(' → ')})`);
    seen.push(current);
    yield current;
  }
}

/** Files each genre under the key of its name and aliases; throws when two genres claim one key. */
function indexByKey(genres: readonly GenreDefinition[]): Map<string, GenreDefinition> {
  const claims = new Map<string, { genre: GenreDefinition; claim: string }>();
  for (const genre of genres) {
    const spellings = [{ text: genre.name, kind: 'name' }, ...(genre.aliases ?? []).map((text) => ({ text, kind: 'alias' }))];
    for (const { text, kind } of spellings) {
      const key = normaliseGenreKey(text);
      const claim = `${kind} "${text}"`;
      if (!key) throw new Error(`genre "${genre.name}": the ${claim} has no letter or digit`);
      const other = claims.get(key);
      if (other && other.genre !== genre) throw new Error(`the genre key "${key}" is claimed twice: by "${other.genre.name}" (${other.claim}) and by "${genre.name}" (${claim})`);
      if (!other) claims.set(key, { genre, claim });
    }
  }
  return new Map([...claims].map(([key, { genre }]) => [key, genre]));
}

/** Maps each model label to its genre; throws on a label that is not the model's, a label used twice, or one not mapped. */
function indexByLabel(genres: readonly GenreDefinition[]): Map<string, GenreDefinition> {
  const byLabel = new Map<string, GenreDefinition>();
  for (const genre of genres) {
    if (genre.label === undefined) continue;
    if (!(MODEL_LABELS as readonly string[]).includes(genre.label)) throw new Error(`genre "${genre.name}" has the label "${genre.label}", which is not a model label (${MODEL_LABELS.join(', ')})`);
    const other = byLabel.get(genre.label);
    if (other) throw new Error(`the model label "${genre.label}" is given to both "${other.name}" and "${genre.name}"`);
    byLabel.set(genre.label, genre);
  }
  const missing = MODEL_LABELS.filter((label) => !byLabel.has(label));
  if (missing.length > 0) throw new Error(`no genre has the model label${missing.length > 1 ? 's' : ''} ${missing.map((label) => `"${label}"`).join(', ')}; each of the ten (${MODEL_LABELS.join(', ')}) must be given to one genre`);
  return byLabel;
}

/**
 * Validates a taxonomy definition and builds its lookup maps. Throws an Error
 * naming the genres involved when two genres claim the same key (name or
 * alias), a name or alias has no letter or digit, a parent is not in the
 * taxonomy, parents loop, or the model labels are not each given to exactly
 * one genre.
 */
export function createTaxonomy(definition: TaxonomyDefinition): Taxonomy {
  const byKey = indexByKey(definition.genres);
  for (const genre of definition.genres) {
    if (genre.parent !== undefined && !byKey.has(normaliseGenreKey(genre.parent))) throw new Error(`genre "${genre.name}" has the parent "${genre.parent}", which is not a genre in the taxonomy`);
    Array.from(lineage(byKey, genre)); // walks the whole chain, which throws if it loops
  }
  for (const name of definition.policy?.whitelist ?? []) {
    if (!byKey.has(normaliseGenreKey(name))) throw new Error(`the whitelist names "${name}", which is not a genre in the taxonomy`);
  }
  return { definition, byKey, byLabel: indexByLabel(definition.genres) };
}

/**
 * The genres to write for what a person or the model chose: display names
 * through the taxonomy, then its write policy. Throws `genre-not-allowed`
 * naming the genre when the policy refuses it.
 */
export function genresToWrite(taxonomy: Taxonomy, raws: readonly string[]): string[] {
  const genres = canonicalGenres(taxonomy, raws);
  const policy = taxonomy.definition.policy;
  if (!policy || policy.outside === 'allow') return genres;
  const allowed = new Set(policy.whitelist.map((name) => normaliseGenreKey(name)));
  const written = genres.map((genre) => {
    const known = taxonomy.byKey.get(normaliseGenreKey(genre));
    const fit = policy.outside === 'parent' && known ? Array.from(lineage(taxonomy.byKey, known)).find((g) => allowed.has(normaliseGenreKey(g.name))) : known && allowed.has(normaliseGenreKey(known.name)) ? known : undefined;
    if (!fit) throw new SonorityError('genre-not-allowed', `"${genre}" is not in your genre whitelist${policy.outside === 'parent' ? ', nor is any genre it belongs to' : ''} (taxonomy policy "${policy.outside}")`);
    return fit.name;
  });
  return written.filter((genre, i) => written.indexOf(genre) === i);
}

/** The display name for a raw tag value ("hip hop" → "Hip-Hop"), or null when the genre is unknown. */
export function canonicalGenre(taxonomy: Taxonomy, raw: string): string | null {
  return taxonomy.byKey.get(normaliseGenreKey(raw))?.name ?? null;
}

/** One tag value as genres: known as a whole, else split on ; / , | when every part is known, else itself. */
function genresInValue(taxonomy: Taxonomy, value: string): string[] {
  const whole = canonicalGenre(taxonomy, value);
  if (whole) return [whole];
  const parts = value.split(GENRE_SEPARATORS).filter((part) => part.trim()).map((part) => canonicalGenre(taxonomy, part));
  return parts.length > 0 && parts.every((part) => part !== null) ? parts : [value];
}

/**
 * A track's genre tag values as display names, in order, without duplicates
 * (by key). Unknown genres are kept verbatim (trimmed); blank values are
 * dropped. A value that is not a known genre as a whole is split on ; / , |
 * only when every part is then a known genre: "Rock; Pop" → ["Rock", "Pop"],
 * while "Rap/Hip Hop" (an alias) → ["Hip-Hop"] and "Drum & Bass/Jungle" stays
 * as it is.
 */
export function canonicalGenres(taxonomy: Taxonomy, raws: readonly string[]): string[] {
  const byKey = new Map<string, string>();
  for (const raw of raws) {
    const value = raw.trim();
    if (!value) continue;
    for (const genre of genresInValue(taxonomy, value)) {
      const key = normaliseGenreKey(genre) || genre;
      if (!byKey.has(key)) byKey.set(key, genre);
    }
  }
  return [...byKey.values()];
}

/** The display name of a model label ("hiphop" → "Hip-Hop"); throws for a label the taxonomy does not map. */
export function displayNameForLabel(taxonomy: Taxonomy, label: string): string {
  const genre = taxonomy.byLabel.get(label);
  if (!genre) throw new Error(`unknown model label "${label}"; the labels are ${[...taxonomy.byLabel.keys()].join(', ')}`);
  return genre.name;
}

/**
 * The model label a raw genre corresponds to, directly or through its parents
 * ("Heavy Metal" → "metal", "Bop" → "jazz"), or null ("House", or unknown).
 */
export function labelForGenre(taxonomy: Taxonomy, raw: string): string | null {
  const genre = taxonomy.byKey.get(normaliseGenreKey(raw));
  if (!genre) return null;
  for (const ancestor of lineage(taxonomy.byKey, genre)) if (ancestor.label !== undefined) return ancestor.label;
  return null;
}

/** The broader genres a genre belongs to, nearest first ("Deep House" → ["House", "Electronic"]); none for an unknown genre. */
export function broaderGenres(taxonomy: Taxonomy, raw: string): string[] {
  const genre = taxonomy.byKey.get(normaliseGenreKey(raw));
  return genre ? Array.from(lineage(taxonomy.byKey, genre)).slice(1).map((g) => g.name) : [];
}

/**
 * Whether a track's genre tag values agree with a predicted model label: true
 * when any of them (after `canonicalGenres`) corresponds to the label,
 * directly, by alias or through its parents. Throws for an unknown label.
 */
export function genresAgree(taxonomy: Taxonomy, tagGenres: readonly string[], predictedLabel: string): boolean {
  displayNameForLabel(taxonomy, predictedLabel); // throws for an unknown label
  return canonicalGenres(taxonomy, tagGenres).some((genre) => labelForGenre(taxonomy, genre) === predictedLabel);
}

import fs from 'node:fs';
import path from 'node:path';
import { SonorityError, describeFileError } from '../errors.ts';
import { userDataDir } from '../paths.ts';
import { DEFAULT_TAXONOMY } from './default-taxonomy.ts';
import { writeJsonFileAtomically } from '../json-file.ts';
import { createTaxonomy, type GenreDefinition, type Taxonomy, type TaxonomyDefinition, type WritePolicy } from './taxonomy.ts';

const GENRE_FIELDS = ['name', 'label', 'parent', 'aliases'];

/** The user's editable taxonomy: `<userData>/taxonomy.json`. */
export function defaultTaxonomyPath(): string {
  return path.join(userDataDir(), 'taxonomy.json');
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Checks one entry of `genres` field by field; throws an Error saying which field is wrong. */
function parseGenre(value: unknown, where: string): GenreDefinition {
  if (!isObject(value)) throw new Error(`${where} must be an object such as {"name": "Rock"}`);
  const unknown = Object.keys(value).find((field) => !GENRE_FIELDS.includes(field));
  if (unknown) throw new Error(`${where} has the unknown field "${unknown}" (a genre has ${GENRE_FIELDS.join(', ')})`);
  const { name, label, parent, aliases } = value;
  if (typeof name !== 'string') throw new Error(`${where}.name must be a string`);
  if (label !== undefined && typeof label !== 'string') throw new Error(`${where}.label ("${name}") must be a string`);
  if (parent !== undefined && typeof parent !== 'string') throw new Error(`${where}.parent ("${name}") must be a string`);
  if (aliases !== undefined && !(Array.isArray(aliases) && aliases.every((alias) => typeof alias === 'string'))) throw new Error(`${where}.aliases ("${name}") must be a list of strings`);
  return { name, label, parent, aliases };
}

/** Checks the `policy` field: `{"whitelist": ["Rock", …], "outside": "allow" | "parent" | "refuse"}`. */
function parsePolicy(value: unknown): WritePolicy {
  const shape = '"policy" must be {"whitelist": ["Rock", ...], "outside": "allow" | "parent" | "refuse"}';
  if (!isObject(value) || !Array.isArray(value.whitelist) || !value.whitelist.every((name) => typeof name === 'string')) throw new Error(shape);
  if (value.outside !== 'allow' && value.outside !== 'parent' && value.outside !== 'refuse') throw new Error(shape);
  return { whitelist: value.whitelist as string[], outside: value.outside };
}

/** Checks the shape of a parsed `taxonomy.json`; throws an Error saying what is wrong. */
function parseDefinition(json: unknown): TaxonomyDefinition {
  if (!isObject(json)) throw new Error('the file must hold an object: {"version": 1, "genres": [...]}');
  if (json.version !== 1) throw new Error(`"version" must be 1, not ${JSON.stringify(json.version)}`);
  if (!Array.isArray(json.genres)) throw new Error('"genres" must be a list of genres');
  const genres = json.genres.map((genre, index) => parseGenre(genre, `genres[${index}]`));
  return json.policy === undefined ? { version: 1, genres } : { version: 1, genres, policy: parsePolicy(json.policy) };
}

/**
 * Loads the genre taxonomy from a JSON file (default: `defaultTaxonomyPath()`),
 * or the built-in one when the file does not exist. Throws a SonorityError
 * naming the file and the problem: `taxonomy-unreadable` when it cannot be
 * read, `taxonomy-invalid` when it is not valid JSON, has the wrong shape, or
 * fails `createTaxonomy`'s checks (unknown parent, alias collision, a model
 * label not mapped, ...).
 */
export function loadTaxonomy(filePath: string = defaultTaxonomyPath()): Taxonomy {
  return loadTaxonomyText(filePath, (text) => createTaxonomy(parseDefinition(JSON.parse(text))), () => createTaxonomy(DEFAULT_TAXONOMY));
}

/** Reads the taxonomy file and parses it with `parse`; `missing` when it does not exist; read and parse errors become SonorityErrors naming the file. */
function loadTaxonomyText<T>(filePath: string, parse: (text: string) => T, missing: () => T): T {
  let text: string;
  try {
    text = fs.readFileSync(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return missing();
    throw new SonorityError('taxonomy-unreadable', `cannot read the genre taxonomy ${filePath}: ${describeFileError(error).message}`, { cause: error });
  }
  try {
    return parse(text);
  } catch (error) {
    const problem = error instanceof SyntaxError ? `it is not valid JSON (${error.message})` : (error as Error).message;
    throw new SonorityError('taxonomy-invalid', `the genre taxonomy ${filePath} is invalid: ${problem}`, { cause: error });
  }
}

/** Reads a taxonomy file's contents: the built-in taxonomy when the file does not exist, else its parsed JSON as is (for an editor). Throws like `loadTaxonomy`. */
export function readTaxonomyDefinition(filePath: string = defaultTaxonomyPath()): TaxonomyDefinition {
  return loadTaxonomyText(filePath, (text) => parseDefinition(JSON.parse(text)), () => DEFAULT_TAXONOMY);
}

/** Checks a taxonomy given as JSON (from the editor) and saves it; throws `taxonomy-invalid` naming the problem, without writing. */
export function saveTaxonomyJson(filePath: string, json: unknown): void {
  let definition: TaxonomyDefinition;
  try {
    definition = parseDefinition(json);
  } catch (error) {
    throw new SonorityError('taxonomy-invalid', `not writing the genre taxonomy ${filePath}: ${(error as Error).message}`, { cause: error });
  }
  saveTaxonomy(filePath, definition);
}

/**
 * Writes a taxonomy to a JSON file atomically (a temporary file in the same
 * folder, flushed, then renamed over it), creating the folder if needed.
 * Throws `taxonomy-invalid` without writing when the definition fails
 * `createTaxonomy`'s checks, so a saved file always loads.
 */
export function saveTaxonomy(filePath: string, definition: TaxonomyDefinition): void {
  try {
    createTaxonomy(definition);
  } catch (error) {
    throw new SonorityError('taxonomy-invalid', `not writing the genre taxonomy ${filePath}: ${(error as Error).message}`, { cause: error });
  }
  writeJsonFileAtomically(filePath, definition);
}

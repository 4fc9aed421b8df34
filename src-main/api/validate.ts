/**
 * Tiny runtime validators for the API contract: each turns an unknown payload
 * into a typed value or throws an `ApiInputError` naming the offending field.
 * Renderer-safe (no Node imports).
 */

/** A payload that does not match the contract. */
export class ApiInputError extends Error {
  readonly code = 'bad-request';
}

/** Checks an unknown value and returns it typed; `at` names the field for errors. */
export type Validator<T> = (value: unknown, at: string) => T;

function fail(at: string, expected: string, value: unknown): never {
  throw new ApiInputError(`${at} must be ${expected}, not ${JSON.stringify(value) ?? String(value)}`);
}

/** A whole number within [min, max]. */
export const integer = (min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Validator<number> => (value, at) =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : fail(at, `a whole number from ${min} to ${max}`, value);

/** A finite number within [min, max]. */
export const number = (min = -Infinity, max = Infinity): Validator<number> => (value, at) =>
  typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? value : fail(at, `a number from ${min} to ${max}`, value);

/** A string of at most `maxLength` characters. */
export const string = (maxLength = 10_000): Validator<string> => (value, at) =>
  typeof value === 'string' && value.length <= maxLength ? value : fail(at, `text of at most ${maxLength} characters`, value);

/** `true` or `false`. */
export const boolean: Validator<boolean> = (value, at) => (typeof value === 'boolean' ? value : fail(at, 'true or false', value));

/** One of the listed strings. */
export const oneOf = <const T extends string>(...choices: T[]): Validator<T> => (value, at) =>
  choices.includes(value as T) ? (value as T) : fail(at, `one of ${choices.join(', ')}`, value);

/** An array (of at most `maxLength` items) whose items each pass `item`. */
export const arrayOf = <T>(item: Validator<T>, maxLength = 1_000_000): Validator<T[]> => (value, at) => {
  if (!Array.isArray(value) || value.length > maxLength) return fail(at, `a list of at most ${maxLength} items`, typeof value);
  return value.map((entry, i) => item(entry, `${at}[${i}]`));
};

/** A range [low, high] of numbers within [min, max], low ≤ high. */
export const range = (min: number, max: number): Validator<[number, number]> => (value, at) => {
  const pair = arrayOf(number(min, max), 2)(value, at);
  return pair.length === 2 && pair[0]! <= pair[1]! ? [pair[0]!, pair[1]!] : fail(at, `a range [low, high] from ${min} to ${max}`, value);
};

/** `undefined` or a value passing `inner`. */
export const optional = <T>(inner: Validator<T>): Validator<T | undefined> => (value, at) => (value === undefined ? undefined : inner(value, at));

type OptionalKeys<S> = { [K in keyof S]: S[K] extends Validator<infer T> ? (undefined extends T ? K : never) : never }[keyof S];
type Shaped<S extends Record<string, Validator<unknown>>> = { [K in Exclude<keyof S, OptionalKeys<S>>]: ReturnType<S[K]> } & { [K in OptionalKeys<S>]?: ReturnType<S[K]> };

/** A plain object with exactly the listed fields (unknown fields are refused; fields whose validator accepts undefined are optional). */
export const object = <S extends Record<string, Validator<unknown>>>(shape: S): Validator<Shaped<S>> => (value, at) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(at, 'an object', value);
  const extra = Object.keys(value).filter((key) => !(key in shape));
  if (extra.length) throw new ApiInputError(`${at} has unknown field${extra.length > 1 ? 's' : ''} ${extra.join(', ')}`);
  const out: Record<string, unknown> = {};
  for (const [key, check] of Object.entries(shape)) {
    const field = check((value as Record<string, unknown>)[key], `${at}.${key}`);
    if (field !== undefined) out[key] = field;
  }
  return out as Shaped<S>;
};

/** Any JSON value (checked further by the handler, e.g. a taxonomy definition). */
export const json: Validator<unknown> = (value) => value;

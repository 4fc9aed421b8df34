import { SonorityError } from '../core/errors.ts';
import type { PlaylistRecipe } from '../core/shapes.ts';

const WEIGHT_NAMES = ['timbre', 'spectrum', 'harmony', 'tempo', 'embedding', 'musicnn'] as const;

/** `--tempo 90-120` → [90, 120]; undefined when not given; throws `usage` naming the flag otherwise, or for a bound over `max`. */
export function parseRange(flag: string, text: string | undefined, max = Infinity): [number, number] | undefined {
  if (text === undefined) return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*$/.exec(text);
  const range = match ? [Number(match[1]), Number(match[2])] as [number, number] : null;
  if (!range || range[0] > range[1] || range[1] > max) throw new SonorityError('usage', `${flag} takes a range MIN-MAX such as ${max === 1 ? '0.5-1' : '90-120'}${max < Infinity ? ` within 0-${max}` : ''}, not "${text}"`);
  return range;
}

/** `--weights timbre=1,embedding=2` → the space's block weights; throws `usage` for an unknown block or a negative weight. */
export function parseWeights(text: string | undefined): PlaylistRecipe['weights'] {
  if (text === undefined) return undefined;
  return Object.fromEntries(text.split(',').map((part) => {
    const [name = '', value = ''] = part.split('=').map((s) => s.trim());
    const weight = Number(value);
    if (!(WEIGHT_NAMES as readonly string[]).includes(name) || value === '' || !(weight >= 0)) throw new SonorityError('usage', `--weights takes NAME=WEIGHT pairs (names: ${WEIGHT_NAMES.join(', ')}; weights ≥ 0), not "${part}"`);
    return [name, weight];
  }));
}

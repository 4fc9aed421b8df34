/**
 * The playlist being made on the Playlists page: its recipe as the form holds
 * it and the last result, kept across page changes (open a track, come back).
 * The Track page starts one from its track, which the Playlists page builds on
 * arrival.
 */
import type { Playlist, PlaylistFiltersInput, PlaylistRecipe } from '../../../src-main/api/contract.ts';

/** A track picked as a seed or destination, with what its chip shows. */
export interface PickedTrack {
  trackId: number;
  name: string;
  artist: string | null;
}

export const WEIGHT_NAMES = ['timbre', 'spectrum', 'harmony', 'tempo', 'embedding', 'musicnn'] as const;
/** The filters on MusiCNN's probabilities (0…1), with what the form calls them. */
export const HEAD_FILTERS = { danceability: 'Danceability', aggressive: 'Aggressive', happy: 'Happy', relaxed: 'Relaxed' } as const;
export type HeadFilter = keyof typeof HEAD_FILTERS;
export type WeightName = (typeof WEIGHT_NAMES)[number];

/** The filter fields as typed: numbers, or durations as "m:ss"; empty = no bound. */
export interface FilterFields {
  genres: string;
  tempo: [number | null, number | null];
  energy: [number | null, number | null];
  duration: [string, string];
  heads: Record<HeadFilter, [number | null, number | null]>;
}

const noHeads = (): FilterFields['heads'] => ({ danceability: [null, null], aggressive: [null, null], happy: [null, null], relaxed: [null, null] });

export const playlistDraft = $state({
  seeds: [] as PickedTrack[],
  /** The destination of a path (then exactly one seed). */
  to: null as PickedTrack | null,
  length: 20,
  artistGap: 3,
  /** The seeds open the playlist (a path: starts at its seed); off, the playlist is only what they lead to. */
  startWithSeeds: true,
  filters: { genres: '', tempo: [null, null], energy: [null, null], duration: ['', ''], heads: noHeads() } as FilterFields,
  /** Only the weights the user changed; the others keep the core's defaults. */
  weights: {} as Partial<Record<WeightName, number>>,
  /** The defaults, as the core reported them for a build without weights. */
  defaultWeights: null as Partial<Record<WeightName, number>> | null,
  result: null as Playlist | null,
  name: '',
  /** Set by `startPlaylistFrom`: the Playlists page builds the draft as soon as it opens. */
  buildOnArrival: false,
});

/** Starts a new playlist from one track (the Track page's button), for the Playlists page to build on arrival. */
export function startPlaylistFrom(track: PickedTrack): void {
  Object.assign(playlistDraft, { seeds: [track], to: null, result: null, name: '', buildOnArrival: true } satisfies Partial<typeof playlistDraft>);
}

/** Seconds as "m:ss". */
export const clock = (total: number): string => `${Math.floor(total / 60)}:${String(Math.round(total % 60)).padStart(2, '0')}`;

/** "3:30" or "3" (minutes) → seconds; "" → null; throws on anything else. */
function seconds(text: string): number | null {
  if (!text.trim()) return null;
  const match = /^\s*(\d+)(?::([0-5]?\d))?\s*$/.exec(text);
  if (!match) throw new Error(`"${text}" is not a duration: write minutes and seconds as 3:30, or minutes alone.`);
  return Number(match[1]) * 60 + Number(match[2] ?? 0);
}

/** A range from two optional bounds (the missing one is the scale's end), or undefined when both are empty. */
function range(what: string, [low, high]: [number | null, number | null], min: number, max: number): [number, number] | undefined {
  if (low === null && high === null) return undefined;
  const pair: [number, number] = [low ?? min, high ?? max];
  if (pair[0] > pair[1]) throw new Error(`The ${what} range goes from ${pair[0]} to ${pair[1]}: the lower bound must come first.`);
  return pair;
}

/** The filters of the form as the API takes them; throws an error in words for a bad field. */
function filtersOf(fields: FilterFields): PlaylistFiltersInput | undefined {
  const genres = fields.genres.split(/[,;]/).map((genre) => genre.trim()).filter(Boolean);
  const filters: PlaylistFiltersInput = {
    genres: genres.length ? genres : undefined,
    tempo: range('tempo', fields.tempo, 0, 1000),
    energy: range('energy', fields.energy, 0, 1),
    durationSec: range('duration', [seconds(fields.duration[0]), seconds(fields.duration[1])], 0, 86_400),
    ...Object.fromEntries((Object.keys(HEAD_FILTERS) as HeadFilter[]).map((name) => [name, range(HEAD_FILTERS[name].toLowerCase(), fields.heads[name], 0, 1)])),
  };
  const set = Object.entries(filters).filter(([, value]) => value !== undefined);
  return set.length ? Object.fromEntries(set) : undefined;
}

/** The recipe the form describes; throws an error in words when it is incomplete or a field is wrong. */
export function recipeOf(draft: typeof playlistDraft): PlaylistRecipe {
  if (draft.seeds.length === 0) throw new Error('Pick at least one seed track.');
  if (!Number.isInteger(draft.length) || draft.length < 1 || draft.length > 1000) throw new Error('The length is a whole number of tracks, from 1 to 1000.');
  if (!Number.isInteger(draft.artistGap) || draft.artistGap < 0 || draft.artistGap > 100) throw new Error('The artist gap is a whole number of tracks, from 0 to 100.');
  if (draft.to && draft.seeds.length !== 1) throw new Error('A path goes from one track to another: keep exactly one seed, or remove the destination.');
  if (!draft.to && draft.startWithSeeds && draft.length < draft.seeds.length) throw new Error(`${draft.length} track${draft.length === 1 ? '' : 's'} cannot hold the ${draft.seeds.length} seeds it starts with: make it longer, or untick “Start with the seeds”.`);
  const weights = Object.keys(draft.weights).length ? { ...draft.weights } : undefined;
  const recipe: PlaylistRecipe = { seeds: draft.seeds.map((seed) => seed.trackId), length: draft.length, artistGap: draft.artistGap };
  const filters = filtersOf(draft.filters);
  return { ...recipe, ...(draft.to ? { to: draft.to.trackId } : {}), ...(filters ? { filters } : {}), ...(weights ? { weights } : {}), ...(draft.startWithSeeds ? {} : { excludeSeeds: true }) };
}

/** Puts a saved playlist's recipe back into the form, with its seeds and destination as `picked` names them. */
export function openInDraft(playlist: Playlist, picked: Map<number, PickedTrack>): void {
  const { recipe } = playlist;
  const filters = recipe.filters ?? {};
  const pick = (trackId: number): PickedTrack => picked.get(trackId) ?? { trackId, name: `Track ${trackId}`, artist: null };
  Object.assign(playlistDraft, {
    seeds: recipe.seeds.map(pick),
    to: recipe.to === undefined ? null : pick(recipe.to),
    length: recipe.length,
    artistGap: recipe.artistGap ?? 3,
    startWithSeeds: !recipe.excludeSeeds,
    filters: {
      genres: (filters.genres ?? []).join(', '),
      tempo: filters.tempo ?? [null, null],
      energy: filters.energy ?? [null, null],
      duration: filters.durationSec ? [clock(filters.durationSec[0]), clock(filters.durationSec[1])] : ['', ''],
      heads: { ...noHeads(), ...Object.fromEntries((Object.keys(HEAD_FILTERS) as HeadFilter[]).flatMap((name) => (filters[name] ? [[name, filters[name]]] : []))) },
    },
    weights: { ...recipe.weights },
    result: playlist,
    name: playlist.name ?? '',
  } satisfies Partial<typeof playlistDraft>);
}

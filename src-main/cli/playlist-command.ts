import path from 'node:path';
import { parseArgs } from 'node:util';
import { SonorityError } from '../core/errors.ts';
import { readModelMetadata } from '../core/model/model-files.ts';
import { loadTaxonomy } from '../core/taxonomy/taxonomy-file.ts';
import { trackIdAt } from '../core/db/track-records.ts';
import type { Db } from '../core/db/open-database.ts';
import type { Playlist, PlaylistRecipe } from '../core/shapes.ts';
import { buildLibrarySpace, makePlaylist, pathSmoothness, playlistTracks } from '../core/playlists/library-space.ts';
import { createPlaylistsStore } from '../core/playlists/saved-playlists.ts';
import { writePlaylistFile } from '../core/playlists/playlist-files.ts';
import { formatClock } from './format.ts';
import { parseRange, parseWeights } from './playlist-options.ts';
import { MUSICNN_HEAD_KEYS } from '../core/musicnn/model-metadata.ts';
import { withDatabase, writeJsonLine, type CliIo } from './io.ts';

export const PLAYLIST_USAGE = `sonority playlist --seed FILE... [--to FILE] --length N [--exclude-seeds] [--out mix.m3u8] [--relative] [--save NAME]
      [--artist-gap K] [--genre G]... [--tempo 90-120] [--energy 0.5-1] [--duration 120-300]
      [--danceability 0.6-1] [--aggressive 0-0.3] [--happy 0.5-1] [--relaxed 0-1] [--weights timbre=1,embedding=2,musicnn=1]
  sonority playlist --list | --open NAME [--out FILE] [--relative] | --delete NAME`;

const OPTIONS = {
  seed: { type: 'string', multiple: true }, to: { type: 'string' }, length: { type: 'string' }, 'exclude-seeds': { type: 'boolean' }, out: { type: 'string' }, relative: { type: 'boolean' }, save: { type: 'string' },
  'artist-gap': { type: 'string' }, genre: { type: 'string', multiple: true }, tempo: { type: 'string' }, energy: { type: 'string' }, duration: { type: 'string' }, weights: { type: 'string' },
  danceability: { type: 'string' }, aggressive: { type: 'string' }, happy: { type: 'string' }, relaxed: { type: 'string' },
  list: { type: 'boolean' }, open: { type: 'string' }, delete: { type: 'string' }, db: { type: 'string' }, model: { type: 'string' }, json: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

/** The recipe the flags describe, seeds resolved to tracks of the library. */
function recipeFrom(db: Db, values: Values): PlaylistRecipe {
  const length = Number(values.length);
  if (!(Number.isInteger(length) && length >= 1 && length <= 1000)) throw new SonorityError('usage', `--length takes a whole number from 1 to 1000, not "${values.length ?? ''}"`);
  const gap = values['artist-gap'] === undefined ? undefined : Number(values['artist-gap']);
  if (gap !== undefined && !(Number.isInteger(gap) && gap >= 0)) throw new SonorityError('usage', `--artist-gap takes a whole number, not "${values['artist-gap']}"`);
  const filters = {
    genres: values.genre, tempo: parseRange('--tempo', values.tempo), energy: parseRange('--energy', values.energy), durationSec: parseRange('--duration', values.duration),
    ...Object.fromEntries(MUSICNN_HEAD_KEYS.map((name) => [name, parseRange(`--${name}`, values[name], 1)])),
  };
  return {
    seeds: values.seed!.map((file) => trackIdAt(db, path.resolve(file))), to: values.to === undefined ? undefined : trackIdAt(db, path.resolve(values.to)),
    length, artistGap: gap, filters: Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)), weights: parseWeights(values.weights),
    ...(values['exclude-seeds'] ? { excludeSeeds: true } : {}),
  };
}

/** A track's tag genres, then the suggested genre marked as such: "Salsa, Jazz (suggested)". */
const genresText = (t: Playlist['tracks'][number]): string => [...t.genres, ...(t.suggestedGenre ? [`${t.suggestedGenre} (suggested)`] : [])].join(', ') || '—';

/** Prints a playlist as a numbered list, with a path's smoothness against shuffled orders. */
function printPlaylist(io: CliIo, playlist: Playlist): void {
  playlist.tracks.forEach((t, i) => {
    const name = t.title ? `${t.artist ?? 'Unknown artist'} – ${t.title}` : t.fileName;
    io.stdout.write(`${String(i + 1).padStart(3)}. ${name}  [${genresText(t)} · ${Math.round(t.tempo)} BPM · ${formatClock(t.durationSec)}]  d=${t.distance.toFixed(2)}\n`);
  });
  const s = playlist.smoothness;
  if (s) io.stdout.write(`Step distance: mean ${s.mean.toFixed(2)}, max ${s.max.toFixed(2)} (shuffled: mean ${s.shuffledMean.toFixed(2)}, max ${s.shuffledMax.toFixed(2)})\n`);
}

/** Saves and exports a playlist as the flags ask, reporting each on stderr. */
function keep(db: Db, io: CliIo, values: Values, playlist: Playlist, base: { id: string; featureSet: string }): void {
  const entries = playlist.tracks.map((t) => ({ trackId: t.trackId, distance: t.distance }));
  if (values.save) io.stderr.write(`Saved as "${values.save}" (#${createPlaylistsStore(db).save({ name: values.save, recipe: playlist.recipe, featureSet: base.featureSet, modelId: base.id, entries })}).\n`);
  if (values.out) io.stderr.write(`Wrote ${writePlaylistFile(db, entries.map((e) => e.trackId), values.out, { relative: Boolean(values.relative) })} tracks to ${path.resolve(values.out)}.\n`);
}

/**
 * `sonority playlist`: the seeds (unless `--exclude-seeds`) and then the
 * tracks most similar to them, or a smooth path from one seed to `--to`,
 * `--length` tracks in all, in the similarity space of descriptors, the base
 * model's embedding and MusiCNN's; filters by genre, tempo, energy, duration
 * and MusiCNN's danceability and moods; exports M3U8 and saves playlists.
 */
export async function playlistCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: OPTIONS });
  const modes = [values.seed && 'make', values.list && 'list', values.open && 'open', values.delete && 'delete'].filter(Boolean);
  if (modes.length !== 1) throw new SonorityError('usage', `give --seed FILE..., --list, --open NAME or --delete NAME\nusage: ${PLAYLIST_USAGE}`);
  const base = readModelMetadata(values.model ?? (io.env.SONORITY_MODEL || undefined));
  return withDatabase(values.db, io.env, (db) => {
    const store = createPlaylistsStore(db);
    if (values.list) {
      const all = store.list();
      if (values.json) all.forEach((p) => writeJsonLine(io, { type: 'playlist', ...p }));
      else io.stdout.write(all.length ? all.map((p) => `  #${p.id}  ${p.name}  (${p.tracks} tracks, ${p.updatedAt})\n`).join('') : 'No saved playlists.\n');
      return 0;
    }
    if (values.delete) {
      store.remove(store.open(values.delete).id);
      return 0;
    }
    const saved = values.open ? store.open(values.open) : null;
    const library = buildLibrarySpace(db, base, loadTaxonomy(), saved ? saved.recipe.weights : parseWeights(values.weights));
    const tracks = saved && playlistTracks(library, saved.entries);
    const playlist = saved && tracks
      ? { id: saved.id, name: saved.name, recipe: saved.recipe, tracks, smoothness: pathSmoothness(library, saved.recipe, tracks.map((t) => t.trackId)) }
      : makePlaylist(library, recipeFrom(db, values));
    if (values.json) writeJsonLine(io, { type: 'playlist', ...playlist });
    else printPlaylist(io, playlist);
    keep(db, io, { ...values, save: saved ? undefined : values.save }, playlist, base);
    return 0;
  }, values.delete || (values.save && !values.open) ? 'write' : 'read');
}

import type { Db } from '../db/open-database.ts';
import { nowIso } from '../db/time.ts';
import { SonorityError } from '../errors.ts';
import type { PlaylistRecipe, PlaylistSummary } from '../shapes.ts';

/** A saved playlist: its recipe and its tracks as they were when saved. */
export interface SavedPlaylist {
  id: number;
  name: string;
  recipe: PlaylistRecipe;
  featureSet: string;
  modelId: string | null;
  entries: { trackId: number; distance: number }[];
}

/** Saved playlists in the library database. */
export function createPlaylistsStore(db: Db) {
  const byName = db.prepare('SELECT id FROM playlists WHERE name = ?');
  const insert = db.prepare(`INSERT INTO playlists (name, recipe, feature_set, model_id, created_at, updated_at) VALUES (@name, @recipe, @featureSet, @modelId, @now, @now) RETURNING id`);
  const update = db.prepare('UPDATE playlists SET recipe = @recipe, feature_set = @featureSet, model_id = @modelId, updated_at = @now WHERE id = @id');
  const clearTracks = db.prepare('DELETE FROM playlist_tracks WHERE playlist_id = ?');
  const insertTrack = db.prepare('INSERT INTO playlist_tracks (playlist_id, position, track_id, distance) VALUES (?, ?, ?, ?)');
  const list = db.prepare(`SELECT p.id, p.name, p.updated_at AS updatedAt, (SELECT COUNT(*) FROM playlist_tracks pt WHERE pt.playlist_id = p.id) AS tracks FROM playlists p ORDER BY p.updated_at DESC, p.id DESC`);
  const one = db.prepare('SELECT id, name, recipe, feature_set AS featureSet, model_id AS modelId FROM playlists WHERE id = ? OR (? IS NOT NULL AND name = ?)');
  const tracksOf = db.prepare('SELECT track_id AS trackId, distance FROM playlist_tracks WHERE playlist_id = ? ORDER BY position');
  const remove = db.prepare('DELETE FROM playlists WHERE id = ?');
  return {
    /** Saves a playlist under `name`, replacing the tracks and recipe of a playlist of that name (names ignore case); returns its id. */
    save: db.transaction((playlist: Omit<SavedPlaylist, 'id'>): number => {
      const params = { name: playlist.name, recipe: JSON.stringify(playlist.recipe), featureSet: playlist.featureSet, modelId: playlist.modelId, now: nowIso() };
      const existing = byName.get(playlist.name) as { id: number } | undefined;
      const id = existing?.id ?? (insert.get(params) as { id: number }).id;
      if (existing) update.run({ ...params, id });
      clearTracks.run(id);
      playlist.entries.forEach((entry, position) => insertTrack.run(id, position, entry.trackId, entry.distance));
      return id;
    }),
    /** Every saved playlist, most recently saved first. */
    list: (): PlaylistSummary[] => list.all() as PlaylistSummary[],
    /** A saved playlist by id or name; throws `unknown-playlist`. */
    open(idOrName: number | string): SavedPlaylist {
      const name = typeof idOrName === 'string' ? idOrName : null;
      const row = one.get(typeof idOrName === 'number' ? idOrName : -1, name, name) as (Omit<SavedPlaylist, 'recipe' | 'entries'> & { recipe: string }) | undefined;
      if (!row) throw new SonorityError('unknown-playlist', `there is no saved playlist ${typeof idOrName === 'number' ? `#${idOrName}` : `named "${idOrName}"`}`);
      return { ...row, recipe: JSON.parse(row.recipe) as PlaylistRecipe, entries: tracksOf.all(row.id) as SavedPlaylist['entries'] };
    },
    /** Deletes a saved playlist (the tracks stay in the library). */
    remove: (id: number): void => void remove.run(id),
  };
}

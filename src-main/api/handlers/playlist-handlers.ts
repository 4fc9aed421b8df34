import path from 'node:path';
import type { Handlers, PlaylistRecipe } from '../contract.ts';
import { libraryRevision, type ServiceContext } from '../context.ts';
import { loadTaxonomy } from '../../core/taxonomy/taxonomy-file.ts';
import { buildLibrarySpace, makePlaylist, pathSmoothness, playlistTracks, type LibrarySpace } from '../../core/playlists/library-space.ts';
import { createPlaylistsStore } from '../../core/playlists/saved-playlists.ts';
import { m3uEntries, writePlaylistFile } from '../../core/playlists/playlist-files.ts';
import { toM3u8 } from '../../core/playlists/m3u8.ts';
import { loadedModel } from './review-handlers.ts';

/** A file name for a playlist name: no path separators or characters file systems refuse. */
function fileNameFor(name: string): string {
  return `${name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').trim() || 'playlist'}.m3u8`;
}

/** Playlists: build from seeds or between two tracks, save, reload and export (the same core as `sonority playlist`). */
export function createPlaylistHandlers(context: ServiceContext): Pick<Handlers, 'buildPlaylist' | 'savePlaylist' | 'playlists' | 'openPlaylist' | 'deletePlaylist' | 'exportPlaylist'> {
  let cached: { key: string; library: LibrarySpace } | null = null;
  /** The similarity space, rebuilt when the library or the weights change. */
  const spaceFor = (weights: PlaylistRecipe['weights']): LibrarySpace => {
    const key = JSON.stringify([libraryRevision(context), weights ?? null]);
    if (cached?.key !== key) cached = { key, library: buildLibrarySpace(context.db, loadedModel(context), loadTaxonomy(context.taxonomyPath), weights) };
    return cached.library;
  };
  const store = () => createPlaylistsStore(context.db);
  return {
    buildPlaylist: (recipe) => makePlaylist(spaceFor(recipe.weights), recipe),
    savePlaylist: ({ name, recipe, tracks }) => {
      const base = loadedModel(context);
      store().save({ name: name.trim(), recipe, featureSet: base.featureSet, modelId: base.id, entries: tracks });
      return store().list();
    },
    playlists: () => store().list(),
    openPlaylist: ({ playlistId }) => {
      const saved = store().open(playlistId);
      const library = spaceFor(saved.recipe.weights);
      const tracks = playlistTracks(library, saved.entries);
      return { id: saved.id, name: saved.name, recipe: saved.recipe, tracks, smoothness: pathSmoothness(library, saved.recipe, tracks.map((t) => t.trackId)) };
    },
    deletePlaylist: ({ playlistId }) => {
      store().remove(store().open(playlistId).id);
      return store().list();
    },
    exportPlaylist: async ({ name, trackIds, paths }) => {
      const fileName = fileNameFor(name);
      if (context.pickSaveFile) {
        const file = await context.pickSaveFile(fileName);
        const tracks = file ? writePlaylistFile(context.db, trackIds, file, { relative: paths === 'relative' }) : 0;
        return { fileName: file ? path.basename(file) : fileName, savedTo: file, text: null, tracks };
      }
      // The browser saves the download where it likes: relative paths are relative to the served folder, where the file belongs.
      const entries = m3uEntries(context.db, trackIds);
      const relativeTo = paths === 'relative' ? [...context.scanFolders][0] : undefined;
      return { fileName, savedTo: null, text: toM3u8(entries, { relativeTo }), tracks: entries.length };
    },
  };
}

import { dialog, type BrowserWindow, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import { EVENT_CHANNEL, type ApiEvent } from '../api/contract.ts';
import type { ServiceContext } from '../api/context.ts';
import { openDatabase } from '../core/db/open-database.ts';
import { loadGenreModel, type GenreModel } from '../core/model/genre-model.ts';
import { describeRuntime, loadTensorFlow } from '../core/model/tf-runtime.ts';
import { resolveDatabasePath } from '../core/paths.ts';

/** Where the desktop service finds its window and writes its log. */
export interface DesktopServiceOptions {
  window: () => BrowserWindow | null;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

/** Loads TensorFlow.js and the genre model (`SONORITY_MODEL`, else the shipped one), logging the backend, or why it failed. */
async function loadModel(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<{ model: GenreModel | null; backend: string }> {
  let backend = 'none';
  try {
    const runtime = await loadTensorFlow(env);
    backend = runtime.backend;
    log(describeRuntime(runtime));
    const model = await loadGenreModel(runtime, env.SONORITY_MODEL || undefined);
    log(`Genre model ${model.metadata.id}`);
    return { model, backend };
  } catch (error) {
    log(`Genre model not loaded, predictions are off: ${(error as Error)?.message ?? String(error)}`);
    return { model: null, backend };
  }
}

/** Sends an event to the window's page, when there is one still alive. */
function emitTo(window: () => BrowserWindow | null): (event: ApiEvent) => void {
  return (event) => {
    const target = window();
    if (target && !target.isDestroyed() && !target.webContents.isDestroyed()) target.webContents.send(EVENT_CHANNEL, event);
  };
}

/** Asks for a folder with the native dialog (attached to the window); the scan handlers make a chosen folder scannable. */
function folderPicker(window: () => BrowserWindow | null): () => Promise<string | null> {
  return async () => {
    const options: OpenDialogOptions = { title: 'Choose a music folder to scan', properties: ['openDirectory'] };
    const parent = window();
    const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
}

/** Asks where to save a playlist with the native save dialog (attached to the window). */
function saveFilePicker(window: () => BrowserWindow | null): (suggestedName: string) => Promise<string | null> {
  return async (suggestedName) => {
    const options: SaveDialogOptions = { title: 'Export playlist', defaultPath: suggestedName, filters: [{ name: 'Playlist (M3U8)', extensions: ['m3u8'] }] };
    const parent = window();
    const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
    return result.canceled ? null : (result.filePath ?? null);
  };
}

/** The API's context for the desktop app: the per-user library database, the genre model (or null), the native folder and save dialogs and events to the window. */
export async function createDesktopService({ window, env = process.env, log = console.log }: DesktopServiceOptions): Promise<ServiceContext> {
  const databasePath = resolveDatabasePath(undefined, env);
  const db = openDatabase(databasePath);
  const { model, backend } = await loadModel(env, log);
  return { mode: 'desktop', db, databasePath, model, backend, scanFolders: new Set(), pickFolder: folderPicker(window), pickSaveFile: saveFilePicker(window), emit: emitTo(window) };
}

/** Releases the model and closes the database (on quit). */
export function closeDesktopService(service: ServiceContext): void {
  service.model?.dispose();
  service.db.close();
}

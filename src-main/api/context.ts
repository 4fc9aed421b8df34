import type { Db } from '../core/db/open-database.ts';
import type { GenreModel } from '../core/model/genre-model.ts';
import type { ApiEvent } from './contract.ts';

/** What the API handlers work with; the Electron adapter and `serve` each build one. */
export interface ServiceContext {
  mode: 'desktop' | 'serve';
  db: Db;
  databasePath: string;
  /** The loaded genre model and a description of its backend; null when it could not load. */
  model: GenreModel | null;
  backend: string;
  /** Folders the interface may scan; the scan handlers add each folder `pickFolder` returns. */
  scanFolders: Set<string>;
  /** The native folder dialog (desktop); null where folders are fixed (serve). */
  pickFolder: (() => Promise<string | null>) | null;
  /** The native save dialog (desktop), given a suggested file name; null where the browser downloads instead (serve). */
  pickSaveFile: ((suggestedName: string) => Promise<string | null>) | null;
  /** Settings and taxonomy files (default: the per-user ones). */
  settingsPath?: string;
  taxonomyPath?: string;
  ffmpegPath?: string;
  workers?: number;
  /** Pushes an event to the interface. */
  emit: (event: ApiEvent) => void;
  /** Bumped by `libraryChanged`. */
  revision?: number;
}

/** Counts changes to what the library shows (scans, decisions, writes, taxonomy) and tells the interface. */
export function libraryChanged(context: ServiceContext): void {
  context.revision = (context.revision ?? 0) + 1;
  context.emit({ type: 'library-changed' });
}

/** How many times the library changed since the context was made (caches key on it). */
export function libraryRevision(context: ServiceContext): number {
  return context.revision ?? 0;
}

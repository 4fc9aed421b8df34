import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { openDatabase } from '../../src-main/core/db/open-database.ts';
import type { ApiEvent } from '../../src-main/api/contract.ts';
import type { ServiceContext } from '../../src-main/api/context.ts';
import { createHandlers } from '../../src-main/api/service.ts';
import { convertReal, runCli, SHARED_DATA, tempDir } from './fixtures.ts';
import { GTZAN } from './gtzan.ts';
import { shippedModel } from './model.ts';

/** A GTZAN clip's path. */
export const gtzanClip = (name: string) => path.join(GTZAN, 'clips', `${name}.wav`);

/**
 * A small real library scanned by the real CLI: a classical clip tagged Metal
 * (disputed), an untagged jazz clip, a country clip tagged Folk, a metal clip
 * tagged Thrash, and a whale recording (out of distribution).
 */
export async function scannedLibrary(): Promise<{ root: string; dbPath: string; files: Record<string, string> }> {
  const root = tempDir('sonority-lib-');
  const dbPath = path.join(tempDir(), 'library.db');
  const files = {
    disputed: await convertReal(gtzanClip('classical.00000'), path.join(root, 'classical tagged metal.mp3'), 'mp3', { genre: 'Metal', title: 'Classical Piece', artist: 'Orchestra' }),
    untagged: await convertReal(gtzanClip('jazz.00000'), path.join(root, 'jazz.flac'), 'flac', { title: 'Jazz Tune', artist: 'Quartet' }),
    folk: await convertReal(gtzanClip('country.00000'), path.join(root, 'country.ogg'), 'ogg', { genre: 'Folk', title: 'Country Song', artist: 'Singer' }),
    thrash: await convertReal(gtzanClip('metal.00000'), path.join(root, 'metal.m4a'), 'm4a', { genre: 'Thrash', title: 'Metal Song', artist: 'Band' }),
    whale: path.join(root, 'whale.ogg'),
  };
  fs.copyFileSync(path.join(SHARED_DATA, 'recordings', 'glacier-bay-humpback.hq.ogg'), files.whale);
  const scan = await runCli(['scan', root, '--db', dbPath]);
  expect(scan.code, scan.stderr).toBe(0);
  return { root, dbPath, files };
}

/** API handlers over a database, with the shipped model (wasm), fresh settings/taxonomy files, and the events they emit collected. */
export async function serviceFor(dbPath: string, root: string, overrides: Partial<ServiceContext> = {}) {
  const events: ApiEvent[] = [];
  const config = tempDir('sonority-config-');
  const model = await shippedModel();
  const context: ServiceContext = {
    mode: 'serve', db: openDatabase(dbPath), databasePath: dbPath, model, backend: 'wasm',
    scanFolders: new Set([root]), pickFolder: null, pickSaveFile: null,
    settingsPath: path.join(config, 'settings.json'), taxonomyPath: path.join(config, 'taxonomy.json'),
    emit: (event) => events.push(event), ...overrides,
  };
  return { context, handlers: createHandlers(context), events, close: () => { context.db.close(); model.dispose(); } };
}

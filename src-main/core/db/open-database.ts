import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SonorityError } from '../errors.ts';
import { MIGRATIONS } from './migrations/index.ts';

export type Db = Database.Database;

/** Turns SQLite's lock and corruption errors into messages that say what to do. */
export function describeDatabaseError(error: unknown, file: string): SonorityError | undefined {
  const code = (error as { code?: string } | undefined)?.code ?? '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new SonorityError('db-locked', `the library database ${file} is locked by another program (is another Sonority scan or the app running?); try again when it has finished`, { cause: error });
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new SonorityError('db-corrupt', `the library database ${file} is damaged or is not a Sonority database; it was left untouched — move it aside (or pass --db with another file) and scan again`, { cause: error });
  }
  if (code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_IOERR') {
    return new SonorityError('db-unwritable', `cannot open the library database ${file} for writing (${(error as Error).message})`, { cause: error });
  }
  return undefined;
}

/** Applies the migrations the database has not seen yet, each in its own transaction. */
export function migrate(db: Db): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new SonorityError('db-too-new', `the library database was written by a newer Sonority (schema ${current}, this version knows ${MIGRATIONS.length}); update Sonority`);
  }
  for (let version = current + 1; version <= MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version - 1]!);
      db.pragma(`user_version = ${version}`);
    })();
  }
  return MIGRATIONS.length;
}

/**
 * Opens (creating if needed) the library database in WAL mode and migrates it.
 * Lock and corruption problems become `SonorityError`s; a damaged file is never
 * modified or replaced.
 */
export function openDatabase(file: string, options: { busyTimeoutMs?: number } = {}): Db {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  } catch (error) {
    throw new SonorityError('db-unwritable', `cannot create the folder for the library database ${file}: ${(error as Error).message}`, { cause: error });
  }
  let db: Db | undefined;
  try {
    db = new Database(file, { timeout: options.busyTimeoutMs ?? 5000 });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  } catch (error) {
    db?.close();
    throw describeDatabaseError(error, file) ?? error;
  }
}

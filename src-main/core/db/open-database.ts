import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SonorityError } from '../errors.ts';
import { MIGRATIONS } from './migrations/index.ts';

export type Db = Database.Database;

/** How a command uses the library: `write` creates, checks and migrates it; `read` needs an existing library and opens it read-only. */
export type DatabaseAccess = 'write' | 'read';

/** `quick`: SQLite's `quick_check` (every page and b-tree, not what the indexes hold); `full`: `integrity_check` (also every index against its table: rows missing from an index). */
export type IntegrityDepth = 'quick' | 'full';

export interface OpenOptions {
  busyTimeoutMs?: number;
  /** Default `write`. */
  access?: DatabaseAccess;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** Whether SQLite refused `error`'s operation because the file is damaged or is not a database. */
export const isCorruption = (error: unknown): boolean => {
  const code = (error as { code?: string } | undefined)?.code ?? '';
  return code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT');
};

/** The error for a damaged database (or a file that is not one); `untouched`: found before anything was written, which it promises. */
function damagedError(file: string, cause: unknown, untouched: boolean): SonorityError {
  const state = untouched ? 'it was left untouched' : 'Sonority stopped where it met the damage';
  return new SonorityError('db-corrupt', `the library database ${file} is damaged or is not a Sonority database; ${state} — \`sonority doctor --db ${file}\` lists the damage; move it aside (or pass --db with another file) and scan again`, { cause });
}

/** Turns SQLite's lock and corruption errors into messages that say what to do. */
function describeDatabaseError(error: unknown, file: string): SonorityError | undefined {
  const code = (error as { code?: string } | undefined)?.code ?? '';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new SonorityError('db-locked', `the library database ${file} is locked by another program (is another Sonority scan or the app running?); try again when it has finished`, { cause: error });
  }
  if (isCorruption(error)) return damagedError(file, error, true);
  if (code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_IOERR') {
    return new SonorityError('db-unwritable', `cannot open the library database ${file} for writing (${(error as Error).message})`, { cause: error });
  }
  return undefined;
}

/** The schema version the database is at; refuses one written by a newer Sonority. */
function schemaVersion(db: Db): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new SonorityError('db-too-new', `the library database was written by a newer Sonority (schema ${current}, this version knows ${MIGRATIONS.length}); update Sonority`);
  }
  return current;
}

/** Applies the migrations the database has not seen yet, each in its own transaction. */
export function migrate(db: Db): number {
  for (let version = schemaVersion(db) + 1; version <= MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version - 1]!);
      db.pragma(`user_version = ${version}`);
    })();
  }
  return MIGRATIONS.length;
}

/** The WAL side files (`-wal`, `-shm`) that do not exist yet: opening the database, even read-only, creates them. */
function missingSideFiles(file: string): string[] {
  return ['-wal', '-shm'].map((suffix) => `${file}${suffix}`).filter((side) => !fs.existsSync(side));
}

/**
 * Has SQLite remove the WAL side files that a read-only connection created
 * next to a damaged database (`created`: they were not there before), so the
 * database is left as it was found. A plain connection reads the header and closes:
 * the last connection to close removes them, and none does while another
 * program still has the database open. Only when the WAL was created here:
 * it is then empty, so closing copies nothing into the damaged file. Where
 * even that open fails, they stay.
 */
function releaseSideFiles(file: string, created: readonly string[]): void {
  if (!created.some((side) => side.endsWith('-wal'))) return;
  try {
    const db = new Database(file, { fileMustExist: true });
    try {
      db.pragma('user_version'); // a connection that read nothing closes without looking at the WAL
    } finally {
      db.close();
    }
  } catch {
    // Left for SQLite to reuse; they hold nothing.
  }
}

/**
 * Runs SQLite's `quick_check` (`quick`) or `integrity_check` (`full`) on a
 * read-only connection, so nothing is written, and returns the problems it
 * lists (none: intact). A file SQLite cannot read as a database is one
 * problem; a damaged one is left as it was found. Lock errors become
 * `SonorityError`s.
 */
export function checkIntegrity(file: string, depth: IntegrityDepth, busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS): string[] {
  const created = missingSideFiles(file);
  let reader: Db | undefined;
  let problems: string[];
  try {
    reader = new Database(file, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
    const rows = reader.pragma(depth === 'quick' ? 'quick_check' : 'integrity_check') as Array<Record<string, string>>;
    problems = rows.map((row) => Object.values(row)[0]!).filter((line) => line !== 'ok');
  } catch (error) {
    if (!isCorruption(error)) throw describeDatabaseError(error, file) ?? error;
    problems = [(error as Error).message];
  } finally {
    reader?.close();
  }
  if (problems.length > 0) releaseSideFiles(file, created);
  return problems;
}

/** Opens a connection in WAL mode with foreign keys on and migrates it. */
function connectForWriting(file: string, busyTimeoutMs: number): Db {
  const db = new Database(file, { timeout: busyTimeoutMs });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Refuses (`db-missing`) a library database that does not exist, naming the path: a mistyped --db must not read as an empty library. */
export function assertDatabaseExists(file: string): void {
  if (!fs.existsSync(file)) throw new SonorityError('db-missing', `there is no library database at ${file} (nothing was created); check --db or $SONORITY_DB, or scan a folder to create one`);
}

/** Opens an existing library read-only; one whose schema is older is migrated through the checked writable open instead. */
function connectForReading(file: string, busyTimeoutMs: number): Db {
  assertDatabaseExists(file);
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
  let current: number;
  try {
    current = schemaVersion(db);
  } catch (error) {
    db.close();
    throw error;
  }
  if (current === MIGRATIONS.length) return db;
  db.close();
  return openDatabase(file, { busyTimeoutMs, access: 'write' });
}

function ensureFolder(file: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  } catch (error) {
    throw new SonorityError('db-unwritable', `cannot create the folder for the library database ${file}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Opens the library database. `write` (the default) creates it if needed;
 * an existing file is first checked with `integrity_check` on a read-only
 * connection, and a damaged one is refused (`db-corrupt`) and left byte for
 * byte as it was; then it is opened in WAL mode and migrated. (`quick_check`
 * misses rows missing from an index and saves only a third of the time:
 * `npm run bench:db`.) `read` refuses a database that does not exist
 * (`db-missing`; nothing is created) and opens it read-only without the
 * check, which would make `status` several times slower (1.4 s more at
 * 100,000 tracks); a query that meets damage fails with `db-corrupt`. Lock
 * and corruption problems become `SonorityError`s.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  try {
    if (options.access === 'read') return connectForReading(file, busyTimeoutMs);
    ensureFolder(file);
    if (fs.statSync(file, { throwIfNoEntry: false })?.size && checkIntegrity(file, 'full', busyTimeoutMs).length > 0) throw damagedError(file, undefined, true);
    return connectForWriting(file, busyTimeoutMs);
  } catch (error) {
    throw describeDatabaseError(error, file) ?? error;
  }
}

/**
 * Opens the library for `access`, runs `work` on it and closes it. SQLite's
 * errors become `SonorityError`s; damage met by a read is reported as
 * leaving the file untouched (and a read leaves no side files next to it),
 * damage met while writing as where Sonority stopped.
 */
export async function withDatabaseFile<T>(file: string, access: DatabaseAccess, work: (db: Db) => Promise<T> | T): Promise<T> {
  const created = missingSideFiles(file);
  let db: Db | undefined;
  let damaged = false;
  try {
    db = openDatabase(file, { access });
    return await work(db);
  } catch (error) {
    damaged = isCorruption(error) || (error instanceof SonorityError && error.code === 'db-corrupt');
    if (damaged && db && access === 'write') throw damagedError(file, error, false);
    throw describeDatabaseError(error, file) ?? error;
  } finally {
    db?.close();
    if (damaged && access === 'read') releaseSideFiles(file, created);
  }
}

import { withDatabaseFile, type DatabaseAccess, type Db } from '../core/db/open-database.ts';
import { resolveDatabasePath } from '../core/paths.ts';

/** Where a command writes: stdout for results, stderr for people. Injected so tests can capture it. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/**
 * Opens the database chosen by `--db` / `SONORITY_DB` for `access` (`read`:
 * it must exist, and is not written), runs `work`, closes it; SQLite errors
 * become readable ones.
 */
export async function withDatabase<T>(explicitPath: string | undefined, env: NodeJS.ProcessEnv, work: (db: Db, file: string) => Promise<T> | T, access: DatabaseAccess = 'write'): Promise<T> {
  const file = resolveDatabasePath(explicitPath, env);
  return withDatabaseFile(file, access, (db) => work(db, file));
}

/** Writes one JSON object per line (NDJSON). */
export function writeJsonLine(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value)}\n`);
}

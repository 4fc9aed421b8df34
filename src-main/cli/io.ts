import { describeDatabaseError, openDatabase, type Db } from '../core/db/open-database.ts';
import { resolveDatabasePath } from '../core/paths.ts';

/** Where a command writes: stdout for results, stderr for people. Injected so tests can capture it. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/** Opens the database chosen by `--db` / `SONORITY_DB`, runs `work`, closes it; SQLite errors become readable ones. */
export async function withDatabase<T>(explicitPath: string | undefined, env: NodeJS.ProcessEnv, work: (db: Db, file: string) => Promise<T> | T): Promise<T> {
  const file = resolveDatabasePath(explicitPath, env);
  const db = openDatabase(file);
  try {
    return await work(db, file);
  } catch (error) {
    throw describeDatabaseError(error, file) ?? error;
  } finally {
    db.close();
  }
}

/** Writes one JSON object per line (NDJSON). */
export function writeJsonLine(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value)}\n`);
}

import { sql as library001 } from './001-library.ts';

/** Every migration in order; the position + 1 is the schema version it produces. */
export const MIGRATIONS: readonly string[] = [library001];

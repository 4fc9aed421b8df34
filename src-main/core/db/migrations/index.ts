import { sql as library001 } from './001-library.ts';
import { sql as descriptors002 } from './002-descriptors.ts';

/** Every migration in order; the position + 1 is the schema version it produces. */
export const MIGRATIONS: readonly string[] = [library001, descriptors002];

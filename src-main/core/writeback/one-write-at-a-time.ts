import type { Db } from '../db/open-database.ts';
import { SonorityError } from '../errors.ts';

const writing = new WeakSet<Db>();

/**
 * Runs a write or undo batch unless another one on the same database is
 * running in this process (it would settle the other's journal entries as
 * abandoned); throws `write-running` then.
 */
export async function oneWriteAtATime<T>(db: Db, work: () => Promise<T>): Promise<T> {
  if (writing.has(db)) throw new SonorityError('write-running', 'another write or undo is running; wait until it has finished');
  writing.add(db);
  try {
    return await work();
  } finally {
    writing.delete(db);
  }
}

import fs from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { describeWriteError, SonorityError } from '../errors.ts';

/** Size and mtime the library last saw. */
export interface ScannedState {
  size: number;
  mtimeMs: number;
}

/** Whether this user may write `file` (false on any error). */
const mayWrite = (file: string): Promise<boolean> => fs.access(file, fs.constants.W_OK).then(() => true, () => false);

/**
 * Stats `file` and checks it may be rewritten now: a plain file, writable by
 * this user (and not merely because root may write anything) in a folder it
 * may write (the new version is written beside it first), with one link
 * (a rewrite would separate hard links), and, given `expected`, still of the
 * size and mtime the scan saw. A stat, a realpath and two access checks,
 * asynchronous, so an apply plan can ask it of many files at once without
 * blocking the process it runs in. Rejects with a
 * `SonorityError` naming the file (`not-a-file`, `read-only`, `hard-linked`,
 * `changed-since-scan`, `vanished`, …).
 */
export async function statForWriting(file: string, expected?: ScannedState): Promise<Stats> {
  let stat: Stats;
  let folder: string;
  try {
    stat = await fs.stat(file);
    folder = path.dirname(await fs.realpath(file));
  } catch (error) {
    throw describeWriteError(error, file);
  }
  if (!stat.isFile()) throw new SonorityError('not-a-file', `${file}: not a file`);
  if ((stat.mode & 0o222) === 0 || !(await mayWrite(file))) throw new SonorityError('read-only', `${file}: the file is read-only for you; make it writable to tag it`);
  if (!(await mayWrite(folder))) throw new SonorityError('read-only', `${file}: its folder is read-only for you, and Sonority writes the new version beside the file before putting it in its place; make the folder writable to tag it`);
  if (stat.nlink > 1) throw new SonorityError('hard-linked', `${file}: the file has ${stat.nlink} hard links; rewriting it would separate them, so it is left alone`);
  if (expected && (stat.size !== expected.size || Math.abs(stat.mtimeMs - expected.mtimeMs) > 1)) {
    throw new SonorityError('changed-since-scan', `${file}: the file changed since it was scanned (size or modification time differ); scan again before writing`);
  }
  return stat;
}

import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { BigIntStats, Stats } from 'node:fs';
import { describeWriteError, SonorityError } from '../errors.ts';

/** What is known just before the new bytes are written: the journal records it. */
export interface ReplacementPlan {
  /** The temporary file the new bytes go to first, in the target's folder; it does not exist yet. */
  temporaryPath: string;
  /** The modification time of the file being replaced, in nanoseconds since the epoch. */
  mtimeNs: bigint;
}

export interface ReplaceOptions {
  /** The modification time to give the new file: the original's (`keep`), this one (nanoseconds since the epoch), or the time of writing (`update`). */
  mtime: 'keep' | 'update' | bigint;
  /** Called once the temporary file's name is chosen and before it is created; throwing stops the replacement. */
  beforeWrite?: (plan: ReplacementPlan) => void;
}

const TEMPORARY_NAME = /^\..+\.sonority-[0-9a-f]{8}\.tmp$/s;
const NS_PER_SECOND = 1_000_000_000n;

/** Whether a file name has the shape of the temporary files `replaceFileAtomically` writes (`.NAME.sonority-1a2b3c4d.tmp`). */
export function isTemporaryFileName(name: string): boolean {
  return TEMPORARY_NAME.test(name);
}

/**
 * Nanoseconds since the epoch as the decimal seconds `fs.utimes` accepts.
 * Node turns it into the nearest double, the most exact time it can set:
 * within 120 ns for dates from 2004 to 2038 (one double step is 238 ns there).
 */
function secondsText(ns: bigint): string {
  const magnitude = ns < 0n ? -ns : ns;
  return `${ns < 0n ? '-' : ''}${magnitude / NS_PER_SECOND}.${String(magnitude % NS_PER_SECOND).padStart(9, '0')}`;
}

/** The milliseconds Node reports in a plain `Stats` for a time in nanoseconds (seconds × 1000 + nanoseconds / 10⁶, in doubles). */
function plainMilliseconds(ns: bigint): number {
  const remainder = ((ns % NS_PER_SECOND) + NS_PER_SECOND) % NS_PER_SECOND;
  return Number((ns - remainder) / NS_PER_SECOND) * 1000 + Number(remainder) / 1e6;
}

/** Stats `target` in nanoseconds; throws `changed-since-scan` unless its size and mtime are still those of `read`. */
async function statUnchanged(file: string, target: string, read: Stats | BigIntStats): Promise<BigIntStats> {
  const now = await fs.stat(target, { bigint: true });
  const same = typeof read.mtimeMs === 'bigint'
    ? now.size === read.size && now.mtimeNs === (read as BigIntStats).mtimeNs
    : Number(now.size) === read.size && plainMilliseconds(now.mtimeNs) === read.mtimeMs;
  if (!same) throw new SonorityError('changed-since-scan', `${file}: the file changed while Sonority was writing it; nothing was changed`);
  return now;
}

/** Fills the new temporary file `handle` with `bytes`, the original's permissions (and owner, where allowed) and the modification time `mtime` asks for, and flushes it. */
async function fillTemporary(handle: fs.FileHandle, temp: string, bytes: Uint8Array, original: BigIntStats, mtime: ReplaceOptions['mtime']): Promise<void> {
  try {
    await handle.writeFile(bytes);
    await handle.chmod(Number(original.mode) & 0o7777);
    await handle.chown(Number(original.uid), Number(original.gid)).catch(() => {}); // only root may give a file to another owner: best effort
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (mtime !== 'update') await fs.utimes(temp, secondsText(original.atimeNs), secondsText(mtime === 'keep' ? original.mtimeNs : mtime));
}

/**
 * Replaces `file` with `bytes` atomically. A symlink is followed, so its
 * target is replaced and the link stays a link. Checks the original still
 * has the size and mtime of `stat` (what was read), names a temporary file
 * in the target's folder (`options.beforeWrite` hears of it first), writes
 * it with the original's permissions (and owner, where allowed), flushes it
 * to disk, gives it the modification time of `options.mtime` as exactly as
 * Node can set one (see `secondsText`), checks the original again, renames
 * the temporary file over it and flushes the folder. On any failure the
 * temporary file is removed and the original is untouched.
 */
export async function replaceFileAtomically(file: string, bytes: Uint8Array, stat: Stats | BigIntStats, options: ReplaceOptions): Promise<void> {
  const target = await fs.realpath(file).catch((error) => {
    throw describeWriteError(error, file);
  });
  const original = await statUnchanged(file, target, stat).catch((error) => {
    throw describeWriteError(error, file);
  });
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.sonority-${randomBytes(4).toString('hex')}.tmp`);
  options.beforeWrite?.({ temporaryPath: temp, mtimeNs: original.mtimeNs });
  // Created here or not at all ('wx'): a file of that name that already exists is someone else's and is never removed.
  const handle = await fs.open(temp, 'wx', Number(original.mode) & 0o7777).catch((error) => {
    throw describeWriteError(error, file);
  });
  try {
    await fillTemporary(handle, temp, bytes, original, options.mtime);
    await statUnchanged(file, target, original);
    await fs.rename(temp, target);
  } catch (error) {
    // A temporary file that cannot be removed now stays named in the journal's pending entry, for the next run to remove.
    await fs.rm(temp, { force: true }).catch(() => {});
    throw describeWriteError(error, file);
  }
  // Flush the rename; some systems cannot fsync a folder (Windows, some network mounts), and the file is already in place.
  await fs.open(path.dirname(target), 'r').then((folder) => folder.sync().finally(() => folder.close())).catch(() => {});
}

import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { describeWriteError, SonorityError } from '../errors.ts';

/**
 * Replaces `file` with `bytes` atomically. A symlink is followed, so its
 * target is replaced and the link stays a link. Writes a temporary file in
 * the target's folder with the original's permissions (and owner, where
 * allowed), flushes it to disk, checks the
 * original still has the size and mtime of `stat` (what was read), renames
 * the temporary file over it and flushes the folder. `mtime`: the
 * modification time to give the new file, or null for now. On any failure
 * the temporary file is removed and the original is untouched.
 */
export async function replaceFileAtomically(file: string, bytes: Uint8Array, stat: Stats, mtime: Date | null): Promise<void> {
  const target = await fs.realpath(file).catch((error) => {
    throw describeWriteError(error, file);
  });
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.sonority-${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await fs.open(temp, 'wx', stat.mode & 0o7777);
    try {
      await handle.writeFile(bytes);
      await handle.chmod(stat.mode & 0o7777);
      await handle.chown(stat.uid, stat.gid).catch(() => {}); // only root may give a file to another owner: best effort
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (mtime) await fs.utimes(temp, stat.atime, mtime);
    const now = await fs.stat(target);
    if (now.size !== stat.size || now.mtimeMs !== stat.mtimeMs) throw new SonorityError('changed-since-scan', `${file}: the file changed while Sonority was writing it; nothing was changed`);
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw describeWriteError(error, file);
  }
  // Flush the rename; some systems cannot fsync a folder (Windows, some network mounts), and the file is already in place.
  await fs.open(path.dirname(target), 'r').then((folder) => folder.sync().finally(() => folder.close())).catch(() => {});
}

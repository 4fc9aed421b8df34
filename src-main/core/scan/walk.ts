import fs from 'node:fs/promises';
import path from 'node:path';
import { describeFileError } from '../errors.ts';

/** A regular file found under the scanned folder, with the stat the scan compares against. */
export interface FoundFile {
  kind: 'file';
  path: string;
  size: number;
  mtimeMs: number;
}

/** Something under the folder that could not be walked: a broken link, a loop, an unreadable folder. */
export interface WalkProblem {
  kind: 'problem';
  path: string;
  code: string;
  message: string;
}

export type WalkEntry = FoundFile | WalkProblem;

const problem = (entryPath: string, code: string, message: string): WalkProblem => ({ kind: 'problem', path: entryPath, code, message });

/** Hidden entries (`.git`, `.Trash`, macOS `._` resource forks) are not part of a music library. */
function isHidden(name: string): boolean {
  return name.startsWith('.');
}

async function resolveLink(linkPath: string): Promise<{ stat: import('node:fs').Stats } | WalkProblem> {
  try {
    return { stat: await fs.stat(linkPath) };
  } catch (error) {
    const target = await fs.readlink(linkPath).catch(() => '?');
    const errno = (error as NodeJS.ErrnoException).code;
    if (errno === 'ENOENT') return problem(linkPath, 'broken-symlink', `broken symlink: it points to ${target}, which does not exist`);
    if (errno === 'ELOOP') return problem(linkPath, 'symlink-loop', `symlink loop: ${target} leads back to itself`);
    const { code, message } = describeFileError(error);
    return problem(linkPath, code, message);
  }
}

/**
 * Walks `root` depth-first in name order, following symlinks, and yields every
 * regular file with its size and mtime, plus a `WalkProblem` for each entry it
 * cannot follow. Each real folder is entered once, so symlink loops end.
 * Names that are not valid UTF-8 are reported, since they cannot be reopened.
 */
export async function* walkFolder(root: string): AsyncGenerator<WalkEntry> {
  const rootStat = await fs.stat(root);
  const entered = new Set<string>([`${rootStat.dev}:${rootStat.ino}`]);
  const pending: string[] = [root];
  while (pending.length > 0) {
    const folder = pending.pop()!;
    let names: import('node:fs').Dirent[];
    try {
      names = await fs.readdir(folder, { withFileTypes: true });
    } catch (error) {
      const { code, message } = describeFileError(error);
      yield problem(folder, code === 'permission-denied' ? 'unreadable-folder' : code, code === 'permission-denied' ? 'permission denied: Sonority may not list this folder' : message);
      continue;
    }
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subfolders: string[] = [];
    for (const dirent of names) {
      if (isHidden(dirent.name)) continue;
      const entryPath = path.join(folder, dirent.name);
      if (dirent.name.includes('\uFFFD')) {
        yield problem(entryPath, 'bad-file-name', 'the name is not valid UTF-8, so it cannot be opened reliably; rename it');
        continue;
      }
      let stat: import('node:fs').Stats;
      if (dirent.isSymbolicLink()) {
        const resolved = await resolveLink(entryPath);
        if ('kind' in resolved) {
          yield resolved;
          continue;
        }
        stat = resolved.stat;
      } else if (dirent.isDirectory() || dirent.isFile()) {
        try {
          stat = await fs.stat(entryPath);
        } catch (error) {
          const { code, message } = describeFileError(error);
          yield problem(entryPath, code, message);
          continue;
        }
      } else {
        continue;
      }
      if (stat.isDirectory()) {
        const key = `${stat.dev}:${stat.ino}`;
        if (entered.has(key)) {
          if (dirent.isSymbolicLink()) yield problem(entryPath, 'symlink-loop', `symlink loop: this link leads to ${await fs.realpath(entryPath).catch(() => '?')}, a folder already being scanned; skipped`);
          continue;
        }
        entered.add(key);
        subfolders.push(entryPath);
      } else if (stat.isFile()) {
        yield { kind: 'file', path: entryPath, size: stat.size, mtimeMs: stat.mtimeMs };
      }
    }
    pending.push(...subfolders.reverse());
  }
}

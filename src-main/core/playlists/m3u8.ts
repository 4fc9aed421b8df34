import path from 'node:path';
import { SonorityError } from '../errors.ts';

/** One playlist line: the file and what players show before they read its tags. */
export interface M3uEntry {
  /** Absolute path of the file. */
  path: string;
  durationSec: number | null;
  artist: string | null;
  title: string | null;
}

/** A drive-letter (`C:\`, `C:/`) or UNC (`\\server\share`) path. */
const WINDOWS_PATH = /^([a-z]:[\\/]|\\\\)/i;

/** Line breaks of any kind (a name with one would end the #EXTINF line early). */
const LINE_BREAK = /[\r\n\u0085\u2028\u2029]/;

function pathApi(...paths: string[]): path.PlatformPath {
  return paths.some((p) => WINDOWS_PATH.test(p)) ? path.win32 : path.posix;
}

function oneLine(text: string | null): string {
  return (text ?? '').split(LINE_BREAK).map((part) => part.trim()).filter(Boolean).join(' ');
}

/** `Artist - Title`, the title alone, or else the file's name. */
function displayName(entry: M3uEntry): string {
  const [artist, title] = [oneLine(entry.artist), oneLine(entry.title)];
  if (title) return artist ? `${artist} - ${title}` : title;
  return oneLine(pathApi(entry.path).basename(entry.path));
}

function playlistPath(file: string, relativeTo: string | undefined): string {
  if (LINE_BREAK.test(file)) throw new SonorityError('playlist-path', `${JSON.stringify(file)} has a line break in its name: an M3U playlist cannot hold it`);
  if (relativeTo === undefined) return file;
  const api = pathApi(file, relativeTo);
  if (!api.isAbsolute(file) || !api.isAbsolute(relativeTo)) throw new SonorityError('playlist-path', `relative playlist paths need absolute paths: ${file} from ${relativeTo}`);
  const [fileRoot, folderRoot] = [file, relativeTo].map((p) => api.parse(api.resolve(p)).root.toLowerCase());
  if (fileRoot !== folderRoot) throw new SonorityError('playlist-path', `${file} is on another drive than the playlist's folder ${relativeTo}: no relative path leads there; save the playlist with absolute paths`);
  return api.relative(relativeTo, file).split(api.sep).join('/');
}

/**
 * Writes an extended M3U playlist (the text of a UTF-8 `.m3u8` file):
 * `#EXTM3U`, then for each entry `#EXTINF:<whole seconds, or -1>,<Artist -
 * Title, or the file name>` and its path. Paths are absolute as given, or,
 * with `relativeTo` (the playlist file's folder), relative to it with `/`
 * separators (which players on every system read). Line breaks in names become
 * spaces; commas stay (the name is everything after the first comma). Throws
 * `playlist-path` for a path with a line break, a relative path asked for
 * across Windows drives (or between Windows and POSIX paths), or a path
 * that is not absolute.
 */
export function toM3u8(entries: readonly M3uEntry[], options: { relativeTo?: string } = {}): string {
  const lines = ['#EXTM3U'];
  for (const entry of entries) {
    const seconds = entry.durationSec !== null && Number.isFinite(entry.durationSec) && entry.durationSec >= 0 ? Math.round(entry.durationSec) : -1;
    lines.push(`#EXTINF:${seconds},${displayName(entry)}`, playlistPath(entry.path, options.relativeTo));
  }
  return `${lines.join('\n')}\n`;
}

import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built renderer (`npm run build`): the only folder Electron's app scheme and `serve` hand out. */
export const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** The content type of a renderer file, by its extension. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `root` that a URL path names (`/` is `index.html`), or null
 * for a path that leaves `root` (decoded first, so `%2e%2e%2f` and `..%5c`
 * are caught like `../`), holds a NUL, or is not valid percent-encoding.
 */
export function rendererFile(pathname: string, root: string): string | null {
  let relative: string;
  try {
    relative = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (relative.includes('\0')) return null;
  const file = path.resolve(root, `.${relative === '/' ? '/index.html' : relative}`);
  const inside = path.relative(root, file);
  if (inside === '' || inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside)) return null;
  return file;
}

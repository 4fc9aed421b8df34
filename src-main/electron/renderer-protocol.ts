import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { protocol } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../api/content-security-policy.ts';
import { APP_SCHEME, isAppUrl } from './app-origin.ts';
import type { DesktopModule } from './shell.ts';

/** The built renderer (`npm run build`); the only folder the app scheme serves. */
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

/** The file under `root` that an app URL names (`/` is `index.html`), or null for another origin or a path leaving `root`. */
export function rendererFileFor(url: string, root: string): string | null {
  if (!isAppUrl(url)) return null;
  let relative: string;
  try {
    // Decoded, so that `%2e%2e%2f` and `..%5c` are caught below like `../`.
    relative = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null;
  }
  if (relative.includes('\0')) return null;
  const file = path.resolve(root, `.${relative === '/' ? '/index.html' : relative}`);
  const inside = path.relative(root, file);
  if (inside === '' || inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside)) return null;
  return file;
}

/** Answers an app-scheme request with a file of `root` and the CSP header; 404 for anything else. */
export async function serveRendererFile(request: Request, root: string): Promise<Response> {
  const file = request.method === 'GET' ? rendererFileFor(request.url, root) : null;
  const body = file ? await fs.readFile(file).catch(() => null) : null;
  if (!file || !body) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  return new Response(new Uint8Array(body), {
    headers: {
      'content-type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
    },
  });
}

/** Registers `app://` as a secure standard scheme (before ready) and serves `out/renderer` on it. */
export const rendererProtocol: DesktopModule = {
  beforeReady: () => protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]),
  start: () => protocol.handle(APP_SCHEME, (request) => serveRendererFile(request, RENDERER_DIR)),
};

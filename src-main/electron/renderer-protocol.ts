import fs from 'node:fs/promises';
import { protocol } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../api/content-security-policy.ts';
import { contentTypeOf, RENDERER_DIR, rendererFile } from '../api/renderer-files.ts';
import { APP_SCHEME, isAppUrl } from './app-origin.ts';
import { isAudioUrl, serveAppAudio } from './audio-protocol.ts';
import type { DesktopModule } from './shell.ts';

/** The file under `root` that an app URL names (see `rendererFile`), or null for another origin. */
export function rendererFileFor(url: string, root: string): string | null {
  return isAppUrl(url) ? rendererFile(new URL(url).pathname, root) : null;
}

/** Answers an app-scheme request with a file of `root` and the CSP header; 404 for anything else. */
export async function serveRendererFile(request: Request, root: string): Promise<Response> {
  const file = request.method === 'GET' ? rendererFileFor(request.url, root) : null;
  const body = file ? await fs.readFile(file).catch(() => null) : null;
  if (!file || !body) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  return new Response(new Uint8Array(body), {
    headers: {
      'content-type': contentTypeOf(file),
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
    },
  });
}

/**
 * Registers `app://` as a secure standard scheme that media may stream from
 * (before ready) and serves `out/renderer` on it, and the library's tracks
 * at `app://sonority/audio/<trackId>`.
 */
export const rendererProtocol: DesktopModule = {
  beforeReady: () => protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]),
  start: (shell) => protocol.handle(APP_SCHEME, (request) => (isAudioUrl(request.url) ? serveAppAudio(request, { db: shell.service.db, ffmpegPath: shell.service.ffmpegPath }) : serveRendererFile(request, RENDERER_DIR))),
};

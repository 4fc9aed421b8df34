import fs from 'node:fs/promises';
import path from 'node:path';
import type http from 'node:http';
import { contentTypeOf, rendererFile } from '../api/renderer-files.ts';

/** Serves a file of the built renderer in `root` (index.html for `/`; never one outside it). Resolves false when there is no such file. */
export async function serveStatic(root: string, pathname: string, response: http.ServerResponse): Promise<boolean> {
  const file = rendererFile(pathname, root);
  const body = file ? await fs.readFile(file).catch(() => null) : null;
  if (!file || !body) return false;
  response.writeHead(200, { 'content-type': contentTypeOf(file), 'cache-control': path.relative(root, file) === 'index.html' ? 'no-store' : 'private, max-age=3600' });
  response.end(body);
  return true;
}

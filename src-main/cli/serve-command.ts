import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SonorityError } from '../core/errors.ts';
import { openDatabase } from '../core/db/open-database.ts';
import { resolveDatabasePath } from '../core/paths.ts';
import { createHandlers } from '../api/service.ts';
import { RENDERER_DIR } from '../api/renderer-files.ts';
import type { ServiceContext } from '../api/context.ts';
import { createEventStream } from '../server/event-stream.ts';
import { DEFAULT_SERVER_LIMITS, startApiServer, type ServerLimits } from '../server/http-server.ts';
import { newToken } from '../server/auth.ts';
import { loadModelAndBackendForCli } from './model-loading.ts';
import { stopOnSignals } from './stop-on-signals.ts';
import type { CliIo } from './io.ts';

export const SERVE_USAGE = 'sonority serve <folder> [--port N] [--db FILE] [--model DIR] [--workers N] [--ffmpeg PATH]';

function musicFolder(folder: string): string {
  const resolved = path.resolve(folder);
  if (!fs.statSync(resolved, { throwIfNoEntry: false })?.isDirectory()) throw new SonorityError('folder-missing', `${resolved} is not a folder; give the folder that holds your music`);
  return fs.realpathSync(resolved);
}

/** A timeout from the environment in milliseconds, else `fallback`. */
function millisecondsFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name];
  if (!value) return fallback;
  const ms = Number(value);
  if (!(Number.isInteger(ms) && ms > 0)) throw new SonorityError('usage', `${name} takes a whole number of milliseconds, not "${value}"`);
  return ms;
}

/**
 * The server's limits; $SONORITY_SERVE_HEADERS_TIMEOUT_MS and $SONORITY_SERVE_REQUEST_TIMEOUT_MS
 * change its timeouts (tests shorten them). The headers' limit is at most the whole request's, as Node requires.
 */
function serverLimits(env: NodeJS.ProcessEnv): ServerLimits {
  const requestTimeoutMs = millisecondsFrom(env, 'SONORITY_SERVE_REQUEST_TIMEOUT_MS', DEFAULT_SERVER_LIMITS.requestTimeoutMs);
  const headersTimeoutMs = Math.min(requestTimeoutMs, millisecondsFrom(env, 'SONORITY_SERVE_HEADERS_TIMEOUT_MS', DEFAULT_SERVER_LIMITS.headersTimeoutMs));
  return { ...DEFAULT_SERVER_LIMITS, headersTimeoutMs, requestTimeoutMs };
}

/**
 * `sonority serve <folder>`: the app's interface for a browser, on 127.0.0.1
 * only, at an address carrying a random token (printed once). The interface
 * may scan only that folder. Ctrl-C stops taking requests, stops the scan in
 * progress, lets a running write batch finish, then closes the database.
 */
export async function serveCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { port: { type: 'string' }, db: { type: 'string' }, model: { type: 'string' }, workers: { type: 'string' }, ffmpeg: { type: 'string' } } });
  if (positionals.length !== 1) throw new SonorityError('usage', `give exactly one music folder to serve\nusage: ${SERVE_USAGE}`);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!(Number.isInteger(port) && port >= 0 && port < 65536)) throw new SonorityError('usage', `--port takes a port number, not "${values.port}"`);
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers > 0)) throw new SonorityError('usage', `--workers takes a positive whole number, not "${values.workers}"`);
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) throw new SonorityError('renderer-missing', `the interface is not built (${RENDERER_DIR} is empty): run \`npm run build\``);
  const root = musicFolder(positionals[0]!);
  const limits = serverLimits(io.env);
  const databasePath = resolveDatabasePath(values.db, io.env);
  const db = openDatabase(databasePath);
  const { model, backend } = await loadModelAndBackendForCli(io, values.model);
  const events = createEventStream();
  const context: ServiceContext = { mode: 'serve', db, databasePath, model, backend, scanFolders: new Set([root]), pickFolder: null, pickSaveFile: null, workers, ffmpegPath: values.ffmpeg, emit: events.emit };
  const handlers = createHandlers(context);
  const token = newToken();
  const { server, port: listening, callsFinished } = await startApiServer({ handlers, events, staticDir: RENDERER_DIR, audio: { db, ffmpegPath: values.ffmpeg }, token, port, limits });
  io.stdout.write(`Sonority is serving ${root}\nOpen http://127.0.0.1:${listening}/?token=${token}\n(only this computer can reach it; press Ctrl-C to stop)\n`);
  const stopped = new AbortController();
  const release = stopOnSignals(stopped, (line) => io.stderr.write(`${line}\n`), 'Stopping: finishing the files in progress…');
  await new Promise((resolve) => stopped.signal.addEventListener('abort', resolve, { once: true }));
  handlers.cancelScan({});
  server.close();
  while ((await handlers.scanState({})).running) await new Promise((resolve) => setTimeout(resolve, 50));
  await callsFinished();
  events.close();
  server.closeAllConnections();
  release();
  db.close();
  model.dispose();
  return 0;
}

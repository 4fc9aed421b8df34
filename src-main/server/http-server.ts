import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { dispatch } from '../api/dispatch.ts';
import { isMethodName, type Envelope, type Handlers } from '../api/contract.ts';
import { CONTENT_SECURITY_POLICY } from '../api/content-security-policy.ts';
import { hasTokenInAddress, isAuthorised, isSameOrigin, sessionCookie } from './auth.ts';
import { serveStatic } from './static-files.ts';
import type { createEventStream } from './event-stream.ts';

const MAX_BODY_BYTES = 1 << 20;

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export interface ApiServerOptions {
  handlers: Handlers;
  events: ReturnType<typeof createEventStream>;
  /** The built renderer (`out/renderer`). */
  staticDir: string;
  token: string;
  /** 0: any free port. */
  port?: number;
}

function reply(response: http.ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  response.end(body);
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new Error('request body over 1 MiB'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** What a running server keeps: its port, and the API calls still running (a write batch keeps going even when its page went away). */
interface ServerState {
  port: number;
  running: Set<Promise<unknown>>;
}

async function answerApi(options: ApiServerOptions, running: ServerState['running'], name: string, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  if (request.method !== 'POST') return reply(response, 405, 'API methods are called with POST');
  if (!isMethodName(name)) return reply(response, 404, JSON.stringify({ ok: false, error: { code: 'unknown-method', message: `there is no API method "${name}"` } }), 'application/json');
  let envelope: Envelope<unknown>;
  try {
    const call = dispatch(options.handlers, name, JSON.parse((await readBody(request)) || '{}'));
    running.add(call);
    envelope = await call.finally(() => running.delete(call));
  } catch (error) {
    envelope = { ok: false, error: { code: 'bad-request', message: `the request is not valid JSON: ${(error as Error).message}` } };
  }
  reply(response, 200, JSON.stringify(envelope), 'application/json');
}

/** Routes one request: loopback origin check, token, then the API, the event stream or the renderer's files. */
async function route(options: ApiServerOptions, state: ServerState, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  for (const [header, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(header, value);
  if (!isSameOrigin(request, state.port)) return reply(response, 403, 'Sonority answers only http://127.0.0.1 or http://localhost at its own port.');
  const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
  if (request.method === 'GET' && hasTokenInAddress(url, options.token)) {
    url.searchParams.delete('token');
    response.writeHead(303, { 'set-cookie': sessionCookie(options.token), location: `${url.pathname}${url.search}` });
    return void response.end();
  }
  if (!isAuthorised(request, options.token)) return reply(response, 401, 'Open the address `sonority serve` printed (it carries the access token).');
  if (url.pathname === '/api/events' && request.method === 'GET') return options.events.attach(request, response);
  if (url.pathname.startsWith('/api/')) return answerApi(options, state.running, url.pathname.slice('/api/'.length), request, response);
  if (request.method !== 'GET' || !(await serveStatic(options.staticDir, url.pathname, response))) reply(response, 404, 'Not found');
}

/**
 * Serves the renderer and the API contract over HTTP on 127.0.0.1 only; every
 * request needs the token (the session cookie set by opening the printed
 * address, or a Bearer header). Resolves with the server, its port, and
 * `callsFinished`, which resolves once no API call is running (wait for it
 * before closing the database).
 */
export function startApiServer(options: ApiServerOptions): Promise<{ server: http.Server; port: number; callsFinished: () => Promise<void> }> {
  const state: ServerState = { port: options.port ?? 0, running: new Set() };
  const callsFinished = async () => {
    while (state.running.size) await Promise.allSettled([...state.running]);
  };
  const server = http.createServer((request, response) => {
    route(options, state, request, response).catch((error: unknown) => {
      if (!response.headersSent) reply(response, 500, `Sonority could not answer: ${(error as Error).message}`);
      else response.end();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(state.port, '127.0.0.1', () => {
      state.port = (server.address() as AddressInfo).port;
      resolve({ server, port: state.port, callsFinished });
    });
  });
}

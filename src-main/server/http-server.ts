import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';
import { dispatch } from '../api/dispatch.ts';
import { isMethodName, type Envelope, type Handlers } from '../api/contract.ts';
import { CONTENT_SECURITY_POLICY } from '../api/content-security-policy.ts';
import { hasTokenInAddress, isAuthorised, isSameOrigin, sessionCookie } from './auth.ts';
import { serveStatic } from './static-files.ts';
import { answerAudioRequest, type AudioSource } from '../core/playback/audio-stream.ts';
import type { createEventStream } from './event-stream.ts';

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** What one client may cost the server: body size and nesting, and how long it may take to send a request. */
export interface ServerLimits {
  maxBodyBytes: number;
  /** Deepest nesting of arrays and objects in a request body (the contract needs a handful of levels). */
  maxJsonDepth: number;
  /** The request line and headers must arrive within this, from the connection (or the previous response) on; an idle connection is closed after it. */
  headersTimeoutMs: number;
  /** The whole request, body included, must arrive within this. */
  requestTimeoutMs: number;
}

/** The limits `serve` runs with. */
export const DEFAULT_SERVER_LIMITS: ServerLimits = { maxBodyBytes: 1 << 20, maxJsonDepth: 64, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 };

export interface ApiServerOptions {
  handlers: Handlers;
  events: ReturnType<typeof createEventStream>;
  /** The built renderer (`out/renderer`). */
  staticDir: string;
  /** The library whose tracks `GET /api/audio/<trackId>` plays. */
  audio: AudioSource;
  token: string;
  /** 0: any free port. */
  port?: number;
  /** Default `DEFAULT_SERVER_LIMITS`. */
  limits?: ServerLimits;
}

/** A request the server refuses before the API sees it: too large (413) or not a JSON body it will parse (400). */
class BadBody extends Error {
  readonly status: 400 | 413;

  constructor(status: 400 | 413, message: string) {
    super(message);
    this.status = status;
  }
}

function reply(response: http.ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  response.end(body);
}

/** Reads the body; one over `maxBytes` is read to its end (so the client hears the answer) but not kept, and refused with 413. */
function readBody(request: http.IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    request.on('end', () => (size > maxBytes ? reject(new BadBody(413, `the request body is over ${maxBytes} bytes`)) : resolve(Buffer.concat(chunks).toString('utf8'))));
    request.on('error', reject);
  });
}

/** Whether arrays and objects in JSON `text` nest deeper than `limit` (brackets inside strings do not count); parsing and validating such a body would exhaust the stack. */
function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      if (++depth > limit) return true;
    } else if (c === ']' || c === '}') depth--;
  }
  return false;
}

/** The JSON payload of an API request (`{}` when empty), or a 400 for a body that is not JSON or nests too deep. */
function parsePayload(text: string, maxDepth: number): unknown {
  if (nestsDeeperThan(text, maxDepth)) throw new BadBody(400, `the request nests arrays or objects more than ${maxDepth} levels deep`);
  try {
    return JSON.parse(text || '{}');
  } catch (error) {
    throw new BadBody(400, `the request is not valid JSON: ${(error as Error).message}`);
  }
}

/** What a running server keeps: its port, its limits, and the API calls still running (a write batch keeps going even when its page went away). */
interface ServerState {
  port: number;
  limits: ServerLimits;
  running: Set<Promise<unknown>>;
}

async function answerApi(options: ApiServerOptions, state: ServerState, name: string, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  if (request.method !== 'POST') return reply(response, 405, 'API methods are called with POST');
  if (!isMethodName(name)) return reply(response, 404, JSON.stringify({ ok: false, error: { code: 'unknown-method', message: `there is no API method "${name}"` } }), 'application/json');
  let payload: unknown;
  try {
    payload = parsePayload(await readBody(request, state.limits.maxBodyBytes), state.limits.maxJsonDepth);
  } catch (error) {
    if (!(error instanceof BadBody)) throw error;
    const refusal: Envelope<unknown> = { ok: false, error: { code: error.status === 413 ? 'too-large' : 'bad-request', message: error.message } };
    return reply(response, error.status, JSON.stringify(refusal), 'application/json');
  }
  const call = dispatch(options.handlers, name, payload);
  state.running.add(call);
  const envelope = await call.finally(() => state.running.delete(call));
  reply(response, 200, JSON.stringify(envelope), 'application/json');
}

/** Where the `<audio>` element fetches a track: `/api/audio/<trackId>` (with the session cookie). */
const AUDIO_PREFIX = '/api/audio/';

/** Streams a track's audio (checks, ranges, conversion: see `answerAudioRequest`); a client that goes away stops the file read or ffmpeg, even before its first bytes. */
async function answerAudio(source: AudioSource, segment: string, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  const gone = new AbortController();
  response.once('close', () => gone.abort());
  const header = (name: string) => request.headers[name] as string | undefined;
  const answer = await answerAudioRequest(source, { method: request.method ?? '', idSegment: segment, range: header('range'), ifRange: header('if-range'), signal: gone.signal });
  response.writeHead(answer.status, answer.headers);
  if (typeof answer.body === 'string') return void response.end(answer.body);
  pipeline(answer.body, response, () => {}); // a failure or a closed connection destroys both ends; nothing more to tell
}

/** Routes one request: loopback origin check, token, then the API, the event stream, a track's audio or the renderer's files. */
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
  if (url.pathname.startsWith(AUDIO_PREFIX)) return answerAudio(options.audio, url.pathname.slice(AUDIO_PREFIX.length), request, response);
  if (url.pathname.startsWith('/api/')) return answerApi(options, state, url.pathname.slice('/api/'.length), request, response);
  if (request.method !== 'GET' || !(await serveStatic(options.staticDir, url.pathname, response))) reply(response, 404, 'Not found');
}

/**
 * Serves the renderer, the API contract and tracks' audio over HTTP on 127.0.0.1 only; every
 * request needs the token (the session cookie set by opening the printed
 * address, or a Bearer header). Within `limits`: a body over the size is
 * answered 413, one that is not JSON or nests too deep 400 (before the API
 * sees it), and a client that has not sent its headers, or its whole
 * request, in time gets 408 and is disconnected (so idle and dribbling
 * connections do not pile up). Resolves with the server, its port, and
 * `callsFinished`, which resolves once no API call is running (wait for it
 * before closing the database).
 */
export function startApiServer(options: ApiServerOptions): Promise<{ server: http.Server; port: number; callsFinished: () => Promise<void> }> {
  const state: ServerState = { port: options.port ?? 0, limits: options.limits ?? DEFAULT_SERVER_LIMITS, running: new Set() };
  const callsFinished = async () => {
    while (state.running.size) await Promise.allSettled([...state.running]);
  };
  const { headersTimeoutMs, requestTimeoutMs } = state.limits;
  const server = http.createServer({ headersTimeout: headersTimeoutMs, requestTimeout: requestTimeoutMs, connectionsCheckingInterval: Math.min(1000, headersTimeoutMs / 4) }, (request, response) => {
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

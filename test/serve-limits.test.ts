import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RENDERER_DIR } from '../src-main/api/renderer-files.ts';
import { tempDir } from './helpers/fixtures.ts';
import { buildRenderer, startServe, type ServeProcess } from './helpers/serve.ts';

const HEADERS_TIMEOUT_MS = 500;
const REQUEST_TIMEOUT_MS = 1500;

interface Exchange {
  /** What the server sent before the connection closed. */
  received: string;
  /** Milliseconds from connecting until the server closed the connection. */
  closedAfterMs: number;
}

/** Connects to `port`, lets `talk` write (slowly, or not at all), and resolves when the server closes the connection; gives up after `giveUpMs`. */
function exchange(port: number, talk: (socket: net.Socket) => void, giveUpMs = 10_000): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const started = performance.now();
    let received = '';
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${giveUpMs} ms; it sent: ${JSON.stringify(received)}`));
    }, giveUpMs);
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(giveUp);
      resolve({ received, closedAfterMs: performance.now() - started });
    });
    socket.on('connect', () => talk(socket));
  });
}

/** Writes `text` a byte every `everyMs` until the connection closes. */
function dribble(socket: net.Socket, text: string, everyMs: number): void {
  let at = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || socket.writableEnded) return clearInterval(timer);
    socket.write(text[at++ % text.length]!);
  }, everyMs);
  socket.on('close', () => clearInterval(timer));
}

describe('sonority serve limits', () => {
  let serve: ServeProcess;
  let port: number;
  const post = (method: string, body: string) => fetch(`${serve.origin}/api/${method}`, { method: 'POST', headers: { authorization: `Bearer ${serve.token}`, 'content-type': 'application/json' }, body });

  beforeAll(async () => {
    if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) await buildRenderer();
    serve = await startServe(tempDir('sonority-limits-lib-'), path.join(tempDir(), 'limits.db'), undefined, {
      SONORITY_SERVE_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      SONORITY_SERVE_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    });
    port = Number(new URL(serve.origin).port);
  }, 120_000);

  afterAll(async () => {
    expect(await serve?.stop()).toBe(0);
  });

  it('refuses a body nested 100,000 levels deep as a bad request (400), with no stack trace, and keeps serving', async () => {
    for (const body of ['['.repeat(100_000) + ']'.repeat(100_000), '['.repeat(100_000), `{"offset":0,"limit":1,"search":${'['.repeat(100_000)}`]) {
      const response = await post('library', body);
      expect(response.status).toBe(400);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ ok: false, error: { code: 'bad-request', message: 'the request nests arrays or objects more than 64 levels deep' } });
    }
    expect(serve.stderr()).not.toMatch(/Maximum call stack|\n\s+at /);
    expect(await (await post('appInfo', '{}')).json()).toMatchObject({ ok: true });
  });

  it('counts only real nesting: brackets inside strings, escaped quotes included, are text', async () => {
    const response = await post('library', JSON.stringify({ offset: 0, limit: 1, search: '\\"['.repeat(150) }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true });
  });

  it('answers a body that is not JSON with 400', async () => {
    const response = await post('library', '{"offset": ');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('not valid JSON') } });
  });

  it('answers a body over 1 MiB with 413, not 200', async () => {
    const response = await post('library', JSON.stringify({ offset: 0, limit: 1, search: 'a'.repeat(1 << 20) }));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ ok: false, error: { code: 'too-large', message: 'the request body is over 1048576 bytes' } });
    expect(await (await post('appInfo', '{}')).json()).toMatchObject({ ok: true });
  });

  it('closes a connection that sends nothing within the headers timeout', async () => {
    const idle = await exchange(port, () => {});
    expect(idle.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(idle.closedAfterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
    expect(idle.closedAfterMs).toBeLessThan(HEADERS_TIMEOUT_MS + 2000);
  });

  it('closes a connection that dribbles its headers', async () => {
    const slow = await exchange(port, (socket) => dribble(socket, `GET / HTTP/1.1\r\nHost: ${new URL(serve.origin).host}\r\nX-Padding: ${'a'.repeat(10_000)}`, 20));
    expect(slow.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(slow.closedAfterMs).toBeLessThan(HEADERS_TIMEOUT_MS + 2000);
  });

  it('closes a connection that dribbles its body past the request timeout', async () => {
    const slow = await exchange(port, (socket) => {
      socket.write(`POST /api/library HTTP/1.1\r\nHost: ${new URL(serve.origin).host}\r\nAuthorization: Bearer ${serve.token}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n`);
      dribble(socket, ' ', 20);
    });
    expect(slow.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(slow.closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(slow.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 2000);
  });

  it('keeps the event stream open past every timeout', async () => {
    const response = await fetch(`${serve.origin}/api/events`, { headers: { authorization: `Bearer ${serve.token}` } });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await reader.read(); // ": connected"
    const stillOpen = await Promise.race([reader.read().then(() => false, () => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), REQUEST_TIMEOUT_MS + 1500))]);
    expect(stillOpen).toBe(true);
    await reader.cancel();
  });
});

import type http from 'node:http';
import type { ApiEvent } from '../api/contract.ts';

const KEEP_ALIVE_MS = 15_000;

/** Pushes API events to every open `GET /api/events` (server-sent events). */
export function createEventStream() {
  const clients = new Set<http.ServerResponse>();
  return {
    /** Sends an event to every connected page. */
    emit(event: ApiEvent): void {
      const frame = `data: ${JSON.stringify(event)}\n\n`;
      for (const client of clients) client.write(frame);
    },
    /** Keeps a response open as an event stream until the page goes away. */
    attach(request: http.IncomingMessage, response: http.ServerResponse): void {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      response.write(': connected\n\n');
      const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
      clients.add(response);
      request.on('close', () => {
        clearInterval(keepAlive);
        clients.delete(response);
      });
    },
    /** Ends every open stream (server shutting down). */
    close(): void {
      for (const client of clients) client.end();
      clients.clear();
    },
  };
}

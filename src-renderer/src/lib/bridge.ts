/**
 * The renderer's only way to the core (see src-renderer/README.md): the typed
 * contract, through Electron's preload (`window.sonority`) when it is there,
 * else over HTTP to `sonority serve` (the page's own origin; the session
 * cookie set when the tokened address was opened authenticates every request).
 */
import { EVENTS_KEY, METHOD_NAMES, type Api, type ApiErrorPayload, type ApiEvent, type Envelope, type ExposedApi, type MethodName } from '../../../src-main/api/contract.ts';
import { appAudioUrl } from '../../../src-main/electron/app-origin.ts';

/** An error the core reported: `code` is stable, `message` is written for people. */
export class ApiError extends Error {
  readonly code: string;
  constructor(payload: ApiErrorPayload) {
    super(payload.message);
    this.code = payload.code;
  }
}

declare global {
  interface Window {
    sonority?: ExposedApi;
  }
}

function unwrap<R>(envelope: Envelope<R>): R {
  if (envelope.ok) return envelope.value;
  throw new ApiError(envelope.error);
}

async function callOverHttp(name: MethodName, params: unknown): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params ?? {}), credentials: 'same-origin' });
  } catch {
    throw new ApiError({ code: 'offline', message: 'Sonority is not answering: is `sonority serve` still running?' });
  }
  if (response.status === 401) throw new ApiError({ code: 'unauthorised', message: 'This page is not signed in: open the address `sonority serve` printed (with its token) again.' });
  return unwrap((await response.json()) as Envelope<unknown>);
}

function httpApi(): Api {
  return Object.fromEntries(METHOD_NAMES.map((name) => [name, (params: unknown) => callOverHttp(name, params)])) as Api;
}

function desktopApi(exposed: ExposedApi): Api {
  // The preload returns envelopes (Electron would flatten thrown errors); unwrap them here.
  return Object.fromEntries(METHOD_NAMES.map((name) => [name, async (params: unknown) => unwrap((await (exposed[name] as (p: unknown) => Promise<unknown>)(params)) as Envelope<unknown>)])) as Api;
}

/** The API: call `api.library({...})` etc.; rejects with `ApiError`. */
export const api: Api = window.sonority ? desktopApi(window.sonority) : httpApi();

const listeners = new Set<(event: ApiEvent) => void>();
let source: EventSource | null = null;

/** One event stream per page, shared by every listener (browsers allow few connections per host). */
function httpEvents(): void {
  if (source) return;
  source = new EventSource('api/events', { withCredentials: true });
  source.onmessage = (message) => {
    const event = JSON.parse(message.data as string) as ApiEvent;
    for (const listener of listeners) listener(event);
  };
}

/** Listens to what the core pushes (scan progress, write progress, library changes); returns the unsubscribe function. */
export function onEvent(listener: (event: ApiEvent) => void): () => void {
  if (window.sonority) return window.sonority[EVENTS_KEY](listener);
  listeners.add(listener);
  httpEvents();
  return () => listeners.delete(listener);
}

/** Where an `<audio>` element loads a track: the app scheme's `app://sonority/audio/<id>` in the desktop app, `api/audio/<id>` (same origin, the session cookie) under `serve`. */
export function audioUrl(trackId: number): string {
  return window.sonority ? appAudioUrl(trackId) : `api/audio/${trackId}`;
}

/** Why a track's audio does not load, in Sonority's words (unknown track, file gone, cannot be converted), or null when it answers with audio. */
export async function audioProblem(trackId: number): Promise<string | null> {
  try {
    const response = await fetch(audioUrl(trackId), { headers: { range: 'bytes=0-0' }, credentials: 'same-origin' });
    if (response.ok) {
      await response.body?.cancel();
      return null;
    }
    return (await response.text()) || `the audio request failed (${response.status})`;
  } catch {
    return 'Sonority is not answering';
  }
}

import crypto from 'node:crypto';
import type http from 'node:http';

export const SESSION_COOKIE = 'sonority_session';

/** A fresh random token (256 bits, URL-safe). */
export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function cookie(request: http.IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** Whether the request carries the token: the session cookie, or `Authorization: Bearer <token>` (scripts). */
export function isAuthorised(request: http.IncomingMessage, token: string): boolean {
  const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  return sameToken(cookie(request, SESSION_COOKIE), token) || sameToken(bearer, token);
}

/** Whether `?token=` in the address is the token (the address `serve` printed). */
export function hasTokenInAddress(url: URL, token: string): boolean {
  return sameToken(url.searchParams.get('token') ?? undefined, token);
}

/** The cookie that signs the browser in after it opened the tokened address. */
export function sessionCookie(token: string): string {
  return `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/**
 * Refuses requests that did not come to this server by its loopback name
 * (DNS rebinding) and cross-origin posts: the Host must be 127.0.0.1 or
 * localhost at our port, and an Origin, when sent, must be that same origin.
 */
export function isSameOrigin(request: http.IncomingMessage, port: number): boolean {
  const allowed = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!allowed.includes(request.headers.host ?? '')) return false;
  const origin = request.headers.origin;
  return origin === undefined || allowed.some((host) => origin === `http://${host}`);
}

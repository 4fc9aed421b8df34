import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertReal, tempDir } from './helpers/fixtures.ts';
import { gtzanClip } from './helpers/service.ts';
import { buildRenderer, startServe, type ServeProcess } from './helpers/serve.ts';

/** A raw request, so the Host and Origin headers can be anything. */
function raw(origin: string, options: { path?: string; method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${origin}${options.path ?? '/'}`, { method: options.method ?? 'GET', headers: options.headers }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

describe('sonority serve', () => {
  const library = tempDir('sonority-serve-lib-');
  const db = path.join(tempDir(), 'serve.db');
  let serve: ServeProcess;
  let cookie = '';
  const call = async (method: string, params: unknown = {}) => {
    const response = await fetch(`${serve.origin}/api/${method}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(params) });
    return response.json() as Promise<{ ok: boolean; value?: any; error?: { code: string; message: string } }>;
  };

  beforeAll(async () => {
    await buildRenderer();
    await convertReal(gtzanClip('classical.00000'), path.join(library, 'classical tagged metal.mp3'), 'mp3', { genre: 'Metal', title: 'Adagio', artist: 'Orchestra' });
    await convertReal(gtzanClip('jazz.00000'), path.join(library, 'jazz.flac'), 'flac', { title: 'Blue Note', artist: 'Quartet' });
    fs.writeFileSync(path.join(library, 'empty.mp3'), '');
    serve = await startServe(library, db);
  }, 120_000);

  afterAll(async () => {
    expect(await serve?.stop()).toBe(0);
  });

  it('answers nothing without the token, and the printed address signs the browser in with an HttpOnly cookie', async () => {
    expect((await raw(serve.origin, {})).status).toBe(401);
    expect((await raw(serve.origin, { path: '/api/appInfo', method: 'POST', body: '{}' })).status).toBe(401);
    expect((await raw(serve.origin, { path: '/?token=wrong' })).status).toBe(401);
    const signIn = await raw(serve.origin, { path: serve.address.slice(serve.origin.length) });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.location).toBe('/');
    const setCookie = String(signIn.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    cookie = setCookie.split(';')[0]!;
    const page = await raw(serve.origin, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="app">');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await raw(serve.origin, { path: '/api/appInfo', method: 'POST', headers: { authorization: `Bearer ${serve.token}` }, body: '{}' })).status).toBe(200);
  });

  it('refuses other host names (DNS rebinding), cross-origin posts and paths outside the interface', async () => {
    expect((await raw(serve.origin, { headers: { cookie, host: 'evil.example' } })).status).toBe(403);
    expect((await raw(serve.origin, { path: '/api/appInfo', method: 'POST', headers: { cookie, origin: 'http://evil.example' }, body: '{}' })).status).toBe(403);
    expect((await raw(serve.origin, { path: '/%E0%A4%A', headers: { cookie } })).status).toBe(404); // not valid percent-encoding
    for (const sneaky of ['/../package.json', '/%2e%2e/package.json', '/..%2fpackage.json', '/assets/../../package.json']) {
      const response = await raw(serve.origin, { path: sneaky, headers: { cookie } });
      expect(response.body, sneaky).not.toContain('"name": "sonority"');
    }
  });

  it('validates every payload against the contract and names the bad field', async () => {
    expect(await call('library', { offset: 0, limit: 'many' })).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('library.limit') } });
    expect(await call('trackDetail', { trackId: 1, path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('path') } });
    expect((await raw(serve.origin, { path: '/api/readFile', method: 'POST', headers: { cookie }, body: '{}' })).status).toBe(404);
    expect(await call('startScan', { root: '/etc' })).toMatchObject({ ok: false, error: { code: 'folder-not-allowed' } });
    expect(await call('chooseFolder')).toMatchObject({ ok: false, error: { code: 'not-available' } });
  });

  it('scans its folder with progress events, records the failure, and pages, searches and sorts the library', async () => {
    const events: any[] = [];
    const controller = new AbortController();
    const stream = fetch(`${serve.origin}/api/events`, { headers: { cookie }, signal: controller.signal }).then(async (response) => {
      const decoder = new TextDecoder();
      for await (const chunk of response.body!) {
        for (const line of decoder.decode(chunk).split('\n')) if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)));
      }
    }).catch(() => {});
    const info = await call('appInfo');
    expect(info.value.scanFolders).toEqual([fs.realpathSync(library)]);
    expect((await call('startScan', { root: library })).value).toMatchObject({ running: true, phase: 'scanning' });
    expect(await call('startScan', { root: library })).toMatchObject({ ok: false, error: { code: 'scan-running' } });
    let state = (await call('scanState')).value;
    for (let waited = 0; state.running && waited < 120_000; waited += 250) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      state = (await call('scanState')).value;
    }
    controller.abort();
    await stream;
    expect(state).toMatchObject({ phase: 'done', progress: { analysed: 2, failed: 1, predicted: 2 } });
    expect(state.failures).toEqual([expect.objectContaining({ path: path.join(fs.realpathSync(library), 'empty.mp3'), code: 'empty-file' })]);
    expect(events.filter((e) => e.type === 'scan').at(-1).state.phase).toBe('done');
    expect(events.some((e) => e.type === 'library-changed')).toBe(true);
    expect((await call('failures')).value.map((f: { code: string }) => f.code)).toEqual(['empty-file']);

    const all = (await call('library', { offset: 0, limit: 10 })).value;
    expect(all).toMatchObject({ total: 2, libraryTotal: 2 });
    expect(all.rows.map((r: { title: string }) => r.title).sort()).toEqual(['Adagio', 'Blue Note']);
    const tagged = all.rows.find((r: { title: string }) => r.title === 'Adagio');
    expect(tagged.genres).toEqual(['Metal']);
    expect(tagged.predicted).toBeTruthy();
    expect(tagged.confidence).toBeGreaterThan(0);
    expect((await call('library', { offset: 0, limit: 10, search: 'quartet blue' })).value.rows.map((r: { title: string }) => r.title)).toEqual(['Blue Note']);
    expect((await call('library', { offset: 0, limit: 10, status: 'untagged' })).value.rows.map((r: { title: string }) => r.title)).toEqual(['Blue Note']);
    expect((await call('library', { offset: 0, limit: 10, sort: 'title', descending: true })).value.rows.map((r: { title: string }) => r.title)).toEqual(['Blue Note', 'Adagio']);
    expect((await call('library', { offset: 1, limit: 1, sort: 'title' })).value).toMatchObject({ total: 2, offset: 1, rows: [{ title: 'Blue Note' }] });
  });

  it('saves settings and the taxonomy through the same files as the CLI, refusing invalid ones with the reason', async () => {
    expect((await call('saveSettings', { id3Version: 4, separator: ' / ', mtime: 'update' })).value).toEqual({ id3Version: 4, separator: ' / ', mtime: 'update' });
    expect((await call('getSettings')).value).toEqual({ id3Version: 4, separator: ' / ', mtime: 'update' });
    expect(await call('saveSettings', { id3Version: 4, separator: '', mtime: 'keep' })).toMatchObject({ ok: false, error: { code: 'settings-invalid', message: expect.stringContaining('separator') } });
    const { definition } = (await call('getTaxonomy')).value;
    const renamed = { ...definition, genres: definition.genres.map((g: { name: string }) => (g.name === 'Jazz' ? { ...g, aliases: [...((g as { aliases?: string[] }).aliases ?? []), 'Cool Stuff'] } : g)) };
    expect((await call('saveTaxonomy', { definition: renamed })).ok).toBe(true);
    expect((await call('getTaxonomy')).value.definition.genres.find((g: { name: string }) => g.name === 'Jazz').aliases).toContain('Cool Stuff');
    const loop = { ...definition, genres: [...definition.genres, { name: 'A', parent: 'B' }, { name: 'B', parent: 'A' }] };
    expect(await call('saveTaxonomy', { definition: loop })).toMatchObject({ ok: false, error: { code: 'taxonomy-invalid', message: expect.stringContaining('loop') } });
  });
});

/**
 * Playback: the byte-range parser, the track audio answer on real files (an
 * MP3 served by ranges, an AIFF converted to Ogg Opus by ffmpeg, a damaged
 * one refused), through `serve`'s HTTP route behind the token and through
 * Electron's app-scheme handler with real Request objects.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Handlers } from '../src-main/api/contract.ts';
import type { ServiceContext } from '../src-main/api/context.ts';
import type { DesktopShell } from '../src-main/electron/shell.ts';
import { openDatabase, type Db } from '../src-main/core/db/open-database.ts';
import { parseRange } from '../src-main/core/playback/byte-range.ts';
import { answerTrackAudio, playableType, trackIdFrom, type AudioSource } from '../src-main/core/playback/audio-stream.ts';
import { sniffFile } from '../src-main/core/scan/sniff.ts';
import { readTags } from '../src-main/core/tags/read-tags.ts';
import { appAudioUrl } from '../src-main/electron/app-origin.ts';
import { isAudioUrl, serveAppAudio } from '../src-main/electron/audio-protocol.ts';
import { createEventStream } from '../src-main/server/event-stream.ts';
import { startApiServer } from '../src-main/server/http-server.ts';
import { convertReal, makeTone, tempDir } from './helpers/fixtures.ts';
import { gtzanClip } from './helpers/service.ts';

// Electron cannot run here: its protocol module is a recorder of what the app registers.
const electron = vi.hoisted(() => ({ schemes: [] as unknown[], handlers: new Map<string, (request: Request) => Promise<Response>>() }));
vi.mock('electron', () => ({
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown[]) => electron.schemes.push(...schemes),
    handle: (scheme: string, handler: (request: Request) => Promise<Response>) => electron.handlers.set(scheme, handler),
  },
}));

/** Adds a file to the library as a scan would record it: its sniffed container and the codec its tags report. */
async function addTrack(db: Db, file: string): Promise<number> {
  const sniffed = await sniffFile(file);
  if (!sniffed.audio) throw new Error(`${file} is not audio: ${sniffed.reason}`);
  const { codec } = await readTags(file);
  const now = new Date().toISOString();
  const row = db.prepare(`INSERT INTO tracks (path, size, mtime_ms, fingerprint, container, codec, status, added_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, 'analysed', ?, ?) RETURNING id`).get(file, fs.statSync(file).size, Date.now(), path.basename(file), sniffed.container, codec, now, now) as { id: number };
  return row.id;
}

/** Reads a Node stream to its end, keeping the size of every chunk. */
async function collect(body: Readable | string): Promise<{ bytes: Buffer; chunks: number[] }> {
  if (typeof body === 'string') throw new Error(`expected audio, got: ${body}`);
  const parts: Buffer[] = [];
  for await (const chunk of body) parts.push(chunk as Buffer);
  return { bytes: Buffer.concat(parts), chunks: parts.map((part) => part.length) };
}

/** Pids of running processes whose command line mentions `needle` (the ffmpeg converting that file). */
function processesMentioning(needle: string): number[] {
  return fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
    } catch {
      return false;
    }
  }).map(Number);
}

/** Pids of running processes in process group `group` (ffmpeg and anything it started). */
function processesInGroup(group: number): number[] {
  return fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).filter((pid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === group;
    } catch {
      return false;
    }
  }).map(Number);
}

/** How many file descriptors this process has open (Linux). */
const openFds = () => fs.readdirSync('/proc/self/fd').length;

/**
 * An ffmpeg as slow to start as on a very busy machine: nothing for 30 s,
 * then the real one. It runs as a shell with the file in its arguments and a
 * `sleep` child, so stopping it must stop its whole process group.
 */
function slowFfmpeg(): string {
  const script = path.join(tempDir('sonority-slow-ffmpeg-'), 'ffmpeg');
  fs.writeFileSync(script, '#!/bin/sh\nsleep 30\nexec ffmpeg "$@"\n', { mode: 0o755 });
  return script;
}

/** What ffprobe finds in a file: the first stream's codec and the duration. */
function probe(file: string): { codec: string; durationSec: number } {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name:format=duration', '-of', 'json', file], { encoding: 'utf8' });
  const parsed = JSON.parse(out) as { streams: { codec_name: string }[]; format: { duration: string } };
  return { codec: parsed.streams[0]!.codec_name, durationSec: Number(parsed.format.duration) };
}

describe('parseRange', () => {
  it('reads a-b, a- and -n, clamping the end to the last byte', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ kind: 'partial', start: 0, end: 99 });
    expect(parseRange('bytes=500-', 1000)).toEqual({ kind: 'partial', start: 500, end: 999 });
    expect(parseRange('bytes=-100', 1000)).toEqual({ kind: 'partial', start: 900, end: 999 });
    expect(parseRange('bytes=990-5000', 1000)).toEqual({ kind: 'partial', start: 990, end: 999 });
    expect(parseRange('bytes=-5000', 1000)).toEqual({ kind: 'partial', start: 0, end: 999 });
    expect(parseRange('bytes=999-999', 1000)).toEqual({ kind: 'partial', start: 999, end: 999 });
  });

  it('finds ranges outside the resource unsatisfiable', () => {
    for (const header of ['bytes=1000-', 'bytes=1000-1200', 'bytes=-0']) expect(parseRange(header, 1000), header).toEqual({ kind: 'unsatisfiable' });
    for (const header of ['bytes=0-', 'bytes=-10', 'bytes=0-0']) expect(parseRange(header, 0), header).toEqual({ kind: 'unsatisfiable' });
  });

  it('ignores what it does not serve: no header, other units, several ranges, bad syntax', () => {
    for (const header of [undefined, null, '', 'items=0-5', 'bytes=0-1,5-6', 'bytes=5-2', 'bytes=a-b', 'bytes=-', 'bytes 0-5', 'bytes=0x10-']) expect(parseRange(header, 1000), String(header)).toEqual({ kind: 'whole' });
  });
});

describe('track audio', () => {
  const library = tempDir('sonority-audio-');
  const db = openDatabase(path.join(tempDir(), 'library.db'));
  const source: AudioSource = { db };
  const files = { mp3: path.join(library, 'classical.mp3'), aiff: path.join(library, 'jazz take.aiff'), broken: path.join(library, 'broken.aiff'), gone: path.join(library, 'soon gone.mp3') };
  const ids = { mp3: 0, aiff: 0, broken: 0, gone: 0 };
  let mp3Bytes: Buffer;

  beforeAll(async () => {
    await convertReal(gtzanClip('classical.00000'), files.mp3, 'mp3');
    await convertReal(gtzanClip('jazz.00000'), files.aiff, 'aiff');
    await convertReal(gtzanClip('blues.00000'), files.gone, 'mp3');
    // An AIFF header the scan recognises, then sound data cut off and overwritten: ffmpeg cannot read it.
    fs.writeFileSync(files.broken, Buffer.concat([fs.readFileSync(files.aiff).subarray(0, 12), Buffer.alloc(4000, 0x5a)]));
    for (const name of Object.keys(ids) as (keyof typeof ids)[]) ids[name] = await addTrack(db, files[name]);
    mp3Bytes = fs.readFileSync(files.mp3);
  }, 60_000);

  afterAll(() => db.close());

  it('serves a whole MP3 with its type and length, streamed from disk in chunks', async () => {
    const answer = await answerTrackAudio(source, ids.mp3);
    expect(answer.status).toBe(200);
    expect(answer.headers).toMatchObject({ 'content-type': 'audio/mpeg', 'accept-ranges': 'bytes', 'content-length': String(mp3Bytes.length) });
    const { bytes, chunks } = await collect(answer.body);
    expect(bytes.equals(mp3Bytes)).toBe(true);
    expect(mp3Bytes.length).toBeGreaterThan(300_000);
    expect(chunks.length).toBeGreaterThan(4);
    expect(Math.max(...chunks)).toBeLessThanOrEqual(64 * 1024);
  });

  it('answers byte ranges with 206 and Content-Range, and 416 outside the file', async () => {
    const size = mp3Bytes.length;
    const cases: [string, number, number][] = [['bytes=1000-1999', 1000, 1999], [`bytes=${size - 10}-`, size - 10, size - 1], ['bytes=-500', size - 500, size - 1], ['bytes=0-', 0, size - 1]];
    for (const [range, start, end] of cases) {
      const answer = await answerTrackAudio(source, ids.mp3, { range });
      expect(answer.status, range).toBe(206);
      expect(answer.headers, range).toMatchObject({ 'content-range': `bytes ${start}-${end}/${size}`, 'content-length': String(end - start + 1), 'accept-ranges': 'bytes', 'content-type': 'audio/mpeg' });
      expect((await collect(answer.body)).bytes.equals(mp3Bytes.subarray(start, end + 1)), range).toBe(true);
    }
    const outside = await answerTrackAudio(source, ids.mp3, { range: `bytes=${size}-` });
    expect(outside.status).toBe(416);
    expect(outside.headers['content-range']).toBe(`bytes */${size}`);
    expect(outside.body).toContain(`${size} bytes`);
  });

  it('says clearly when the track is unknown or its file is gone, without naming the path', async () => {
    const unknown = await answerTrackAudio(source, 99_999);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toBe('there is no track 99999 in the library');
    fs.rmSync(files.gone);
    const gone = await answerTrackAudio(source, ids.gone, { range: 'bytes=0-' });
    expect(gone.status).toBe(410);
    expect(gone.body).toMatch(/^the file of track \d+ is gone \(moved or deleted since the last scan\); scan its folder again$/);
    expect(gone.body).not.toContain('soon gone');
    expect(gone.body).not.toContain(library);
  });

  it('converts an AIFF, which Chromium does not play, to Ogg Opus of the same length, without ranges', async () => {
    const answer = await answerTrackAudio(source, ids.aiff, { range: 'bytes=0-' });
    expect(answer.status).toBe(200);
    expect(answer.headers).toMatchObject({ 'content-type': 'audio/ogg; codecs=opus', 'accept-ranges': 'none' });
    expect(answer.headers['content-range']).toBeUndefined();
    const { bytes } = await collect(answer.body);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('OggS');
    const convertedFile = path.join(tempDir(), 'converted.ogg');
    fs.writeFileSync(convertedFile, bytes);
    const converted = probe(convertedFile);
    expect(converted.codec).toBe('opus');
    expect(converted.durationSec).toBeCloseTo(probe(files.aiff).durationSec, 1);
  });

  it('stops ffmpeg when the listener goes away mid-conversion', async () => {
    const answer = await answerTrackAudio(source, ids.aiff);
    const body = answer.body as Readable;
    for await (const _chunk of body) break; // reads one chunk, then destroys the stream
    expect(body.destroyed).toBe(true);
    await expect.poll(() => processesMentioning(files.aiff), { timeout: 5000 }).toEqual([]);
  });

  it('refuses a file ffmpeg cannot read with 415 and the reason', async () => {
    const answer = await answerTrackAudio(source, ids.broken);
    expect(answer.status).toBe(415);
    expect(answer.body).toMatch(new RegExp(`^track ${ids.broken} cannot be played: the file cannot be converted for playback: .+`));
    expect(processesMentioning(files.broken)).toEqual([]);
  });

  it('stops a conversion whose client went away before its first byte, with all it started', async () => {
    const controller = new AbortController();
    const pending = answerTrackAudio({ db, ffmpegPath: slowFfmpeg() }, ids.aiff, { signal: controller.signal });
    await expect.poll(() => processesMentioning(files.aiff).length, { timeout: 5000 }).toBe(1);
    const [group] = processesMentioning(files.aiff);
    expect(processesInGroup(group!).length).toBe(2); // the shell and its sleep
    controller.abort();
    const answer = await pending;
    expect(answer.status).toBe(503);
    expect(answer.body).toBe(`track ${ids.aiff} needs converting for playback, which failed: the request was cancelled before the conversion sent anything`);
    await expect.poll(() => processesInGroup(group!), { timeout: 5000 }).toEqual([]);
  });

  it('stops ffmpeg that sends nothing in time and says so with 503', async () => {
    const started = Date.now();
    const answer = await answerTrackAudio({ db, ffmpegPath: slowFfmpeg(), firstByteTimeoutMs: 500 }, ids.aiff);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(answer.status).toBe(503);
    expect(answer.body).toBe(`track ${ids.aiff} needs converting for playback, which failed: ffmpeg sent nothing within 0.5 s, so it was stopped; the machine may be busy, try again`);
    await expect.poll(() => processesMentioning(files.aiff), { timeout: 5000 }).toEqual([]);
  });

  it('answers 503 with the reason when ffmpeg cannot run, and still serves files that need no conversion', async () => {
    const broken: AudioSource = { db, ffmpegPath: '/nonexistent/ffmpeg' };
    const answer = await answerTrackAudio(broken, ids.aiff);
    expect(answer.status).toBe(503);
    expect(answer.body).toBe(`track ${ids.aiff} needs converting for playback, which failed: cannot run ffmpeg at /nonexistent/ffmpeg (ENOENT); reinstall, or point SONORITY_FFMPEG at a working ffmpeg`);
    const direct = await answerTrackAudio(broken, ids.mp3);
    expect(direct.status).toBe(200);
    (direct.body as Readable).destroy();
  });

  it('tags the file with an ETag and serves a range only when If-Range is that tag', async () => {
    const first = await answerTrackAudio(source, ids.mp3, { range: 'bytes=10-19' });
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    await collect(first.body);
    const current = await answerTrackAudio(source, ids.mp3, { range: 'bytes=10-19', ifRange: etag });
    expect([current.status, current.headers['content-range']]).toEqual([206, `bytes 10-19/${mp3Bytes.length}`]);
    expect((await collect(current.body)).bytes.equals(mp3Bytes.subarray(10, 20))).toBe(true);
    const stale = await answerTrackAudio(source, ids.mp3, { range: 'bytes=10-19', ifRange: '"5-1"' });
    expect(stale.status).toBe(200);
    expect(stale.headers['content-range']).toBeUndefined();
    expect(stale.headers.etag).toBe(etag);
    expect((await collect(stale.body)).bytes.equals(mp3Bytes)).toBe(true);
  });

  it('sends the file as it was opened when it is replaced mid-request, and a new ETag after', async () => {
    const dir = tempDir('sonority-replaced-');
    const file = path.join(dir, 'retagged.mp3');
    fs.copyFileSync(files.mp3, file);
    const id = await addTrack(db, file);
    const before = await answerTrackAudio(source, id);
    // A tagger rewrites the file: a shorter one written beside it, renamed over it.
    const shorter = mp3Bytes.subarray(0, 100_000);
    fs.writeFileSync(`${file}.tmp`, shorter);
    fs.renameSync(`${file}.tmp`, file);
    const sent = (await collect(before.body)).bytes;
    expect(sent.length).toBe(Number(before.headers['content-length']));
    expect(sent.equals(mp3Bytes)).toBe(true);
    const after = await answerTrackAudio(source, id, { range: 'bytes=0-', ifRange: before.headers.etag });
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect((await collect(after.body)).bytes.equals(shorter)).toBe(true);
  });

  it.runIf(process.platform === 'linux')('leaves no file descriptor open after many requests, read whole, cut short or refused', async () => {
    const fdsBefore = openFds();
    for (let i = 0; i < 40; i++) {
      await collect((await answerTrackAudio(source, ids.mp3, { range: `bytes=${i * 1000}-${i * 1000 + 4999}` })).body);
      const cut = (await answerTrackAudio(source, ids.mp3)).body as Readable;
      for await (const _chunk of cut) break; // destroys the stream after one chunk
      expect((await answerTrackAudio(source, ids.mp3, { range: `bytes=${mp3Bytes.length}-` })).status).toBe(416);
    }
    await expect.poll(openFds, { timeout: 5000 }).toBeLessThanOrEqual(fdsBefore);
  });

  it('plays as they are the formats Chromium plays, and converts the others', async () => {
    const dir = tempDir('sonority-formats-');
    const expected: [string, Parameters<typeof makeTone>[1], string | null, string[]?][] = [
      ['tone.mp3', 'mp3', 'audio/mpeg'], ['tone.flac', 'flac', 'audio/flac'], ['tone.ogg', 'ogg', 'audio/ogg'], ['tone.opus', 'opus', 'audio/ogg'],
      ['tone.m4a', 'm4a', 'audio/mp4'], ['tone.wav', 'wav', 'audio/wav'], ['tone.aiff', 'aiff', null],
    ];
    for (const [name, format, type] of expected) {
      const file = await makeTone(path.join(dir, name), format, { seconds: 1 });
      const sniffed = await sniffFile(file);
      expect(sniffed.audio, name).toBe(true);
      expect(playableType({ container: (sniffed as { container: string }).container, codec: (await readTags(file)).codec }), name).toBe(type);
    }
    const alac = path.join(dir, 'alac.m4a');
    const float = path.join(dir, 'float.wav');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=duration=1', '-c:a', 'alac', alac]);
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=duration=1', '-c:a', 'pcm_f32le', float]);
    expect(playableType({ container: 'mp4', codec: (await readTags(alac)).codec })).toBeNull();
    expect(playableType({ container: 'wav', codec: (await readTags(float)).codec })).toBeNull();
  });

  it('takes track ids only as positive whole numbers', () => {
    expect(trackIdFrom('12')).toBe(12);
    for (const segment of ['0', '-1', '1.5', 'abc', '', '12/x', '%31', '99999999999999999']) expect(trackIdFrom(segment), segment).toBeNull();
  });

  describe('through serve', () => {
    let origin = '';
    const token = 'test-token-for-audio';
    let close = () => {};

    beforeAll(async () => {
      const started = await startApiServer({ handlers: {} as Handlers, events: createEventStream(), staticDir: library, audio: source, token });
      origin = `http://127.0.0.1:${started.port}`;
      close = () => started.server.close();
    });
    afterAll(() => close());

    it('serves /api/audio/<id> behind the token, with ranges and the security headers', async () => {
      expect((await fetch(`${origin}/api/audio/${ids.mp3}`)).status).toBe(401);
      const response = await fetch(`${origin}/api/audio/${ids.mp3}`, { headers: { authorization: `Bearer ${token}`, range: 'bytes=100-199' } });
      expect(response.status).toBe(206);
      expect(response.headers.get('content-range')).toBe(`bytes 100-199/${mp3Bytes.length}`);
      expect(response.headers.get('content-security-policy')).toContain("media-src 'self'");
      expect(Buffer.from(await response.arrayBuffer()).equals(mp3Bytes.subarray(100, 200))).toBe(true);
      const unknown = await fetch(`${origin}/api/audio/77777`, { headers: { authorization: `Bearer ${token}` } });
      expect([unknown.status, await unknown.text()]).toEqual([404, 'there is no track 77777 in the library']);
      const notAnId = await fetch(`${origin}/api/audio/..%2f..%2fetc%2fpasswd`, { headers: { authorization: `Bearer ${token}` } });
      expect(notAnId.status).toBe(404);
      expect(await notAnId.text()).not.toContain('root:');
    });

    it('answers another method with 405 and Allow: GET', async () => {
      for (const method of ['POST', 'PUT', 'DELETE']) {
        const response = await fetch(`${origin}/api/audio/${ids.mp3}`, { method, headers: { authorization: `Bearer ${token}` } });
        expect([response.status, response.headers.get('allow'), await response.text()], method).toEqual([405, 'GET', 'audio is fetched with GET']);
      }
    });

    it('stops a conversion when the client disconnects before its first byte', async () => {
      const slow = await startApiServer({ handlers: {} as Handlers, events: createEventStream(), staticDir: library, audio: { db, ffmpegPath: slowFfmpeg() }, token });
      try {
        const controller = new AbortController();
        const request = fetch(`http://127.0.0.1:${slow.port}/api/audio/${ids.aiff}`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
        request.catch(() => {});
        await expect.poll(() => processesMentioning(files.aiff).length, { timeout: 5000 }).toBe(1);
        const [group] = processesMentioning(files.aiff);
        controller.abort();
        await expect(request).rejects.toThrow();
        await expect.poll(() => processesInGroup(group!), { timeout: 5000 }).toEqual([]);
      } finally {
        slow.server.close();
      }
    });

    it('streams the converted AIFF and stops ffmpeg when the client disconnects', async () => {
      const controller = new AbortController();
      const response = await fetch(`${origin}/api/audio/${ids.aiff}`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('audio/ogg; codecs=opus');
      const reader = response.body!.getReader();
      const first = await reader.read();
      expect(Buffer.from(first.value!).subarray(0, 4).toString('latin1')).toBe('OggS');
      expect(processesMentioning(files.aiff).length).toBe(1);
      controller.abort();
      await expect.poll(() => processesMentioning(files.aiff), { timeout: 5000 }).toEqual([]);
    });
  });

  describe("through Electron's app scheme", () => {
    const get = (id: number | string, headers: Record<string, string> = {}) => serveAppAudio(new Request(typeof id === 'number' ? appAudioUrl(id) : id, { headers }), source);

    it('routes app://sonority/audio/<id> to the audio, and nothing else', () => {
      expect(appAudioUrl(7)).toBe('app://sonority/audio/7');
      expect(isAudioUrl('app://sonority/audio/7')).toBe(true);
      for (const url of ['app://sonority/index.html', 'app://elsewhere/audio/7', 'https://example.com/audio/7']) expect(isAudioUrl(url), url).toBe(false);
    });

    it('answers a range request with 206, Content-Range and a web stream of those bytes', async () => {
      const response = await get(ids.mp3, { range: 'bytes=2048-4095' });
      expect(response.status).toBe(206);
      expect(response.headers.get('content-range')).toBe(`bytes 2048-4095/${mp3Bytes.length}`);
      expect(response.headers.get('content-type')).toBe('audio/mpeg');
      expect(response.headers.get('accept-ranges')).toBe('bytes');
      expect(Buffer.from(await response.arrayBuffer()).equals(mp3Bytes.subarray(2048, 4096))).toBe(true);
      const whole = await get(ids.mp3);
      expect(whole.status).toBe(200);
      expect(Buffer.from(await whole.arrayBuffer()).equals(mp3Bytes)).toBe(true);
      expect((await get(ids.mp3, { range: `bytes=${mp3Bytes.length + 5}-` })).status).toBe(416);
    });

    it('refuses unknown tracks and addresses without an id', async () => {
      const unknown = await get(55_555);
      expect([unknown.status, await unknown.text()]).toEqual([404, 'there is no track 55555 in the library']);
      expect((await get('app://sonority/audio/..%2f..%2fetc%2fpasswd')).status).toBe(404);
    });

    it('answers another method with 405 and Allow: GET, as serve does', async () => {
      const response = await serveAppAudio(new Request(appAudioUrl(ids.mp3), { method: 'POST' }), source);
      expect([response.status, response.headers.get('allow'), await response.text()]).toEqual([405, 'GET', 'audio is fetched with GET']);
    });

    it('converts the AIFF, and cancelling the stream stops ffmpeg', async () => {
      const response = await get(ids.aiff, { range: 'bytes=0-' });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('audio/ogg; codecs=opus');
      const reader = response.body!.getReader();
      expect(Buffer.from((await reader.read()).value!).subarray(0, 4).toString('latin1')).toBe('OggS');
      await reader.cancel();
      await expect.poll(() => processesMentioning(files.aiff), { timeout: 5000 }).toEqual([]);
    });

    it('stops a conversion when the request is aborted before its first byte', async () => {
      const controller = new AbortController();
      const pending = serveAppAudio(new Request(appAudioUrl(ids.aiff), { signal: controller.signal }), { db, ffmpegPath: slowFfmpeg() });
      await expect.poll(() => processesMentioning(files.aiff).length, { timeout: 5000 }).toBe(1);
      const [group] = processesMentioning(files.aiff);
      controller.abort();
      expect((await pending).status).toBe(503);
      await expect.poll(() => processesInGroup(group!), { timeout: 5000 }).toEqual([]);
    });

    it('answers 503 with a sentence when ffmpeg cannot run, and 500 with the message when anything else fails', async () => {
      const missing = await serveAppAudio(new Request(appAudioUrl(ids.aiff)), { db, ffmpegPath: '/nonexistent/ffmpeg' });
      expect([missing.status, await missing.text()]).toEqual([503, `track ${ids.aiff} needs converting for playback, which failed: cannot run ffmpeg at /nonexistent/ffmpeg (ENOENT); reinstall, or point SONORITY_FFMPEG at a working ffmpeg`]);
      const closed = openDatabase(path.join(tempDir(), 'closed.db'));
      closed.close();
      const failed = await serveAppAudio(new Request(appAudioUrl(ids.mp3)), { db: closed });
      expect(failed.status).toBe(500);
      expect(await failed.text()).toMatch(/^Sonority could not answer: .*(not open|closed)/i);
    });

    it('is what the app scheme answers for audio addresses, on a scheme registered for streaming', async () => {
      const { rendererProtocol } = await import('../src-main/electron/renderer-protocol.ts');
      rendererProtocol.beforeReady!();
      expect(electron.schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);
      rendererProtocol.start({ service: { db, ffmpegPath: undefined } as unknown as ServiceContext } as DesktopShell);
      const handle = electron.handlers.get('app')!;
      const response = await handle(new Request(appAudioUrl(ids.mp3), { headers: { range: 'bytes=0-99' } }));
      expect(response.status).toBe(206);
      expect(Buffer.from(await response.arrayBuffer()).equals(mp3Bytes.subarray(0, 100))).toBe(true);
      expect((await handle(new Request('app://sonority/audio-not/1'))).status).toBe(404);
    });
  });
});

/**
 * The Electron layer against the API contract, with Electron faked (its binary
 * cannot run here): main answers exactly the contract's channels, validates and
 * guards them; the preload exposes exactly the contract; the core stays plain Node.
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { channelOf, EVENT_CHANNEL, EVENTS_KEY, METHOD_NAMES, type ApiEvent, type Handlers } from '../src-main/api/contract.ts';
import type { DesktopShell } from '../src-main/electron/shell.ts';

// Plain records, not vi.fn: Vitest clears mock calls before each test, and the preload runs once.
const fakes = vi.hoisted(() => ({
  handled: new Map<string, (event: unknown, payload?: unknown) => unknown>(),
  exposed: [] as [string, Record<string, (...args: unknown[]) => unknown>][],
  invoked: [] as [string, unknown][],
  rendererEvents: null as null | import('node:events').EventEmitter,
}));

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  fakes.rendererEvents = new Emitter();
  const invoke = async (channel: string, params: unknown) => {
    fakes.invoked.push([channel, params]);
    return { ok: true, value: { channel, params } };
  };
  const ipcRenderer = Object.assign(fakes.rendererEvents, { invoke });
  return {
    ipcMain: { handle: (channel: string, listener: (event: unknown, payload?: unknown) => unknown) => fakes.handled.set(channel, listener) },
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, (...args: unknown[]) => unknown>) => fakes.exposed.push([key, api]) },
    ipcRenderer,
  };
});

const { ipc, registerApiHandlers } = await import('../src-main/electron/ipc.ts');

const APP_FRAME = { senderFrame: { url: 'app://sonority/index.html#/library' } };
const ALL_CHANNELS = new Set(METHOD_NAMES.map(channelOf));

/** Handlers that record their calls and answer with their own name. */
function recordingHandlers(): Handlers {
  return Object.fromEntries(METHOD_NAMES.map((name) => [name, vi.fn(() => `${name} answered`)])) as unknown as Handlers;
}

describe('main: IPC handlers', () => {
  it('registers exactly one handler per contract method on ipcMain, and nothing else', () => {
    const handlers = recordingHandlers();
    ipc.start({ handlers } as DesktopShell);
    expect(new Set(fakes.handled.keys())).toEqual(ALL_CHANNELS);
    expect(fakes.handled.size).toBe(METHOD_NAMES.length);
  });

  it('returns the channels it registered', () => {
    const registered: string[] = [];
    const channels = registerApiHandlers({ handle: (channel) => registered.push(channel) }, recordingHandlers());
    expect(channels).toEqual(registered);
    expect(new Set(channels)).toEqual(ALL_CHANNELS);
  });

  it('dispatches a valid payload from the app page to the method handler', async () => {
    const handlers = recordingHandlers();
    const listeners = new Map<string, (event: never, payload?: unknown) => unknown>();
    registerApiHandlers({ handle: (channel, listener) => listeners.set(channel, listener) }, handlers);
    const reply = await listeners.get(channelOf('trackDetail'))!(APP_FRAME as never, { trackId: 7 });
    expect(reply).toEqual({ ok: true, value: 'trackDetail answered' });
    expect(handlers.trackDetail).toHaveBeenCalledWith({ trackId: 7 });
  });

  it('answers an invalid payload with a bad-request envelope naming the field, without calling the handler', async () => {
    const handlers = recordingHandlers();
    const listeners = new Map<string, (event: never, payload?: unknown) => unknown>();
    registerApiHandlers({ handle: (channel, listener) => listeners.set(channel, listener) }, handlers);
    const reply = await listeners.get(channelOf('trackDetail'))!(APP_FRAME as never, { trackId: 'x' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect((reply as { error: { message: string } }).error.message).toContain('trackId');
    const extra = await listeners.get(channelOf('startScan'))!(APP_FRAME as never, { root: '/music', path: '/etc' });
    expect(extra).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect((extra as { error: { message: string } }).error.message).toContain('path');
    expect(handlers.trackDetail).not.toHaveBeenCalled();
    expect(handlers.startScan).not.toHaveBeenCalled();
  });

  it('refuses senders from another origin, or a frame already gone, without calling any handler', async () => {
    const handlers = recordingHandlers();
    const listeners = new Map<string, (event: never, payload?: unknown) => unknown>();
    registerApiHandlers({ handle: (channel, listener) => listeners.set(channel, listener) }, handlers);
    const strangers = [
      { senderFrame: { url: 'https://example.com/' } },
      { senderFrame: { url: 'app://elsewhere/index.html' } },
      { senderFrame: { url: 'file:///work/main/out/renderer/index.html' } },
      { senderFrame: null },
    ];
    for (const name of METHOD_NAMES) {
      for (const event of strangers) {
        const reply = await listeners.get(channelOf(name))!(event as never, {});
        expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      }
      expect(handlers[name]).not.toHaveBeenCalled();
    }
  });
});

describe('preload', () => {
  beforeAll(async () => {
    await import('../src-main/electron/preload.ts');
  });

  const exposed = () => fakes.exposed[0]![1];

  it('exposes exactly the contract methods and onEvent, once, as window.sonority', () => {
    expect(fakes.exposed).toHaveLength(1);
    expect(fakes.exposed[0]![0]).toBe('sonority');
    expect(new Set(Object.keys(exposed()))).toEqual(new Set([...METHOD_NAMES, EVENTS_KEY]));
    for (const value of Object.values(exposed())) {
      expect(typeof value).toBe('function');
      expect(value).not.toBe(fakes.rendererEvents);
    }
  });

  it('invokes each method on its own channel with the params, and returns the envelope', async () => {
    for (const name of METHOD_NAMES) {
      const params = { probe: name };
      fakes.invoked.length = 0;
      const reply = await exposed()[name]!(params);
      expect(fakes.invoked).toEqual([[channelOf(name), params]]);
      expect(reply).toEqual({ ok: true, value: { channel: channelOf(name), params } });
    }
  });

  it('delivers pushed events as their payload only, until unsubscribed', () => {
    const received: unknown[][] = [];
    const unsubscribe = exposed()[EVENTS_KEY]!((...args: unknown[]) => received.push(args)) as () => void;
    const event: ApiEvent = { type: 'navigate', page: 'review' };
    fakes.rendererEvents!.emit(EVENT_CHANNEL, { sender: 'ipc-renderer-event' }, event);
    expect(received).toEqual([[event]]);
    unsubscribe();
    expect(fakes.rendererEvents!.listenerCount(EVENT_CHANNEL)).toBe(0);
    fakes.rendererEvents!.emit(EVENT_CHANNEL, {}, { type: 'library-changed' });
    expect(received).toHaveLength(1);
  });

  it('bundles (as the sandbox needs) with electron as its only require, importing only electron and the contract', async () => {
    const entry = 'src-main/electron/preload.ts';
    const result = await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', external: ['electron'], write: false, metafile: true, logLevel: 'silent' });
    const required = [...result.outputFiles[0]!.text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(result.metafile.inputs[entry]!.imports.map((imported) => imported.path).sort()).toEqual(['electron', 'src-main/api/contract.ts']);
  });
});

describe('the core stays plain Node', () => {
  const IMPORTS_ELECTRON = /\b(?:from|import|require)\s*\(?\s*['"]electron(?:\/[^'"]*)?['"]/;

  function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(full);
      return /\.[cm]?[jt]s$/.test(entry.name) ? [full] : [];
    });
  }

  it('recognises an Electron import in any of its forms', () => {
    for (const line of ["import { app } from 'electron';", 'import "electron";', "const e = await import('electron/main');", "require('electron')", "export { net } from 'electron/main'"]) {
      expect(IMPORTS_ELECTRON.test(line), line).toBe(true);
    }
    for (const line of ["import builder from 'electron-builder';", "// the electron layer", "const name = 'electron app';"]) {
      expect(IMPORTS_ELECTRON.test(line), line).toBe(false);
    }
  });

  it('has no file under src-main/core or src-main/api importing electron', () => {
    const files = ['src-main/core', 'src-main/api'].flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(20);
    const offenders = files.filter((file) => IMPORTS_ELECTRON.test(fs.readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});

/**
 * The Electron layer's security, with Electron faked (its binary cannot run
 * here): window preferences, navigation and request guards, permissions, the
 * app scheme's file serving and CSP, and the menu.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ApiEvent } from '../src-main/api/contract.ts';
import type { DesktopShell } from '../src-main/electron/shell.ts';

type Listener = (...args: never[]) => unknown;

// Plain records, not vi.fn: Vitest clears mock calls before each test.
const fakes = vi.hoisted(() => ({
  appListeners: new Map<string, Listener>(),
  sandboxEnabled: 0,
  permissionRequest: null as null | Listener,
  permissionCheck: null as null | Listener,
  beforeRequest: null as null | Listener,
  privilegedSchemes: [] as unknown[],
  protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
  windows: [] as { options: unknown; loaded: string[]; shown: number; listeners: Map<string, () => void> }[],
}));

vi.mock('electron', () => {
  class FakeWindow {
    record = { options: undefined as unknown, loaded: [] as string[], shown: 0, listeners: new Map<string, () => void>() };
    constructor(options: unknown) {
      this.record.options = options;
      fakes.windows.push(this.record);
    }
    once(event: string, listener: () => void) { this.record.listeners.set(event, listener); return this; }
    on(event: string, listener: () => void) { this.record.listeners.set(event, listener); return this; }
    show() { this.record.shown++; }
    async loadURL(url: string) { this.record.loaded.push(url); }
  }
  return {
    app: {
      isPackaged: true,
      enableSandbox: () => fakes.sandboxEnabled++,
      on: (event: string, listener: Listener) => fakes.appListeners.set(event, listener),
      quit: () => undefined,
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: Listener) => (fakes.permissionRequest = handler),
        setPermissionCheckHandler: (handler: Listener) => (fakes.permissionCheck = handler),
        webRequest: { onBeforeRequest: (handler: Listener) => (fakes.beforeRequest = handler) },
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => fakes.privilegedSchemes.push(...schemes),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => fakes.protocolHandlers.set(scheme, handler),
    },
    BrowserWindow: FakeWindow,
    nativeTheme: { shouldUseDarkColors: true, on: () => undefined },
    Menu: { buildFromTemplate: (template: unknown) => template, setApplicationMenu: () => undefined },
  };
});

const { mayRequest, refuseForeignNavigation, security } = await import('../src-main/electron/security.ts');
const { CONTENT_SECURITY_POLICY } = await import('../src-main/api/content-security-policy.ts');
const { RENDERER_DIR } = await import('../src-main/api/renderer-files.ts');
const { rendererFileFor, rendererProtocol, serveRendererFile } = await import('../src-main/electron/renderer-protocol.ts');
const { PRELOAD_PATH, mainWindow, windowOptions } = await import('../src-main/electron/window.ts');
const { menuTemplate } = await import('../src-main/electron/menu.ts');
const { APP_ENTRY_URL } = await import('../src-main/electron/app-origin.ts');

/** Whether `event` was cancelled by the navigation guard. */
function navigationRefused(url: string): boolean {
  let prevented = false;
  refuseForeignNavigation({ url, preventDefault: () => (prevented = true) });
  return prevented;
}

describe('window', () => {
  it('isolates and sandboxes the page, without Node, webviews or insecure content', () => {
    for (const isPackaged of [true, false]) {
      const preferences = windowOptions({ dark: false, isPackaged }).webPreferences!;
      expect(preferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webSecurity: true, webviewTag: false });
      expect(preferences.allowRunningInsecureContent).not.toBe(true);
      expect(preferences.preload).toBe(PRELOAD_PATH);
      expect(preferences.devTools).toBe(!isPackaged);
    }
    expect(PRELOAD_PATH).toBe(path.resolve('out/preload/preload.cjs'));
  });

  it('opens hidden until painted, on the app scheme, with the theme background, and forgets itself when closed', () => {
    const shell = { window: null } as DesktopShell;
    mainWindow.start(shell);
    const [record] = fakes.windows;
    expect(fakes.windows).toHaveLength(1);
    expect(record!.options).toEqual(windowOptions({ dark: true, isPackaged: true }));
    expect(record!.options).toMatchObject({ show: false, title: 'Sonority', backgroundColor: '#16171a' });
    expect(windowOptions({ dark: false, isPackaged: true }).backgroundColor).toBe('#f7f7f8');
    expect(record!.loaded).toEqual([APP_ENTRY_URL]);
    expect(record!.shown).toBe(0);
    record!.listeners.get('ready-to-show')!();
    expect(record!.shown).toBe(1);
    expect(shell.window).not.toBeNull();
    record!.listeners.get('closed')!();
    expect(shell.window).toBeNull();
  });
});

describe('navigation, requests and permissions', () => {
  it('refuses navigation away from the app, and allows the app origin', () => {
    expect(navigationRefused('https://example.com')).toBe(true);
    expect(navigationRefused('http://localhost:5173/')).toBe(true);
    expect(navigationRefused('file:///etc/passwd')).toBe(true);
    expect(navigationRefused('app://elsewhere/index.html')).toBe(true);
    expect(navigationRefused('not a url')).toBe(true);
    expect(navigationRefused('app://sonority/index.html')).toBe(false);
    expect(navigationRefused('app://sonority/#/review')).toBe(false);
  });

  it('lets the session load only the app, its data/blob URLs and the devtools', () => {
    for (const url of ['app://sonority/assets/index.js', 'data:image/png;base64,AAAA', 'blob:app://sonority/1b4f', 'devtools://devtools/bundled/inspector.html']) expect(mayRequest(url), url).toBe(true);
    for (const url of ['https://example.com/x.js', 'http://127.0.0.1:8080/', 'file:///etc/passwd', 'blob:https://example.com/1b4f', 'app://elsewhere/x', 'ws://example.com']) expect(mayRequest(url), url).toBe(false);
  });

  it('sandboxes every renderer before ready and installs the guards on the session and every webContents', () => {
    security.beforeReady!();
    expect(fakes.sandboxEnabled).toBe(1);
    security.start({} as DesktopShell);

    const grants: boolean[] = [];
    fakes.permissionRequest!({} as never, 'media' as never, ((granted: boolean) => grants.push(granted)) as never);
    fakes.permissionRequest!({} as never, 'notifications' as never, ((granted: boolean) => grants.push(granted)) as never);
    expect(grants).toEqual([false, false]);
    expect(fakes.permissionCheck!({} as never, 'clipboard-read' as never)).toBe(false);

    const replies: unknown[] = [];
    fakes.beforeRequest!({ url: 'https://example.com/tracker.js' } as never, ((reply: unknown) => replies.push(reply)) as never);
    fakes.beforeRequest!({ url: 'app://sonority/index.html' } as never, ((reply: unknown) => replies.push(reply)) as never);
    expect(replies).toEqual([{ cancel: true }, { cancel: false }]);

    expect(fakes.appListeners.has('web-contents-created')).toBe(true);
  });

  it('locks down any webContents: no foreign navigation or redirect, no new windows, no webviews', () => {
    const listeners = new Map<string, Listener>();
    let openHandler: (() => unknown) | undefined;
    const contents = { on: (event: string, listener: Listener) => listeners.set(event, listener), setWindowOpenHandler: (handler: () => unknown) => (openHandler = handler) };
    fakes.appListeners.get('web-contents-created')!({} as never, contents as never);
    expect(openHandler!()).toEqual({ action: 'deny' });
    for (const event of ['will-navigate', 'will-redirect']) {
      let prevented = false;
      listeners.get(event)!({ url: 'https://example.com', preventDefault: () => (prevented = true) } as never);
      expect(prevented, event).toBe(true);
    }
    let attachPrevented = false;
    listeners.get('will-attach-webview')!({ preventDefault: () => (attachPrevented = true) } as never);
    expect(attachPrevented).toBe(true);
  });
});

describe('the app scheme', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'sonority-scheme-'));
  const root = path.join(base, 'renderer');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Sonority</title>');
  fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(base, 'package.json'), '{"secret":"outside the renderer"}');
  const get = (url: string, method = 'GET') => serveRendererFile(new Request(url, { method }), root);
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  it('registers app:// as a standard secure scheme that does not bypass the CSP', () => {
    rendererProtocol.beforeReady!();
    expect(fakes.privilegedSchemes).toHaveLength(1);
    expect(fakes.privilegedSchemes[0]).toMatchObject({ scheme: 'app', privileges: { standard: true, secure: true } });
    expect((fakes.privilegedSchemes[0] as { privileges: { bypassCSP?: boolean } }).privileges.bypassCSP).not.toBe(true);
  });

  it('serves files of the renderer folder with the CSP header and their type', async () => {
    const page = await get('app://sonority/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Sonority</title>');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const script = await get('app://sonority/assets/app.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('refuses path traversal, plain or encoded, and never answers with a file outside the folder', async () => {
    const attempts = [
      'app://sonority/../package.json',
      'app://sonority/%2e%2e/package.json',
      'app://sonority/..%2fpackage.json',
      'app://sonority/%2E%2E%2Fpackage.json',
      'app://sonority/assets/..%2f..%2fpackage.json',
      'app://sonority/assets/%2e%2e%2f%2e%2e%2fpackage.json',
      `app://sonority/${encodeURIComponent(path.join(base, 'package.json'))}`,
    ];
    for (const url of attempts) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(await response.text(), url).not.toContain('secret');
      const file = rendererFileFor(url, root);
      if (file !== null) expect(file.startsWith(root + path.sep), url).toBe(true);
    }
    expect(rendererFileFor('app://sonority/..%2fpackage.json', root)).toBeNull();
    expect(rendererFileFor('app://sonority/assets/..%2f..%2fpackage.json', root)).toBeNull();
  });

  it('answers only GET requests to its own host', async () => {
    expect((await get('app://elsewhere/index.html')).status).toBe(404);
    expect((await get('app://sonority/index.html', 'POST')).status).toBe(404);
    expect((await get('app://sonority/missing.js')).status).toBe(404);
    expect((await get('app://sonority/assets/')).status).toBe(404);
  });

  it('serves out/renderer on app:// once ready, refusing traversal there too', async () => {
    expect(RENDERER_DIR).toBe(path.resolve('out/renderer') + path.sep);
    rendererProtocol.start({} as DesktopShell);
    const handler = fakes.protocolHandlers.get('app')!;
    const response = await handler(new Request('app://sonority/..%2f..%2fpackage.json'));
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('"name": "sonority"');
  });

  it('sends the same policy as the <meta> of src-renderer/index.html', () => {
    const html = fs.readFileSync('src-renderer/index.html', 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY);
  });
});

describe('menu', () => {
  type Item = { label?: string; role?: string; accelerator?: string; click?: () => void; submenu?: Item[] };
  const flatten = (items: Item[]): Item[] => items.flatMap((item) => [item, ...flatten(item.submenu ?? [])]);
  const menuFor = (isMac: boolean, isPackaged: boolean) => {
    const events: ApiEvent[] = [];
    const items = flatten(menuTemplate({ isMac, isPackaged, emit: (event) => events.push(event) }) as Item[]);
    return { items, events };
  };

  it('navigates to the seven pages with CmdOrCtrl+1…7 in the sidebar\'s order, and to the scan page with CmdOrCtrl+O', () => {
    const { items, events } = menuFor(false, true);
    const expected = { 'CmdOrCtrl+1': 'library', 'CmdOrCtrl+2': 'scan', 'CmdOrCtrl+3': 'review', 'CmdOrCtrl+4': 'playlists', 'CmdOrCtrl+5': 'apply', 'CmdOrCtrl+6': 'settings', 'CmdOrCtrl+7': 'map', 'CmdOrCtrl+O': 'scan' };
    for (const [accelerator, page] of Object.entries(expected)) {
      const item = items.find((candidate) => candidate.accelerator === accelerator);
      expect(item, accelerator).toBeDefined();
      events.length = 0;
      item!.click!();
      expect(events, accelerator).toEqual([{ type: 'navigate', page }]);
    }
    expect(items.find((item) => item.accelerator === 'CmdOrCtrl+O')!.label).toBe('Scan Folder…');
  });

  it('has the usual menus and roles, and devtools only when not packaged', () => {
    const roles = (isMac: boolean, isPackaged: boolean) => menuFor(isMac, isPackaged).items.map((item) => item.role).filter(Boolean);
    expect(roles(true, true)).toEqual(expect.arrayContaining(['appMenu', 'close', 'editMenu', 'windowMenu', 'help', 'togglefullscreen']));
    expect(roles(false, true)).toEqual(expect.arrayContaining(['quit', 'editMenu', 'windowMenu', 'help', 'about']));
    expect(roles(false, true)).not.toContain('appMenu');
    expect(roles(false, true)).not.toContain('toggleDevTools');
    expect(roles(true, true)).not.toContain('toggleDevTools');
    expect(roles(false, false)).toContain('toggleDevTools');
  });
});

import { app, session, type WebContents, type WebPreferences } from 'electron';
import { isAppUrl } from './app-origin.ts';
import type { DesktopModule } from './shell.ts';

/** Electron's security checklist for every window: an isolated, sandboxed page without Node. */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
} as const satisfies WebPreferences;

/** Cancels a navigation or redirect (`will-navigate`, `will-redirect`) that would leave the app's own pages. */
export function refuseForeignNavigation(event: { url: string; preventDefault: () => void }): void {
  if (!isAppUrl(event.url)) event.preventDefault();
}

/** Whether the session may load `url`: the app's files, its data/blob URLs, and the devtools; nothing remote. */
export function mayRequest(url: string): boolean {
  if (url.startsWith('blob:')) return isAppUrl(url.slice('blob:'.length));
  return isAppUrl(url) || url.startsWith('data:') || url.startsWith('devtools:');
}

/** Locks down any webContents: no foreign navigation, no new windows, no `<webview>`. */
export function lockDownContents(contents: WebContents): void {
  contents.on('will-navigate', refuseForeignNavigation);
  contents.on('will-redirect', refuseForeignNavigation);
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Sandboxes every renderer, refuses all permissions and remote requests, and locks down every webContents. */
export const security: DesktopModule = {
  beforeReady: () => app.enableSandbox(),
  start: () => {
    app.on('web-contents-created', (_event, contents) => lockDownContents(contents));
    const { defaultSession } = session;
    defaultSession.setPermissionRequestHandler((_contents, _permission, grant) => grant(false));
    defaultSession.setPermissionCheckHandler(() => false);
    defaultSession.webRequest.onBeforeRequest((details, reply) => reply({ cancel: !mayRequest(details.url) }));
  },
};

/**
 * Sonority's Electron entry. Thin on purpose: the core and the API know nothing
 * of Electron; each module below does one job and starts in this order.
 */
import { app, BrowserWindow, dialog } from 'electron';
import { createHandlers } from '../api/service.ts';
import { closeDesktopService, createDesktopService } from './desktop-service.ts';
import { ipc } from './ipc.ts';
import { menu } from './menu.ts';
import { rendererProtocol } from './renderer-protocol.ts';
import { security } from './security.ts';
import type { DesktopModule, DesktopShell } from './shell.ts';
import { mainWindow } from './window.ts';

const MODULES: DesktopModule[] = [security, rendererProtocol, ipc, menu, mainWindow];

async function startShell(): Promise<void> {
  let shell: DesktopShell | undefined;
  const service = await createDesktopService({ window: () => shell?.window ?? null });
  app.once('will-quit', () => closeDesktopService(service));
  shell = { service, handlers: createHandlers(service), window: null };
  for (const module of MODULES) module.start(shell);
}

// One app per library: a second start focuses the first window instead of opening the same database twice.
if (!app.requestSingleInstanceLock()) app.exit(0);
app.on('second-instance', () => {
  const window = BrowserWindow.getAllWindows()[0];
  if (window?.isMinimized()) window.restore();
  window?.focus();
});

for (const module of MODULES) module.beforeReady?.();
// No top-level await on whenReady: Electron emits `ready` only after the entry module has loaded.
app.whenReady().then(startShell).catch((error: unknown) => {
  dialog.showErrorBox('Sonority cannot start', (error as Error)?.message ?? String(error));
  app.exit(1);
});

import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, nativeTheme, type BrowserWindowConstructorOptions } from 'electron';
import { APP_ENTRY_URL } from './app-origin.ts';
import { SECURE_WEB_PREFERENCES } from './security.ts';
import type { DesktopModule, DesktopShell } from './shell.ts';

/** The bundled preload (`npm run build`). */
export const PRELOAD_PATH = fileURLToPath(new URL('../../out/preload/preload.cjs', import.meta.url));

/** The page background of `src-renderer/src/styles.css` (`--bg`), so the window never flashes the other theme. */
export const backgroundColour = (dark: boolean): string => (dark ? '#16171a' : '#f7f7f8');

/** The main window's options: hidden until painted, secure webPreferences with the preload; devtools only unpackaged. */
export function windowOptions({ dark, isPackaged }: { dark: boolean; isPackaged: boolean }): BrowserWindowConstructorOptions {
  return {
    title: 'Sonority',
    width: 1280,
    height: 820,
    minWidth: 880,
    minHeight: 560,
    show: false,
    backgroundColor: backgroundColour(dark),
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: PRELOAD_PATH, devTools: !isPackaged },
  };
}

function openMainWindow(shell: DesktopShell): void {
  const window = new BrowserWindow(windowOptions({ dark: nativeTheme.shouldUseDarkColors, isPackaged: app.isPackaged }));
  shell.window = window;
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (shell.window === window) shell.window = null;
  });
  window.loadURL(APP_ENTRY_URL).catch((error: unknown) => console.error(`Sonority: cannot load the interface: ${String(error)}`));
}

/** Opens the main window (again on macOS `activate`), follows the system theme, and quits when it closes (except on macOS). */
export const mainWindow: DesktopModule = {
  start: (shell) => {
    openMainWindow(shell);
    nativeTheme.on('updated', () => shell.window?.setBackgroundColor(backgroundColour(nativeTheme.shouldUseDarkColors)));
    app.on('activate', () => {
      if (!shell.window) openMainWindow(shell);
    });
    app.on('window-all-closed', () => {
      if (process.platform !== 'darwin') app.quit();
    });
  },
};

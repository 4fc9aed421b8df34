import type { BrowserWindow } from 'electron';
import type { Handlers } from '../api/contract.ts';
import type { ServiceContext } from '../api/context.ts';

/** What the desktop modules share once Electron is ready. */
export interface DesktopShell {
  service: ServiceContext;
  handlers: Handlers;
  /** The main window; null before it opens and after it closes. */
  window: BrowserWindow | null;
}

/** One part of the desktop app, started in order from `main.ts`. */
export interface DesktopModule {
  /** What Electron accepts only before `ready` (scheme privileges, the sandbox switch). */
  beforeReady?: () => void;
  /** Starts the module once Electron is ready. */
  start: (shell: DesktopShell) => void;
}

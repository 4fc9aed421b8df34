import { app, Menu, type MenuItemConstructorOptions } from 'electron';
import { PAGES, type ApiEvent, type PageName } from '../api/contract.ts';
import type { DesktopModule } from './shell.ts';

/** What the menu depends on. */
export interface MenuOptions {
  isMac: boolean;
  /** Packaged builds have no reload or devtools items. */
  isPackaged: boolean;
  /** Pushes an event to the interface (navigation). */
  emit: (event: ApiEvent) => void;
}

/** The application menu: app (macOS), File, Edit, View (the pages), Window and Help. */
export function menuTemplate({ isMac, isPackaged, emit }: MenuOptions): MenuItemConstructorOptions[] {
  const navigate = (page: PageName) => () => emit({ type: 'navigate', page });
  const development: MenuItemConstructorOptions[] = isPackaged ? [] : [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }];
  return [
    ...(isMac ? [{ role: 'appMenu' } as const] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Scan Folder…', accelerator: 'CmdOrCtrl+O', click: navigate('scan') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...PAGES.map(({ page, label, key }): MenuItemConstructorOptions => ({ label, accelerator: `CmdOrCtrl+${key}`, click: navigate(page) })),
        { type: 'separator' },
        ...development,
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: isMac ? [] : [{ role: 'about' }] },
  ];
}

/** Installs the application menu. */
export const menu: DesktopModule = {
  start: (shell) => {
    const template = menuTemplate({ isMac: process.platform === 'darwin', isPackaged: app.isPackaged, emit: shell.service.emit });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  },
};

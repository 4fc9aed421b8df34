import { app, Menu, type MenuItemConstructorOptions } from 'electron';
import type { ApiEvent } from '../api/contract.ts';
import type { DesktopModule } from './shell.ts';

type Page = Extract<ApiEvent, { type: 'navigate' }>['page'];

/** The interface's pages, in the order of their shortcuts (CmdOrCtrl+1…5, as Alt+1…5 in the page). */
const PAGES: { page: Page; label: string }[] = [
  { page: 'library', label: 'Library' },
  { page: 'scan', label: 'Scan' },
  { page: 'review', label: 'Review' },
  { page: 'apply', label: 'Apply' },
  { page: 'settings', label: 'Settings' },
];

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
  const navigate = (page: Page) => () => emit({ type: 'navigate', page });
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
        ...PAGES.map(({ page, label }, i): MenuItemConstructorOptions => ({ label, accelerator: `CmdOrCtrl+${i + 1}`, click: navigate(page) })),
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

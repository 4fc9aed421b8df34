import { ipcMain, type IpcMain, type IpcMainInvokeEvent } from 'electron';
import { channelOf, METHOD_NAMES, type Envelope, type Handlers } from '../api/contract.ts';
import { dispatch } from '../api/dispatch.ts';
import { isAppUrl } from './app-origin.ts';
import type { DesktopModule } from './shell.ts';

/** The part of `ipcMain` the API needs. */
export type IpcRegistry = Pick<IpcMain, 'handle'>;

const FORBIDDEN: Envelope<never> = { ok: false, error: { code: 'forbidden', message: "Only Sonority's own window may call its API." } };

/** Whether an invoke comes from a frame showing the app's own pages (not another origin, nor a frame already gone). */
export function isAppSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  return event.senderFrame !== null && isAppUrl(event.senderFrame.url);
}

/** Registers one handler per contract method: refuses foreign senders, else validates and dispatches. Returns the channels. */
export function registerApiHandlers(ipc: IpcRegistry, handlers: Handlers): string[] {
  return METHOD_NAMES.map((name) => {
    const channel = channelOf(name);
    ipc.handle(channel, (event, payload: unknown) => (isAppSender(event) ? dispatch(handlers, name, payload) : FORBIDDEN));
    return channel;
  });
}

/** Answers the renderer's API calls over IPC. */
export const ipc: DesktopModule = {
  start: (shell) => {
    registerApiHandlers(ipcMain, shell.handlers);
  },
};

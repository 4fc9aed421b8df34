/**
 * The sandboxed preload (bundled to `out/preload/preload.cjs`): exposes exactly
 * the contract's methods and `onEvent` as `window.sonority`, never `ipcRenderer`.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { channelOf, EVENT_CHANNEL, EVENTS_KEY, METHOD_NAMES, type ApiEvent, type ExposedApi } from '../api/contract.ts';

function onEvent(listener: (event: ApiEvent) => void): () => void {
  const relay = (_event: IpcRendererEvent, payload: ApiEvent) => listener(payload);
  ipcRenderer.on(EVENT_CHANNEL, relay);
  return () => {
    ipcRenderer.removeListener(EVENT_CHANNEL, relay);
  };
}

const methods = Object.fromEntries(METHOD_NAMES.map((name) => [name, (params: unknown) => ipcRenderer.invoke(channelOf(name), params)]));

contextBridge.exposeInMainWorld('sonority', { ...methods, [EVENTS_KEY]: onEvent } as ExposedApi);

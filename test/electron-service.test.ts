/**
 * The desktop ServiceContext, with Electron faked: the per-user database, the
 * shipped model (or null, saying why), the native folder dialog and events to
 * the window.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNEL, type ApiEvent } from '../src-main/api/contract.ts';

// Plain records, not vi.fn: Vitest clears mock calls before each test.
const fakes = vi.hoisted(() => ({
  dialogCalls: [] as unknown[][],
  dialogAnswer: { canceled: false, filePaths: [] as string[] },
}));

vi.mock('electron', () => ({
  dialog: {
    showOpenDialog: async (...args: unknown[]) => {
      fakes.dialogCalls.push(args);
      return fakes.dialogAnswer;
    },
  },
}));

const { closeDesktopService, createDesktopService } = await import('../src-main/electron/desktop-service.ts');
const { createHandlers } = await import('../src-main/api/service.ts');

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'sonority-desktop-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

/** A window whose page records what it is sent. */
function fakeWindow({ destroyed = false, pageDestroyed = false } = {}) {
  const sent: unknown[][] = [];
  return { sent, window: { isDestroyed: () => destroyed, webContents: { isDestroyed: () => pageDestroyed, send: (...args: unknown[]) => sent.push(args) } } };
}

async function serviceWith(env: NodeJS.ProcessEnv, window: () => unknown = () => null) {
  const log: string[] = [];
  const service = await createDesktopService({ window: window as () => never, env: { SONORITY_TF_BACKEND: 'wasm', ...env }, log: (line) => log.push(line) });
  return { service, log };
}

describe('desktop service', () => {
  it('opens the library database named by SONORITY_DB and loads the shipped model, logging its backend', async () => {
    const dbPath = path.join(base, 'first', 'library.db');
    const { service, log } = await serviceWith({ SONORITY_DB: dbPath });
    try {
      expect(service).toMatchObject({ mode: 'desktop', databasePath: dbPath, backend: 'wasm' });
      expect(fs.existsSync(dbPath)).toBe(true);
      expect(service.db.prepare('select count(*) as n from sqlite_master').get()).toMatchObject({ n: expect.any(Number) });
      expect(service.model?.metadata.labels.length).toBeGreaterThan(1);
      expect(log).toContain('TensorFlow.js backend: wasm (@tensorflow/tfjs)');
      expect(log).toContain(`Genre model ${service.model!.metadata.id}`);
      expect([...service.scanFolders]).toEqual([]);
    } finally {
      closeDesktopService(service);
    }
    expect(service.db.open).toBe(false);
  });

  it('runs without a model when it cannot load, and logs why', async () => {
    const { service, log } = await serviceWith({ SONORITY_DB: path.join(base, 'second.db'), SONORITY_MODEL: path.join(base, 'no-such-model') });
    try {
      expect(service.model).toBeNull();
      expect(service.backend).toBe('wasm');
      const reason = log.find((line) => line.startsWith('Genre model not loaded'));
      expect(reason).toBeDefined();
      expect(reason).toContain('no-such-model');
    } finally {
      closeDesktopService(service);
    }
  });

  it('sends events to a live window only', async () => {
    const event: ApiEvent = { type: 'library-changed' };
    const live = fakeWindow();
    const closed = fakeWindow({ destroyed: true });
    const crashed = fakeWindow({ pageDestroyed: true });
    let current: unknown = null;
    const { service } = await serviceWith({ SONORITY_DB: path.join(base, 'third.db') }, () => current);
    try {
      service.emit(event);
      for (const target of [live, closed, crashed]) {
        current = target.window;
        service.emit(event);
      }
      expect(live.sent).toEqual([[EVENT_CHANNEL, event]]);
      expect(closed.sent).toEqual([]);
      expect(crashed.sent).toEqual([]);
    } finally {
      closeDesktopService(service);
    }
  });

  it('picks a folder with the native dialog on the window, making it scannable', async () => {
    const { window } = fakeWindow();
    const { service } = await serviceWith({ SONORITY_DB: path.join(base, 'fourth.db') }, () => window);
    const handlers = createHandlers(service);
    try {
      fakes.dialogAnswer = { canceled: false, filePaths: ['/music/jazz'] };
      expect(await handlers.chooseFolder({})).toEqual({ path: '/music/jazz' });
      expect(fakes.dialogCalls[0]![0]).toBe(window);
      expect(fakes.dialogCalls[0]![1]).toMatchObject({ properties: ['openDirectory'] });
      expect([...service.scanFolders]).toEqual(['/music/jazz']);

      fakes.dialogAnswer = { canceled: true, filePaths: [] };
      expect(await handlers.chooseFolder({})).toEqual({ path: null });
      expect([...service.scanFolders]).toEqual(['/music/jazz']);
    } finally {
      closeDesktopService(service);
    }
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { CLI, REPO_ROOT } from './fixtures.ts';

/** Builds the renderer into out/renderer (what `serve` and Electron load). */
export async function buildRenderer(): Promise<void> {
  await build({ configFile: path.join(REPO_ROOT, 'vite.config.ts'), logLevel: 'warn' });
}

export interface ServeProcess {
  child: ChildProcess;
  /** The address `serve` printed, with its token. */
  address: string;
  origin: string;
  token: string;
  stderr: () => string;
  /** Stops it with Ctrl-C and waits for its exit code. */
  stop: () => Promise<number | null>;
}

/** Starts the real `sonority serve <folder>` in a child process, isolated from the user's settings (`env` adds variables), and waits for its address. */
export function startServe(folder: string, db: string, configHome = fs.mkdtempSync(path.join(os.tmpdir(), 'sonority-config-')), env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, 'serve', folder, '--db', db, '--workers', '2'], {
    env: { ...process.env, XDG_CONFIG_HOME: configHome, SONORITY_MODEL: '', SONORITY_TF_BACKEND: 'wasm', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.on('close', (code) => reject(new Error(`serve exited (${code}) before printing its address:\n${stderr}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /Open (http:\/\/127\.0\.0\.1:\d+)\/\?token=([\w-]+)/.exec(stdout);
      if (!match) return;
      resolve({
        child, address: match[0].slice('Open '.length), origin: match[1]!, token: match[2]!, stderr: () => stderr,
        stop: () => {
          child.kill('SIGINT');
          return exited;
        },
      });
    });
  });
}

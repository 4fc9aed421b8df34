import { execFile, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { resolveFfmpegPath } from '../../src-main/core/decode/ffmpeg-path.ts';

const run = promisify(execFile);

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
export const SHARED_DATA = path.resolve(REPO_ROOT, '..', 'shared', 'data');
export const CLI = path.join(REPO_ROOT, 'src-main', 'cli.ts');

/** Runs the bundled ffmpeg quietly; rejects with its stderr on failure. */
export async function ffmpeg(args: string[]): Promise<void> {
  await run(resolveFfmpegPath(), ['-nostdin', '-hide_banner', '-v', 'error', '-y', ...args]);
}

export type Format = 'mp3' | 'flac' | 'ogg' | 'opus' | 'm4a' | 'wav' | 'aiff';

const CODEC_ARGS: Record<Format, string[]> = {
  mp3: ['-c:a', 'libmp3lame', '-b:a', '128k', '-id3v2_version', '3'],
  flac: ['-c:a', 'flac'],
  ogg: ['-c:a', 'libvorbis', '-q:a', '3'],
  opus: ['-c:a', 'libopus', '-b:a', '64k'],
  m4a: ['-c:a', 'aac', '-b:a', '128k'],
  wav: ['-c:a', 'pcm_s16le'],
  aiff: ['-c:a', 'pcm_s16be', '-write_id3v2', '1'],
};

export interface ToneOptions {
  seconds?: number;
  frequency?: number;
  sampleRate?: number;
  channels?: number;
  tags?: Record<string, string>;
  /** Output container forced with `-f` (for files named with a misleading extension). */
  container?: string;
}

/** Writes a sine tone (amplitude 1/8, ffmpeg's default) in `format`, tagged with `tags`. */
export async function makeTone(file: string, format: Format, options: ToneOptions = {}): Promise<string> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const { seconds = 3, frequency = 440, sampleRate = 44100, channels = 2 } = options;
  const tags = Object.entries(options.tags ?? {}).flatMap(([key, value]) => ['-metadata', `${key}=${value}`]);
  await ffmpeg(['-f', 'lavfi', '-i', `sine=frequency=${frequency}:sample_rate=${sampleRate}:duration=${seconds}`, '-ac', String(channels), ...CODEC_ARGS[format], ...tags, ...(options.container ? ['-f', options.container] : []), file]);
  return file;
}

/** Converts a real recording (a path under ../shared/data) to `format` at `file`. */
export async function convertReal(source: string, file: string, format: Format, tags: Record<string, string> = {}): Promise<string> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tagArgs = Object.entries(tags).flatMap(([key, value]) => ['-metadata', `${key}=${value}`]);
  await ffmpeg(['-i', source, '-map', '0:a:0', ...CODEC_ARGS[format], ...tagArgs, file]);
  return file;
}

/** A fresh temporary folder, readable by every user (tests may run the CLI as `nobody`). */
export function tempDir(prefix = 'sonority-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o777);
  return dir;
}

/** SHA-256 of a file's bytes. */
export function hashFile(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The user's own settings never reach the CLI under test: a fresh config folder (taxonomy, default database) and the shipped model. */
const ISOLATED_ENV = { XDG_CONFIG_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'sonority-config-')), SONORITY_MODEL: '', SONORITY_TF_BACKEND: 'wasm' };

/** Runs the real `sonority` CLI in a child process (Node 24 from node_modules/.bin), isolated from the user's settings. */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; uid?: number; gid?: number; onStdout?: (text: string, child: import('node:child_process').ChildProcess) => void } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...ISOLATED_ENV, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.uid !== undefined ? { uid: options.uid, gid: options.gid ?? options.uid } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      options.onStdout?.(stdout, child);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Parses the NDJSON lines a `--json` command printed. */
export function jsonLines(stdout: string): Array<Record<string, any>> {
  return stdout.split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line));
}

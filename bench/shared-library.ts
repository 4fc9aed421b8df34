/**
 * The real library the MusiCNN evaluations share: ../shared/data's songs,
 * recordings and GTZAN clips, copied once into .cache/playlist-musicnn/audio
 * and scanned there with the real CLI (incremental: unchanged files are
 * skipped on later runs).
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const DATA = path.join(ROOT, '../shared/data');
export const CACHE = path.join(ROOT, '.cache/playlist-musicnn');
export const AUDIO = path.join(CACHE, 'audio');

/** Copies the audio into the cache (once) and scans it into `db`; `acceptFailures` lets a scan that failed some files (exit 1) pass. */
export function analyseSharedLibrary(db: string, acceptFailures = false): void {
  if (!fs.existsSync(AUDIO)) {
    const copy = (from: string, to: string, keep: (name: string) => boolean) => {
      fs.mkdirSync(path.join(AUDIO, to), { recursive: true });
      for (const name of fs.readdirSync(from).filter(keep)) fs.copyFileSync(path.join(from, name), path.join(AUDIO, to, name));
    };
    copy(path.join(DATA, 'songs'), 'songs', (name) => name.endsWith('.mp3'));
    copy(path.join(DATA, 'recordings'), 'recordings', (name) => name.endsWith('.ogg'));
    copy(path.join(DATA, 'gtzan/clips'), 'gtzan', (name) => /\.(wav|flac)$/.test(name));
  }
  const scan = spawnSync(process.execPath, [path.join(ROOT, 'src-main/cli.ts'), 'scan', AUDIO, '--db', db], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (scan.status !== 0 && !(acceptFailures && scan.status === 1)) throw new Error(`the scan exited ${scan.status}`);
}

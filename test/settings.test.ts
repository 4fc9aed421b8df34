import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED_DATA, ffmpeg, jsonLines, runCli, tempDir } from './helpers/fixtures.ts';

describe('sonority settings', () => {
  const env = { XDG_CONFIG_HOME: tempDir() };
  const settings = async (...args: string[]) => runCli(['settings', ...args], { env });

  it('shows the defaults, saves changes, and refuses a wrong value naming it', async () => {
    expect(jsonLines((await settings('--json')).stdout)[0]).toMatchObject({ id3Version: 3, separator: '; ', mtime: 'keep' });
    expect((await settings('--id3v2', '4', '--mtime', 'update')).stdout).toContain('new ID3 tags   ID3v2.4');
    expect(JSON.parse(fs.readFileSync(path.join(env.XDG_CONFIG_HOME, 'Sonority', 'settings.json'), 'utf8'))).toEqual({ id3Version: 4, separator: '; ', mtime: 'update' });
    const wrong = await settings('--id3v2', '5');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('"id3Version" is 3 or 4, not 5');
  });

  it('gives the write commands their defaults: the version of new ID3 tags and the modification time', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'untagged.mp3');
    await ffmpeg(['-i', path.join(SHARED_DATA, 'songs', 'funk.mp3'), '-t', '3', '-map_metadata', '-1', '-c:a', 'libmp3lame', '-id3v2_version', '0', '-write_xing', '0', file]);
    const past = new Date('2020-01-01T00:00:00Z');
    fs.utimesSync(file, past, past);
    expect((await runCli(['tag', file, '--genre', 'Funk', '--db', path.join(dir, 'db')], { env })).code).toBe(0);
    const bytes = fs.readFileSync(file);
    expect(bytes.toString('latin1', 0, 4)).toBe('ID3\x04');
    expect(fs.statSync(file).mtime.getTime()).toBeGreaterThan(past.getTime());
    expect((await runCli(['tag', file, '--genre', 'Soul', '--id3v2', '3', '--db', path.join(dir, 'db')], { env })).code).toBe(0);
    expect(fs.readFileSync(file).toString('latin1', 0, 4)).toBe('ID3\x04');
  });
});

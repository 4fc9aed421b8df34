import { parseArgs } from 'node:util';
import { defaultSettingsPath, loadSettings, saveSettings } from '../core/settings.ts';
import type { Settings } from '../core/shapes.ts';
import { writeJsonLine, type CliIo } from './io.ts';

export const SETTINGS_USAGE = 'sonority settings [--id3v2 3|4] [--separator S] [--mtime keep|update] [--json]';

/** `sonority settings`: shows how genres are written, or changes it (saved in the per-user data folder). */
export async function settingsCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { id3v2: { type: 'string' }, separator: { type: 'string' }, mtime: { type: 'string' }, json: { type: 'boolean' } } });
  const file = defaultSettingsPath();
  const settings: Settings = loadSettings(file);
  const changes = { ...settings, ...(values.id3v2 !== undefined ? { id3Version: Number(values.id3v2) } : {}), ...(values.separator !== undefined ? { separator: values.separator } : {}), ...(values.mtime !== undefined ? { mtime: values.mtime } : {}) };
  const changed = values.id3v2 !== undefined || values.separator !== undefined || values.mtime !== undefined;
  if (changed) saveSettings(file, changes as Settings);
  const shown = changed ? loadSettings(file) : settings;
  if (values.json) writeJsonLine(io, { file, ...shown });
  else io.stdout.write(`${changed ? 'Saved' : 'Settings'} (${file}):\n  new ID3 tags   ID3v2.${shown.id3Version}\n  separator      "${shown.separator}" (joins genres in ID3v2.3)\n  modified time  ${shown.mtime === 'keep' ? 'kept when writing tags' : 'updated when writing tags'}\n`);
  return 0;
}

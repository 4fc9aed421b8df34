import fs from 'node:fs';
import path from 'node:path';
import { SonorityError } from './errors.ts';
import { userDataDir } from './paths.ts';
import { writeJsonFileAtomically } from './json-file.ts';
import type { Settings } from './shapes.ts';
import type { WriteGenresOptions } from './tags/write-genres.ts';


export const DEFAULT_SETTINGS: Settings = { id3Version: 3, separator: '; ', mtime: 'keep' };

/** The genre writers' options for these settings. */
export function writeOptionsFor(settings: Settings): Pick<WriteGenresOptions, 'id3' | 'mtime'> {
  return { id3: { newTagVersion: settings.id3Version, v23Separator: settings.separator }, mtime: settings.mtime };
}

/** `<user data>/settings.json`. */
export function defaultSettingsPath(): string {
  return path.join(userDataDir(), 'settings.json');
}

/** Checks settings field by field; throws an Error naming the field. */
function checkSettings(value: Record<string, unknown>): Settings {
  const merged = { ...DEFAULT_SETTINGS, ...value };
  if (merged.id3Version !== 3 && merged.id3Version !== 4) throw new Error(`"id3Version" is 3 or 4, not ${JSON.stringify(merged.id3Version)}`);
  if (typeof merged.separator !== 'string' || merged.separator.length === 0) throw new Error('"separator" is a non-empty string');
  if (merged.mtime !== 'keep' && merged.mtime !== 'update') throw new Error(`"mtime" is "keep" or "update", not ${JSON.stringify(merged.mtime)}`);
  return { id3Version: merged.id3Version, separator: merged.separator, mtime: merged.mtime };
}

/** Loads the settings file (the defaults where it does not exist or leaves a field out). Throws `settings-invalid` naming the file and the problem. */
export function loadSettings(filePath: string = defaultSettingsPath()): Settings {
  let text: string;
  try {
    text = fs.readFileSync(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ...DEFAULT_SETTINGS };
    throw new SonorityError('settings-invalid', `cannot read the settings ${filePath}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const json = JSON.parse(text) as unknown;
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('the file must hold an object');
    return checkSettings(json as Record<string, unknown>);
  } catch (error) {
    throw new SonorityError('settings-invalid', `the settings ${filePath} are invalid: ${(error as Error).message}`, { cause: error });
  }
}

/** Checks and saves settings atomically. Throws `settings-invalid` without writing when a value is wrong. */
export function saveSettings(filePath: string, settings: Settings): void {
  let checked: Settings;
  try {
    checked = checkSettings({ ...settings });
  } catch (error) {
    throw new SonorityError('settings-invalid', `not saving the settings ${filePath}: ${(error as Error).message}`, { cause: error });
  }
  writeJsonFileAtomically(filePath, checked);
}

import os from 'node:os';
import path from 'node:path';

/**
 * The per-user data folder, identical to Electron's `app.getPath('userData')`
 * for an app named "Sonority", so the CLI and the desktop app share one library.
 */
export function userDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Sonority');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Sonority');
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'Sonority');
}

/** The library database path: `--db`, else `SONORITY_DB`, else `<userData>/library.db`. */
export function resolveDatabasePath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = explicit ?? env.SONORITY_DB;
  return path.resolve(chosen && chosen.length > 0 ? chosen : path.join(userDataDir(env), 'library.db'));
}

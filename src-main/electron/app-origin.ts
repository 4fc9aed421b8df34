/** The renderer is served from this privileged scheme and host, never from `file:` or the network. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'sonority';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** Whether `url` is a page or file of the app itself (`app://sonority/...`). */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    // Node gives custom schemes an opaque origin ('null'), so compare scheme and host.
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Where the app scheme serves a track's audio: `app://sonority/audio/<trackId>`. */
export const APP_AUDIO_PATH = '/audio/';

/** The app-scheme address of a track's audio (what the renderer's `<audio>` element loads in the desktop app). */
export function appAudioUrl(trackId: number): string {
  return `${APP_SCHEME}://${APP_HOST}${APP_AUDIO_PATH}${trackId}`;
}

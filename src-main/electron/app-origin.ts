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

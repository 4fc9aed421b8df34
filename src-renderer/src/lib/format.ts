/** Display helpers shared by the pages. */

/** The user's languages, most preferred first, as the browser reports them (its default elsewhere). */
const LOCALES: readonly string[] | undefined = typeof navigator === 'undefined' ? undefined : navigator.languages;

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = JSON.stringify(options);
  let format = numberFormats.get(key);
  if (!format) numberFormats.set(key, (format = new Intl.NumberFormat(LOCALES as string[] | undefined, options)));
  return format;
}

/** A number in the user's locale, with `minDigits` to `maxDigits` decimals: 1234.25 → "1,234.25" (en) or "1.234,25" (de). */
export const decimal = (value: number, maxDigits = 2, minDigits = 0): string =>
  numberFormat({ minimumFractionDigits: minDigits, maximumFractionDigits: maxDigits }).format(value);

/** A number to `digits` significant digits in the user's locale: 0.07123 → "0.0712" (en) or "0,0712" (de). */
export const significant = (value: number, digits = 3): string => numberFormat({ maximumSignificantDigits: digits }).format(value);

/** A count in the user's locale: 12345 → "12,345" (en) or "12.345" (de). */
export const count = (value: number): string => decimal(value, 0);

/** 0.734 → "73%" (en) or "73 %" (de). */
export const percent = (p: number | null | undefined): string => (p === null || p === undefined ? '—' : numberFormat({ style: 'percent', maximumFractionDigits: 0 }).format(p));

/** A moment (ISO text or epoch milliseconds) as the user's locale writes date and time. */
export const dateTime = (when: string | number): string =>
  new Intl.DateTimeFormat(LOCALES as string[] | undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(when));

/** A day (ISO text or epoch milliseconds) as the user's locale writes it. */
export const day = (when: string | number): string => new Intl.DateTimeFormat(LOCALES as string[] | undefined, { dateStyle: 'medium' }).format(new Date(when));

/** The genres typed in a field, separated by commas or semicolons: "Rock; Blues," → ["Rock", "Blues"]. */
export const typedGenres = (text: string): string[] => text.split(/[,;]/).map((genre) => genre.trim()).filter(Boolean);

/** A genre list for people: "Rock, Blues", or an em dash when empty. */
export const genreList = (genres: readonly string[]): string => (genres.length ? genres.join(', ') : '—');

/** Seconds as "1 h 02 min", "3 min 05 s" or "12 s". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  if (s >= 3600) return `${count(Math.floor(s / 3600))} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s} s`;
}

/** What a review status means, in a few words. */
export const STATUS_TEXT: Record<string, string> = {
  disputed: 'Disputed',
  agrees: 'Agrees',
  untagged: 'Untagged',
  unsure: 'Model unsure',
  'outside-model': 'Outside model',
  'out-of-distribution': 'Unusual audio',
  'not-predicted': 'Not predicted',
};

/** A track's name for people: its title, else its file's name, else its id. */
export const trackName = (track: { title: string | null; fileName?: string | null; trackId?: number | null; id?: number }): string =>
  track.title ?? track.fileName ?? `Track ${track.trackId ?? track.id ?? '?'}`;

/** Where a track's file is, for a hover or a second line: "Folder/Sub/file.mp3" relative to the library root (with the folder's own separator). */
export const trackPlace = (track: { fileName?: string | null; folder?: string | null }): string =>
  [track.folder, track.fileName].filter(Boolean).join(track.folder?.includes('\\') ? '\\' : '/');

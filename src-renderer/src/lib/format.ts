/** Display helpers shared by the pages. */

/** 0.734 → "73%". */
export const percent = (p: number | null | undefined): string => (p === null || p === undefined ? '—' : `${Math.round(p * 100)}%`);

/** A genre list for people: "Rock, Blues", or an em dash when empty. */
export const genreList = (genres: readonly string[]): string => (genres.length ? genres.join(', ') : '—');

/** Seconds as "1 h 02 min", "3 min 05 s" or "12 s". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
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

/** A track's name for people: its title, else its id. */
export const trackName = (track: { title: string | null; trackId?: number; id?: number }): string => track.title ?? `Track ${track.trackId ?? track.id}`;

import path from 'node:path';
import type { TrustRule } from '../db/trust-store.ts';
import { normaliseGenreKey } from '../taxonomy/taxonomy.ts';

/** Whether a track's tags are trusted, and the rule that says so (null: the default, trusting every tagged track). */
export interface TrustVerdict {
  trusted: boolean;
  rule: TrustRule | null;
}

/** True when `file` lies inside `folder` (any depth). */
function isUnder(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * Compiles trust rules into one function of a track. Precedence, most
 * specific first: the track's own rule; the rule of the deepest folder
 * holding it; a genre rule (distrusting any of its genres wins over trusting
 * another); otherwise trusted — by default every tagged track is.
 */
export function trustJudge(rules: readonly TrustRule[]): (track: { id: number; path: string; genres: readonly string[] }) => TrustVerdict {
  const byTrack = new Map(rules.filter((r) => r.kind === 'track').map((r) => [r.trackId!, r]));
  const folders = rules.filter((r) => r.kind === 'folder').sort((a, b) => b.target.length - a.target.length);
  const genres = new Map(rules.filter((r) => r.kind === 'genre').map((r) => [normaliseGenreKey(r.target), r]));
  return (track) => {
    const own = byTrack.get(track.id) ?? folders.find((r) => isUnder(track.path, r.target));
    if (own) return { trusted: own.trusted, rule: own };
    const genreRules = track.genres.map((g) => genres.get(normaliseGenreKey(g))).filter((r): r is TrustRule => r !== undefined);
    const rule = genreRules.find((r) => !r.trusted) ?? genreRules[0] ?? null;
    return { trusted: rule?.trusted ?? true, rule };
  };
}

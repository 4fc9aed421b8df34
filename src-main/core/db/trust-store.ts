import type { Db } from './open-database.ts';
import { nowIso } from './time.ts';

/** What a trust rule is about: one track, every track under a folder, or every track tagged with a genre. */
export type TrustKind = 'track' | 'folder' | 'genre';

/** A stored rule: whether the user trusts the genre tags it covers. */
export interface TrustRule {
  id: number;
  kind: TrustKind;
  /** The folder path, the genre's display name, or the track's path (for people). */
  target: string;
  trackId: number | null;
  trusted: boolean;
}

/** Trust rules: set (replacing the rule on the same target), clear and list. */
export function createTrustStore(db: Db) {
  const upsert = db.prepare(`INSERT INTO trust_rules (kind, target, track_id, trusted, created_at) VALUES (@kind, @key, @trackId, @trusted, @now)
    ON CONFLICT (kind, target) DO UPDATE SET trusted = excluded.trusted, created_at = excluded.created_at`);
  const clear = db.prepare('DELETE FROM trust_rules WHERE kind = ? AND target = ?');
  const list = db.prepare(`SELECT r.id, r.kind, CASE WHEN r.kind = 'track' THEN t.path ELSE r.target END AS target, r.track_id AS trackId, r.trusted
    FROM trust_rules r LEFT JOIN tracks t ON t.id = r.track_id ORDER BY r.kind, target`);
  const keyOf = (kind: TrustKind, target: string, trackId: number | null) => (kind === 'track' ? String(trackId) : target);
  return {
    /** Sets the rule for a target (`trusted: null` removes it). A track rule names the track by id. */
    set(kind: TrustKind, target: string, trackId: number | null, trusted: boolean | null): void {
      const key = keyOf(kind, target, trackId);
      if (trusted === null) clear.run(kind, key);
      else upsert.run({ kind, key, trackId: kind === 'track' ? trackId : null, trusted: Number(trusted), now: nowIso() });
    },
    /** Every rule, tracks shown by path. */
    list: (): TrustRule[] => list.all().map((row) => {
      const r = row as Omit<TrustRule, 'trusted'> & { trusted: number };
      return { ...r, trusted: r.trusted === 1 };
    }),
  };
}

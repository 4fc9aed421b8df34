import type { Db } from '../db/open-database.ts';
import { writeOptionsFor } from '../settings.ts';
import { writeGenreBatch, type GenreWriteOutcome } from '../writeback/genre-writes.ts';
import type { ApplyResult, ApplyRow, Settings, WriteOutcome } from '../shapes.ts';
import type { ApplyRowsPlan } from './apply-rows.ts';
import { locator } from './track-location.ts';

export interface ApplyRunOptions {
  dryRun: boolean;
  settings: Settings;
  /** Called after each file with how many are done of how many. */
  onProgress?: (done: number, total: number, outcome: WriteOutcome) => void;
}

function toOutcome(row: ApplyRow, outcome: GenreWriteOutcome): WriteOutcome {
  const { trackId, title, fileName, folder } = row;
  if (!outcome.ok) return { trackId, title, fileName, folder, ok: false, changed: false, oldGenres: row.oldGenres, newGenres: row.newGenres, message: outcome.message };
  return { trackId, title, fileName, folder, ok: true, changed: outcome.changed, oldGenres: outcome.oldGenres, newGenres: outcome.newGenres, message: null };
}

const NOT_PLANNED = 'not written: it is no longer among the changes to apply (the plan changed since it was shown; look again)';

type ChosenRow = { write: ApplyRowsPlan['writes'][number]; row: ApplyRow };

/** Writes the chosen rows as one batch (none: no batch), reporting each file as it is done. */
async function writeRows(db: Db, chosen: ChosenRow[], options: ApplyRunOptions): Promise<{ batchId: number | null; outcomes: WriteOutcome[] }> {
  if (chosen.length === 0) return { batchId: null, outcomes: [] };
  const outcomes: WriteOutcome[] = [];
  const { batchId } = await writeGenreBatch(chosen.map(({ write }) => ({ path: write.path, genres: write.genres, modelId: write.modelId, checkUnchangedSinceScan: true })), {
    db, command: 'apply', dryRun: options.dryRun,
    write: writeOptionsFor(options.settings),
    onOutcome: (outcome) => {
      outcomes.push(toOutcome(chosen[outcomes.length]!.row, outcome));
      options.onProgress?.(outcomes.length, chosen.length, outcomes.at(-1)!);
    },
  });
  return { batchId, outcomes };
}

/** Outcomes for requested tracks the plan does not hold. */
function notPlanned(db: Db, trackIds: number[]): WriteOutcome[] {
  const tracks = new Map((db.prepare('SELECT id, title, path FROM tracks WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(trackIds)) as { id: number; title: string | null; path: string }[]).map((t) => [t.id, t]));
  const locate = locator(db);
  return trackIds.map((trackId) => {
    const track = tracks.get(trackId);
    return { trackId, title: track?.title ?? null, ...(track ? locate(track.path) : { fileName: null, folder: null }), ok: false as const, changed: false, oldGenres: [], newGenres: [], message: NOT_PLANNED };
  });
}

/**
 * Writes the rows of `plan` whose track is in `trackIds` (what the person
 * saw and confirmed) as one journaled `apply` batch: each file checked
 * unchanged since the scan, written atomically, and undoable byte for byte.
 * A requested track the plan no longer holds is reported as not written
 * (with none left, no batch is opened). A dry run writes nothing and reports
 * the exact change each file would get.
 */
export async function runApply(db: Db, plan: ApplyRowsPlan, trackIds: readonly number[], options: ApplyRunOptions): Promise<ApplyResult> {
  const wanted = new Set(trackIds);
  const chosen = plan.writes.map((write, i) => ({ write, row: plan.rows[i]! })).filter(({ write }) => wanted.has(write.trackId));
  const { batchId, outcomes } = await writeRows(db, chosen, options);
  const planned = new Set(chosen.map(({ write }) => write.trackId));
  const all = [...outcomes, ...notPlanned(db, [...wanted].filter((id) => !planned.has(id)))];
  const written = all.filter((o) => o.ok && o.changed).length;
  const failed = all.filter((o) => !o.ok).length;
  return { batchId, dryRun: options.dryRun, written, unchanged: all.length - written - failed, failed, outcomes: all };
}

import type { ApplyRefusal, ApplyResult, Handlers, ParamsOf, WriteOutcome } from '../contract.ts';
import { libraryChanged, type ServiceContext } from '../context.ts';
import { loadSettings } from '../../core/settings.ts';
import { loadTaxonomy } from '../../core/taxonomy/taxonomy-file.ts';
import { createJournalStore } from '../../core/db/journal-store.ts';
import { planApplyRows } from '../../core/review/apply-rows.ts';
import { runApply } from '../../core/review/apply-run.ts';
import { oneWriteAtATime } from '../../core/writeback/one-write-at-a-time.ts';
import { undoBatchForPeople } from '../../core/writeback/undo-summary.ts';
import { loadedModel } from './review-handlers.ts';

const RECENT_BATCHES = 50;

/** A run's result with the plan's files that cannot be written counted among the failures, with their reasons: a dry run shows them before anything is written (the write policy's refusals stay in the plan, not failures). */
function withUnwritable(result: ApplyResult, refused: readonly ApplyRefusal[]): ApplyResult {
  const outcomes: WriteOutcome[] = refused.filter((refusal) => refusal.kind === 'unwritable').map(({ trackId, title, fileName, folder, message }) => ({ trackId, title, fileName, folder, ok: false, changed: false, oldGenres: [], newGenres: [], message }));
  return { ...result, failed: result.failed + outcomes.length, outcomes: [...result.outcomes, ...outcomes] };
}

/** Batch apply and its undo: the same core as `sonority apply` and `sonority undo`, journaled alike. */
export function createApplyHandlers(context: ServiceContext): Pick<Handlers, 'applyPlan' | 'applyRun' | 'writeBatches' | 'undoBatch'> {
  // Pending decisions need no model; predictions do.
  const modelId = (query: ParamsOf<'applyPlan'>) => (query.scope === 'decisions' ? (context.model?.metadata.id ?? '') : loadedModel(context).id);
  const plan = (query: ParamsOf<'applyPlan'>) => planApplyRows(context.db, modelId(query), loadTaxonomy(context.taxonomyPath), query);
  return {
    applyPlan: async (query) => {
      const { rows, refused } = await plan(query);
      return { writes: rows, refused };
    },
    applyRun: ({ query, trackIds, dryRun }) => oneWriteAtATime(context.db, async () => {
      const current = await plan(query);
      const refusedIds = new Set(current.refused.map((refusal) => refusal.trackId));
      const result = await runApply(context.db, current, trackIds.filter((id) => !refusedIds.has(id)), {
        dryRun, settings: loadSettings(context.settingsPath),
        onProgress: (done, total, outcome) => context.emit({ type: 'write', done, total, outcome }),
      });
      if (!dryRun && result.written > 0) libraryChanged(context);
      return withUnwritable(result, current.refused);
    }),
    writeBatches: () => createJournalStore(context.db).recentBatches(RECENT_BATCHES),
    undoBatch: ({ batchId }) => oneWriteAtATime(context.db, async () => {
      const result = await undoBatchForPeople(context.db, batchId);
      if (result.restored > 0) libraryChanged(context);
      return result;
    }),
  };
}

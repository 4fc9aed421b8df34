import { loadTaxonomy } from '../../core/taxonomy/taxonomy-file.ts';
import path from 'node:path';
import { SonorityError } from '../../core/errors.ts';
import { scanLibrary } from '../../core/scan/scan-library.ts';
import { createFailuresStore } from '../../core/db/failures-store.ts';
import type { Handlers } from '../contract.ts';
import { libraryChanged, type ServiceContext } from '../context.ts';
import { createScanSession } from './scan-session.ts';

/** Folders scanned before are scannable again from the desktop app (serve keeps to its one folder). */
function rememberScannedFolders(context: ServiceContext): void {
  if (!context.pickFolder) return;
  for (const row of context.db.prepare('SELECT DISTINCT root FROM scans').all() as Array<{ root: string }>) context.scanFolders.add(row.root);
}

/** Scanning from the interface: choose a folder (native dialog), start, follow, stop; the failures table. `afterScan` runs when a scan ends (the map's update). */
export function createScanHandlers(context: ServiceContext, afterScan: () => void = () => {}): Pick<Handlers, 'chooseFolder' | 'startScan' | 'cancelScan' | 'scanState' | 'failures'> {
  rememberScannedFolders(context);
  const session = createScanSession((state) => context.emit({ type: 'scan', state }));
  let controller: AbortController | null = null;

  async function run(root: string, signal: AbortSignal): Promise<void> {
    try {
      const summary = await scanLibrary({ root, db: context.db, model: context.model ?? undefined, taxonomy: () => loadTaxonomy(context.taxonomyPath), workers: context.workers, ffmpegPath: context.ffmpegPath, signal, onEvent: session.onEvent });
      session.end(summary.status === 'cancelled' ? 'cancelled' : 'done');
    } catch (error) {
      session.end('error', error instanceof SonorityError ? error.message : `the scan stopped unexpectedly: ${(error as Error).message}`);
    } finally {
      controller = null;
      libraryChanged(context);
      afterScan();
    }
  }

  return {
    chooseFolder: async () => {
      if (!context.pickFolder) throw new SonorityError('not-available', `this Sonority serves one folder (${[...context.scanFolders].join(', ')}); restart \`sonority serve\` on another folder to scan it`);
      const chosen = await context.pickFolder();
      if (chosen) context.scanFolders.add(path.resolve(chosen));
      return { path: chosen ? path.resolve(chosen) : null };
    },
    startScan: ({ root }) => {
      const resolved = path.resolve(root);
      if (!context.scanFolders.has(resolved)) throw new SonorityError('folder-not-allowed', `Sonority scans only folders chosen in the folder dialog${context.pickFolder ? '' : ' or given to `sonority serve`'}; ${resolved} is not one of them`);
      if (controller) throw new SonorityError('scan-running', `a scan of ${session.state.root} is already running; stop it first`);
      controller = new AbortController();
      session.begin(resolved);
      void run(resolved, controller.signal);
      return session.state;
    },
    cancelScan: () => {
      controller?.abort();
      return session.state;
    },
    scanState: () => session.state,
    failures: () => createFailuresStore(context.db).list().map(({ path: file, stage, code, message, failedAt }) => ({ path: file, stage, code, message, failedAt })),
  };
}

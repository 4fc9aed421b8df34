import type { FailureInfo, ScanProgressInfo, ScanState } from '../contract.ts';
import type { ScanEvent } from '../../core/scan/scan-library.ts';

const KEPT_FAILURES = 200;
const EMIT_INTERVAL_MS = 200;

/**
 * The state of the interface's scan, folded from the core's scan events,
 * pushed to the interface at most every 200 ms (and at once on phase changes).
 */
export function createScanSession(push: (state: ScanState) => void) {
  let state: ScanState = { running: false, root: null, phase: 'idle', progress: null, failures: [], error: null };
  let lastPush = 0;
  const publish = (force: boolean) => {
    const now = performance.now();
    if (!force && now - lastPush < EMIT_INTERVAL_MS) return;
    lastPush = now;
    push(state);
  };
  const progress = (): ScanProgressInfo => state.progress ?? { walked: 0, walking: true, done: 0, analysed: 0, skipped: 0, moved: 0, failed: 0, ignored: 0, elapsedSec: 0, filesPerSec: 0, etaSec: null, predicted: 0, toPredict: 0 };
  return {
    get state(): ScanState {
      return state;
    },
    /** A new scan of `root` begins. */
    begin(root: string): void {
      state = { running: true, root, phase: 'scanning', progress: null, failures: [], error: null };
      publish(true);
    },
    /** Folds one core scan event into the state. */
    onEvent(event: ScanEvent): void {
      if (event.type === 'started') state = { ...state, root: event.root }; // the folder's real path, which the failures name
      else if (event.type === 'progress') state = { ...state, progress: { ...progress(), ...event.progress } };
      else if (event.type === 'classify') state = { ...state, phase: 'predicting', progress: { ...progress(), predicted: event.done, toPredict: event.total } };
      else if (event.type === 'failure') {
        const failure: FailureInfo = { path: event.path, stage: event.stage, code: event.code, message: event.message, failedAt: new Date().toISOString() };
        state = { ...state, failures: [...state.failures, failure].slice(-KEPT_FAILURES) };
      } else return;
      publish(event.type === 'failure' || event.type === 'started');
    },
    /** The scan ended: completed, stopped by the user, or stopped by an error (in words). */
    end(phase: 'done' | 'cancelled' | 'error', error: string | null = null): void {
      state = { ...state, running: false, phase, error };
      publish(true);
    },
  };
}

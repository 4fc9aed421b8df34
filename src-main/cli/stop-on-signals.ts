import { EXIT_CODES, SonorityError } from '../core/errors.ts';

/**
 * Installs Ctrl-C / SIGTERM handling: the first signal logs `message` and
 * aborts `controller` (the work stops cleanly), a second Ctrl-C quits at once.
 * Returns the function that removes the handlers.
 */
export function stopOnSignals(controller: AbortController, log: (line: string) => void, message: string): () => void {
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(EXIT_CODES.interrupted);
    log(message);
    controller.abort(new SonorityError('interrupted', 'interrupted'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

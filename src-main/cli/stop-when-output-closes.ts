import { SonorityError } from '../core/errors.ts';
import type { CliIo } from './io.ts';

/**
 * Aborts `controller` when whoever reads stdout goes away (EPIPE, as in
 * `sonority tag … | head -1`), after writing `message` on stderr, so a write
 * command stops after the file in hand instead of dying on the unhandled
 * error mid-file. Other stream errors stay fatal, as without this listener.
 * Returns the function to call when the work is done. Once stdout has failed
 * the listener stays, silent: process.stdout reports the EPIPE of every later
 * write too, on the next tick.
 */
export function stopWhenOutputCloses(io: CliIo, controller: AbortController, message: string): () => void {
  let closed = false;
  let working = true;
  const onError = (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
    if (!working || controller.signal.aborted) return;
    io.stderr.write(`${message}\n`);
    controller.abort(new SonorityError('output-closed', 'the output was closed'));
  };
  io.stdout.on('error', onError);
  return () => {
    working = false;
    if (!closed && !(io.stdout as { errored?: unknown }).errored) io.stdout.off('error', onError);
  };
}

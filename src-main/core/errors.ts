/**
 * Errors people can act on. `code` is stable (tests, JSON output, the failures
 * table); `message` is written for a person and names the file or setting.
 */
export class SonorityError extends Error {
  readonly code: string;

  /** Creates an error with a stable machine `code` and a human `message`. */
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SonorityError';
    this.code = code;
  }
}

/** Process exit codes shared by every command. */
export const EXIT_CODES = {
  ok: 0,
  finishedWithFailures: 1,
  couldNotRun: 2,
  interrupted: 130,
} as const;

const FILE_ERRNO_MESSAGES: Record<string, [code: string, message: string]> = {
  ENOENT: ['vanished', 'the file disappeared during the scan'],
  EACCES: ['permission-denied', 'permission denied: Sonority may not read this file'],
  EPERM: ['permission-denied', 'permission denied: Sonority may not read this file'],
  ELOOP: ['symlink-loop', 'symlink loop: the link resolves back to itself'],
  EIO: ['io-error', 'I/O error while reading the file (failing disk or disconnected drive?)'],
  EISDIR: ['not-a-file', 'expected a file but found a folder'],
  ENAMETOOLONG: ['name-too-long', 'the path is too long for this system'],
};

/**
 * Turns any error thrown while handling one file into a `{code, message}` pair
 * for the failures table: our own errors (also from workers) keep their code, Node's errno errors
 * get a specific sentence, anything else keeps its message.
 */
export function describeFileError(error: unknown): { code: string; message: string } {
  const { name, code: errno, message: text } = (error ?? {}) as { name?: string; code?: string; message?: string };
  // A SonorityError thrown in a worker thread arrives as a plain error with the same name and code.
  if (error instanceof SonorityError || (name === 'SonorityError' && errno && text)) return { code: errno!, message: text! };
  const known = errno ? FILE_ERRNO_MESSAGES[errno] : undefined;
  if (known) return { code: known[0], message: known[1] };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'unexpected', message: `unexpected error: ${message}` };
}

const WRITE_ERRNO_MESSAGES: Record<string, [code: string, message: string]> = {
  ENOENT: ['vanished', 'the file is gone (moved or deleted since the scan)'],
  EACCES: ['read-only', 'permission denied: Sonority may not write this file or its folder'],
  EPERM: ['read-only', 'permission denied: Sonority may not write this file or its folder'],
  EROFS: ['read-only', 'the file is on a read-only disk'],
  ENOSPC: ['disk-full', 'the disk is full; nothing was changed'],
  EDQUOT: ['disk-full', 'the disk quota is used up; nothing was changed'],
};

/** Turns an error met while writing `file` into a `SonorityError` naming the file and what to do; our own errors pass through. */
export function describeWriteError(error: unknown, file: string): SonorityError {
  if (error instanceof SonorityError) return error;
  const errno = error as NodeJS.ErrnoException;
  const [code, message] = WRITE_ERRNO_MESSAGES[errno.code ?? ''] ?? ['write-failed', `could not write: ${errno.message}`];
  return new SonorityError(code, `${file}: ${message}`, { cause: error });
}

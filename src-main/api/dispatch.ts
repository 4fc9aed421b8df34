import { isCorruption } from '../core/db/open-database.ts';
import { ApiInputError } from './validate.ts';
import { parseParams, type ApiErrorPayload, type Envelope, type Handlers, type MethodName } from './contract.ts';

/** Turns anything thrown by a handler into a code and a message for people; unexpected errors are logged with their stack. */
export function toErrorPayload(error: unknown, log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): ApiErrorPayload {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (error instanceof ApiInputError || (error instanceof Error && error.name === 'SonorityError')) return { code: String(code), message: String(message) };
  if (isCorruption(error)) return { code: 'db-corrupt', message: 'The library database is damaged: Sonority stopped where it met the damage. Quit, run `sonority doctor` on it, move it aside and scan again.' };
  log(`sonority: unexpected error: ${(error as Error)?.stack ?? String(error)}`);
  return { code: 'unexpected', message: `Something went wrong inside Sonority: ${typeof message === 'string' ? message : String(error)}` };
}

/** Validates `payload` against the contract, runs the method's handler and wraps the outcome in an envelope (never throws). */
export async function dispatch(handlers: Handlers, name: MethodName, payload: unknown): Promise<Envelope<unknown>> {
  try {
    const params = parseParams(name, payload);
    const value = await (handlers[name] as (p: typeof params) => unknown)(params);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: toErrorPayload(error) };
  }
}

import { parentPort } from 'node:worker_threads';

/**
 * Worker-side half of `WorkerPool`: answers each task with `handler`, passing
 * an AbortSignal that fires when the pool cancels the task.
 */
export function serveWorkerTasks<Request, Response>(
  handler: (request: Request, signal: AbortSignal) => Promise<{ value: Response; transfer?: ArrayBuffer[] }>,
): void {
  const port = parentPort;
  if (!port) throw new Error('serveWorkerTasks must run inside a worker thread');
  const running = new Map<number, AbortController>();
  port.on('message', async (message: { id: number; request: Request } | { cancel: number }) => {
    if ('cancel' in message) {
      running.get(message.cancel)?.abort(new Error('cancelled'));
      return;
    }
    const controller = new AbortController();
    running.set(message.id, controller);
    try {
      const { value, transfer } = await handler(message.request, controller.signal);
      port.postMessage({ id: message.id, ok: true, value }, transfer ?? []);
    } catch (error) {
      const err = error as Error & { code?: string };
      port.postMessage({ id: message.id, ok: false, error: { name: err.name ?? 'Error', code: err.code, message: err.message ?? String(error) } });
    } finally {
      running.delete(message.id);
    }
  });
}

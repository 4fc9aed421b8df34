import { Worker } from 'node:worker_threads';

interface Task {
  id: number;
  request: unknown;
  transfer: ArrayBuffer[];
  signal: AbortSignal | undefined;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type WorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { name: string; code?: string; message: string } };

/** An error thrown inside a worker, carried back with its name and code. */
export class WorkerTaskError extends Error {
  readonly code: string | undefined;

  /** Rebuilds the error a worker reported. */
  constructor(name: string, message: string, code?: string) {
    super(message);
    this.name = name;
    this.code = code;
  }
}

/**
 * A fixed pool of worker threads running one script; each worker handles one
 * task at a time and tasks queue in order. A worker that dies is replaced and
 * its task fails; an aborted task is cancelled inside its worker.
 */
export class WorkerPool<Request, Response> {
  readonly size: number;
  readonly #script: URL;
  readonly #idle: Worker[] = [];
  readonly #busy = new Map<Worker, Task>();
  readonly #queue: Task[] = [];
  #nextId = 1;
  #closed = false;

  /** Starts `size` workers running `script` (a module that calls `serveWorkerTasks`). */
  constructor(script: URL, size: number) {
    this.#script = script;
    this.size = Math.max(1, size);
    for (let i = 0; i < this.size; i++) this.#idle.push(this.#spawn());
  }

  /** Runs one task; `transfer` moves buffers instead of copying them. */
  run(request: Request, options: { signal?: AbortSignal; transfer?: ArrayBuffer[] } = {}): Promise<Response> {
    if (this.#closed) return Promise.reject(new Error('worker pool is closed'));
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    return new Promise<Response>((resolve, reject) => {
      const task: Task = { id: this.#nextId++, request, transfer: options.transfer ?? [], signal: options.signal, resolve: resolve as (v: unknown) => void, reject };
      this.#queue.push(task);
      this.#dispatch();
    });
  }

  /** Stops every worker; queued tasks are rejected. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const task of this.#queue.splice(0)) task.reject(new Error('worker pool closed'));
    for (const task of this.#busy.values()) task.reject(new Error('worker pool closed'));
    const workers = [...this.#idle, ...this.#busy.keys()];
    this.#idle.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  #spawn(): Worker {
    const worker = new Worker(this.#script);
    worker.on('message', (reply: WorkerReply) => this.#settle(worker, reply));
    worker.on('error', (error) => this.#replace(worker, error));
    worker.on('exit', (code) => this.#replace(worker, new Error(`worker stopped unexpectedly (exit code ${code})`)));
    return worker;
  }

  #dispatch(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const task = this.#queue.shift()!;
      if (task.signal?.aborted) {
        task.reject(task.signal.reason);
        continue;
      }
      const worker = this.#idle.pop()!;
      this.#busy.set(worker, task);
      task.signal?.addEventListener('abort', () => worker.postMessage({ cancel: task.id }), { once: true });
      worker.postMessage({ id: task.id, request: task.request }, task.transfer);
    }
  }

  #settle(worker: Worker, reply: WorkerReply): void {
    const task = this.#busy.get(worker);
    if (!task || task.id !== reply.id) return;
    this.#busy.delete(worker);
    this.#idle.push(worker);
    if (reply.ok) task.resolve(reply.value);
    else task.reject(new WorkerTaskError(reply.error.name, reply.error.message, reply.error.code));
    this.#dispatch();
  }

  #replace(worker: Worker, error: unknown): void {
    if (this.#closed) return;
    const task = this.#busy.get(worker);
    this.#busy.delete(worker);
    const idleIndex = this.#idle.indexOf(worker);
    if (idleIndex >= 0) this.#idle.splice(idleIndex, 1);
    worker.removeAllListeners();
    void worker.terminate();
    task?.reject(error);
    this.#idle.push(this.#spawn());
    this.#dispatch();
  }
}

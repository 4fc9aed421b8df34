/** Marker returned by `Channel.pull` once the channel is closed and drained. */
export const CLOSED: unique symbol = Symbol('closed');

/**
 * A bounded async FIFO: `push` waits while the channel is full, which is what
 * gives the pipeline its back-pressure; `pull` waits while it is empty.
 */
export class Channel<T> {
  readonly #items: T[] = [];
  readonly #capacity: number;
  #closed = false;
  #waitingPullers: Array<() => void> = [];
  #waitingPushers: Array<() => void> = [];

  /** Creates a channel holding at most `capacity` items. */
  constructor(capacity: number) {
    this.#capacity = Math.max(1, capacity);
  }

  /** Adds an item, waiting for room; items pushed after `close` are dropped. */
  async push(item: T): Promise<void> {
    while (!this.#closed && this.#items.length >= this.#capacity) {
      await new Promise<void>((resolve) => this.#waitingPushers.push(resolve));
    }
    if (this.#closed) return;
    this.#items.push(item);
    this.#waitingPullers.shift()?.();
  }

  /** Takes the oldest item, waiting for one; `CLOSED` once closed and empty. */
  async pull(): Promise<T | typeof CLOSED> {
    while (this.#items.length === 0) {
      if (this.#closed) return CLOSED;
      await new Promise<void>((resolve) => this.#waitingPullers.push(resolve));
    }
    const item = this.#items.shift() as T;
    this.#waitingPushers.shift()?.();
    return item;
  }

  /** Closes the channel; queued items can still be pulled unless `discard` is set. */
  close(discard = false): void {
    this.#closed = true;
    if (discard) this.#items.length = 0;
    for (const wake of [...this.#waitingPullers, ...this.#waitingPushers]) wake();
    this.#waitingPullers = [];
    this.#waitingPushers = [];
  }
}

import { Channel, CLOSED } from './channel.ts';

/**
 * One step of a pipeline: a function from an item to the next item, or to
 * `undefined` to drop it (nothing more to do). It imports nothing from the domain.
 */
export interface Stage<In = any, Out = any> {
  name: string;
  /** How many items this stage works on at once (default 1). */
  concurrency?: number;
  run(item: In, signal: AbortSignal): Promise<Out | undefined> | Out | undefined;
}

export interface PipelineOptions {
  /** Items waiting between two stages, at most (default 4). */
  buffer?: number;
  /** Items waiting between the source and the first stage (default: `buffer`). */
  sourceBuffer?: number;
  /** Stops taking new items; items in flight see the same signal. */
  signal?: AbortSignal;
  /** Called when a stage throws for an item; the item is dropped, the run goes on. */
  onError(stage: string, item: unknown, error: unknown): void | Promise<void>;
}

/**
 * Runs items from `source` through `stages`, each stage on its own bounded
 * queue with its own concurrency. Resolves when every item has left the last
 * stage, or when the run was aborted and the items in flight have settled.
 */
export async function runPipeline(source: AsyncIterable<unknown>, stages: readonly Stage[], options: PipelineOptions): Promise<void> {
  const signal = options.signal ?? new AbortController().signal;
  const buffer = options.buffer ?? 4;
  const channels = stages.map((_, i) => new Channel<unknown>(i === 0 ? (options.sourceBuffer ?? buffer) : buffer));
  const stopAll = () => channels.forEach((channel) => channel.close(true));
  signal.addEventListener('abort', stopAll, { once: true });

  const feed = (async () => {
    try {
      for await (const item of source) {
        if (signal.aborted) break;
        await channels[0]!.push(item);
      }
    } catch (error) {
      stopAll();
      throw error;
    } finally {
      channels[0]!.close();
    }
  })();

  const stageRuns = stages.map(async (stage, i) => {
    const input = channels[i]!;
    const output = channels[i + 1];
    const workerLoop = async () => {
      for (let item = await input.pull(); item !== CLOSED; item = await input.pull()) {
        let result: unknown;
        try {
          result = await stage.run(item, signal);
        } catch (error) {
          await options.onError(stage.name, item, error);
          continue;
        }
        if (result !== undefined && output) await output.push(result);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, stage.concurrency ?? 1) }, workerLoop));
    output?.close();
  });

  try {
    await Promise.all([feed, ...stageRuns]);
  } finally {
    signal.removeEventListener('abort', stopAll);
  }
}

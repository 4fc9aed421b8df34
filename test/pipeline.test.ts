import { describe, expect, it } from 'vitest';
import { runPipeline, type Stage } from '../src-main/core/pipeline/runner.ts';

async function* numbers(count: number, onYield?: (n: number) => void) {
  for (let n = 0; n < count; n++) {
    onYield?.(n);
    yield n;
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('runPipeline', () => {
  it('passes every item through every stage, dropping undefined results', async () => {
    const stored: number[] = [];
    const stages: Stage[] = [
      { name: 'double', concurrency: 3, run: async (n: number) => (await tick(), n * 2) },
      { name: 'only multiples of 4', run: (n: number) => (n % 4 === 0 ? n : undefined) },
      { name: 'store', run: (n: number) => void stored.push(n) },
    ];
    await runPipeline(numbers(20), stages, { onError: () => {} });
    expect(stored.sort((a, b) => a - b)).toEqual([0, 4, 8, 12, 16, 20, 24, 28, 32, 36]);
  });

  it('never runs a stage on more items than its concurrency', async () => {
    let active = 0;
    let peak = 0;
    const slow: Stage = { name: 'slow', concurrency: 3, run: async (n: number) => { active++; peak = Math.max(peak, active); await tick(); active--; return n; } };
    await runPipeline(numbers(30), [slow], { onError: () => {} });
    expect(peak).toBe(3);
  });

  it('applies back-pressure: the source runs at most buffer + concurrency items ahead', async () => {
    let produced = 0;
    let consumed = 0;
    let maxAhead = 0;
    const consumer: Stage = { name: 'consume', concurrency: 2, run: async () => { await tick(); consumed++; return undefined; } };
    await runPipeline(numbers(200, () => { produced++; maxAhead = Math.max(maxAhead, produced - consumed); }), [consumer], { buffer: 4, onError: () => {} });
    expect(consumed).toBe(200);
    expect(maxAhead).toBeLessThanOrEqual(4 + 2 + 1);
  });

  it('routes a stage error to onError and carries on with the other items', async () => {
    const errors: Array<[string, unknown, string]> = [];
    const seen: number[] = [];
    const stages: Stage[] = [
      { name: 'picky', run: (n: number) => { if (n === 3) throw new Error('three is bad'); return n; } },
      { name: 'collect', run: (n: number) => void seen.push(n) },
    ];
    await runPipeline(numbers(6), stages, { onError: (stage, item, error) => void errors.push([stage, item, (error as Error).message]) });
    expect(errors).toEqual([['picky', 3, 'three is bad']]);
    expect(seen).toEqual([0, 1, 2, 4, 5]);
  });

  it('stops taking items when aborted and settles', async () => {
    const controller = new AbortController();
    let handled = 0;
    const stage: Stage = { name: 'count', run: async () => { handled++; if (handled === 5) controller.abort(); await tick(); return undefined; } };
    await runPipeline(numbers(1000), [stage], { signal: controller.signal, onError: () => {} });
    expect(handled).toBeGreaterThanOrEqual(5);
    expect(handled).toBeLessThan(10);
  });
});

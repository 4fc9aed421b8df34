/** One action at a time for a component: `busy` while it runs, and the error it threw (cleared when the next one starts). */
export class Attempt {
  busy = $state(false);
  error = $state<unknown>(null);

  /** Runs `work`, keeping `busy` and `error` up to date; never rejects (the error is kept to show). */
  async run(work: () => Promise<void>): Promise<void> {
    [this.busy, this.error] = [true, null];
    try {
      await work();
    } catch (failure) {
      this.error = failure;
    } finally {
      this.busy = false;
    }
  }
}

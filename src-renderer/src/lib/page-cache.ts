/**
 * Pages of a long list fetched on demand (for the virtualised library table):
 * rows live in fixed-size pages; `ensure` fetches the pages a range needs,
 * and a reset (new search or sort) drops everything, ignoring late answers.
 */
export class PageCache<Row> {
  readonly pageSize: number;
  #pages = new Map<number, Row[]>();
  #pending = new Set<number>();
  #generation = 0;
  readonly #fetch: (offset: number, limit: number) => Promise<{ total: number; rows: Row[] }>;
  readonly #onChange: (total: number) => void;

  constructor(fetch: (offset: number, limit: number) => Promise<{ total: number; rows: Row[] }>, onChange: (total: number) => void, pageSize = 200) {
    this.#fetch = fetch;
    this.#onChange = onChange;
    this.pageSize = pageSize;
  }

  /** The row at `index`, or undefined while its page loads. */
  row(index: number): Row | undefined {
    return this.#pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /** Fetches the pages covering rows [first, last] not yet held; rejects with the fetch's error. */
  async ensure(first: number, last: number): Promise<void> {
    const generation = this.#generation;
    const wanted: number[] = [];
    for (let page = Math.floor(Math.max(0, first) / this.pageSize); page <= Math.floor(Math.max(0, last) / this.pageSize); page++) {
      if (!this.#pages.has(page) && !this.#pending.has(page)) wanted.push(page);
    }
    await Promise.all(wanted.map(async (page) => {
      this.#pending.add(page);
      try {
        const { total, rows } = await this.#fetch(page * this.pageSize, this.pageSize);
        if (generation !== this.#generation) return;
        this.#pages.set(page, rows);
        this.#onChange(total);
      } finally {
        if (generation === this.#generation) this.#pending.delete(page);
      }
    }));
  }

  /** Forgets every page (the query or the library changed). */
  reset(): void {
    this.#generation++;
    this.#pages.clear();
    this.#pending.clear();
  }
}

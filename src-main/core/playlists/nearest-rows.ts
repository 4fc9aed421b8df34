/**
 * The `k` rows with the smallest scores among those offered, in a bounded
 * max-heap (the worst kept row on top): O(log k) per offer. On equal scores
 * the lower row wins, so results do not depend on the order of offers.
 */
export class NearestRows {
  private readonly rows: Int32Array;
  private readonly scores: Float64Array;
  private size = 0;

  /** Keeps at most `k` rows. */
  constructor(k: number) {
    this.rows = new Int32Array(Math.max(0, Math.floor(k)));
    this.scores = new Float64Array(this.rows.length);
  }

  private worse(i: number, j: number): boolean {
    return this.scores[i]! > this.scores[j]! || (this.scores[i] === this.scores[j] && this.rows[i]! > this.rows[j]!);
  }

  private swap(i: number, j: number): void {
    const [row, score] = [this.rows[i]!, this.scores[i]!];
    this.rows[i] = this.rows[j]!;
    this.scores[i] = this.scores[j]!;
    this.rows[j] = row;
    this.scores[j] = score;
  }

  /** Offers `row` with its score: kept while among the `k` smallest so far. */
  offer(row: number, score: number): void {
    const capacity = this.rows.length;
    if (this.size < capacity) {
      this.rows[this.size] = row;
      this.scores[this.size] = score;
      for (let i = this.size++; i > 0 && this.worse(i, (i - 1) >> 1); i = (i - 1) >> 1) this.swap(i, (i - 1) >> 1);
      return;
    }
    if (capacity === 0 || score > this.scores[0]! || (score === this.scores[0] && row > this.rows[0]!)) return;
    this.rows[0] = row;
    this.scores[0] = score;
    for (let i = 0; ;) {
      const [left, right] = [2 * i + 1, 2 * i + 2];
      let top = i;
      if (left < this.size && this.worse(left, top)) top = left;
      if (right < this.size && this.worse(right, top)) top = right;
      if (top === i) return;
      this.swap(i, top);
      i = top;
    }
  }

  /** The rows kept, smallest score first. */
  sorted(): Int32Array {
    const order = Array.from({ length: this.size }, (_, i) => i).sort((i, j) => this.scores[i]! - this.scores[j]! || this.rows[i]! - this.rows[j]!);
    return Int32Array.from(order, (i) => this.rows[i]!);
  }
}

/** Scratch buffers of `medianFilterLine`: the padded line and the sorted window with its bookkeeping. */
export interface MedianScratch {
  padded: Float64Array;
  /** The window's values in ascending order at 1..size, with −∞ and +∞ sentinels at 0 and size + 1. */
  sorted: Float64Array;
  /** Slot in `sorted` of the value that entered at each position of the ring (padded index mod size). */
  slotOf: Int32Array;
  /** Ring position of the value in each slot of `sorted`. */
  owner: Int32Array;
}

/** Scratch buffers for `medianFilterLine` on lines up to `maxLength` long. */
export function medianScratch(maxLength: number, size: number): MedianScratch {
  return { padded: new Float64Array(maxLength + size), sorted: new Float64Array(size + 2), slotOf: new Int32Array(size), owner: new Int32Array(size + 2) };
}

/**
 * Running median of odd width `size` along one line of a matrix, with scipy's
 * 'reflect' boundary (the edge sample is repeated: d c b a | a b c d | d c b a).
 * Reads `length` values from `input` at `offset + i * stride` and writes the
 * medians to `output` at the same positions. The window is kept sorted and each
 * value's slot is known, so a step moves only the values between the leaving
 * and the entering one: O(size) at worst, no search.
 */
export function medianFilterLine(input: Float64Array, output: Float64Array, offset: number, stride: number, length: number, size: number, scratch: MedianScratch): void {
  const half = (size - 1) / 2;
  const { padded, sorted, slotOf } = scratch;
  for (let i = 0; i < length; i++) padded[half + i] = input[offset + i * stride]!;
  for (let i = 0; i < half; i++) {
    padded[i] = padded[half + reflect(i - half, length)]!;
    padded[half + length + i] = padded[half + reflect(length + i, length)]!;
  }
  sorted[0] = -Infinity;
  sorted.fill(Infinity, 1);
  for (let r = 0; r < size; r++) place(scratch, r + 1, r, padded[r]!);
  output[offset] = sorted[half + 1]!;
  let ring = 0;
  for (let i = 1, at = offset + stride; i < length; i++, at += stride) {
    place(scratch, slotOf[ring]!, ring, padded[i + size - 1]!);
    output[at] = sorted[half + 1]!;
    ring = ring + 1 === size ? 0 : ring + 1;
  }
}

/** Index in 0..length−1 that scipy's 'reflect' boundary reads for index `j`. */
function reflect(j: number, length: number): number {
  while (j < 0 || j >= length) j = j < 0 ? -j - 1 : 2 * length - j - 1;
  return j;
}

/** Puts `value` (ring position `ring`) into slot `slot` of the sorted window, moving the values between it and its place by one slot. */
function place({ sorted, slotOf, owner }: MedianScratch, slot: number, ring: number, value: number): void {
  let p = slot;
  for (let next = sorted[p + 1]!; next < value; next = sorted[p + 1]!) {
    sorted[p] = next;
    owner[p] = owner[p + 1]!;
    slotOf[owner[p]!] = p;
    p++;
  }
  for (let prev = sorted[p - 1]!; prev > value; prev = sorted[p - 1]!) {
    sorted[p] = prev;
    owner[p] = owner[p - 1]!;
    slotOf[owner[p]!] = p;
    p--;
  }
  sorted[p] = value;
  owner[p] = ring;
  slotOf[ring] = p;
}

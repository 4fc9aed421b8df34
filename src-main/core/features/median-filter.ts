/**
 * Running median of odd width `size` along one line of a matrix, with scipy's
 * 'reflect' boundary (the edge sample is repeated: d c b a | a b c d | d c b a).
 * Reads `length` values from `input` at `offset + i * stride` and writes the
 * medians to `output` at the same positions. O(size) per sample.
 */
export function medianFilterLine(input: Float64Array, output: Float64Array, offset: number, stride: number, length: number, size: number, scratch: { padded: Float64Array; window: Float64Array }): void {
  const half = (size - 1) / 2;
  const padded = scratch.padded;
  for (let i = 0; i < length + 2 * half; i++) {
    let j = i - half;
    while (j < 0 || j >= length) j = j < 0 ? -j - 1 : 2 * length - j - 1;
    padded[i] = input[offset + j * stride]!;
  }
  const window = scratch.window;
  for (let i = 0; i < size; i++) window[i] = padded[i]!;
  window.subarray(0, size).sort();
  output[offset] = window[half]!;
  for (let i = 1; i < length; i++) {
    replaceSorted(window, size, padded[i - 1]!, padded[i + size - 1]!);
    output[offset + i * stride] = window[half]!;
  }
}

/** Replaces one occurrence of `outgoing` in a sorted array by `incoming`, keeping it sorted; shifts only the values in between. */
function replaceSorted(sorted: Float64Array, count: number, outgoing: number, incoming: number): void {
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < outgoing) lo = mid + 1;
    else hi = mid;
  }
  let i = lo;
  if (incoming > outgoing) {
    while (i + 1 < count && sorted[i + 1]! < incoming) {
      sorted[i] = sorted[i + 1]!;
      i++;
    }
  } else {
    while (i > 0 && sorted[i - 1]! > incoming) {
      sorted[i] = sorted[i - 1]!;
      i--;
    }
  }
  sorted[i] = incoming;
}

/** Scratch buffers for `medianFilterLine` on lines up to `maxLength` long. */
export function medianScratch(maxLength: number, size: number): { padded: Float64Array; window: Float64Array } {
  return { padded: new Float64Array(maxLength + size), window: new Float64Array(size) };
}

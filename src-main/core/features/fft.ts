/** A real-input FFT of one fixed power-of-two size, with its tables computed once. */
export interface RealFft {
  size: number;
  /** Writes bins 0..size/2 of the DFT of `input` (length `size`) into `re` and `im` (length size/2 + 1). */
  forward(input: ArrayLike<number>, re: Float64Array, im: Float64Array): void;
  /** Writes the real signal (length `size`) whose bins 0..size/2 are `re`, `im` (imaginary parts of DC and Nyquist ignored). */
  inverse(re: Float64Array, im: Float64Array, output: Float64Array): void;
}

/**
 * Creates a real FFT of size `n` (a power of two ≥ 4): the input is packed as
 * n/2 complex points, transformed by an iterative radix-2 FFT and split into
 * the spectrum of the real signal. Double precision throughout.
 */
export function createRealFft(n: number): RealFft {
  if (n < 4 || (n & (n - 1)) !== 0) throw new Error(`FFT size must be a power of two ≥ 4, not ${n}`);
  const m = n / 2;
  const bits = Math.log2(m);
  const reversed = new Uint32Array(m);
  for (let i = 0; i < m; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    reversed[i] = r;
  }
  const cosM = new Float64Array(m / 2);
  const sinM = new Float64Array(m / 2);
  for (let k = 0; k < m / 2; k++) {
    cosM[k] = Math.cos((2 * Math.PI * k) / m);
    sinM[k] = -Math.sin((2 * Math.PI * k) / m);
  }
  const cosN = new Float64Array(m + 1);
  const sinN = new Float64Array(m + 1);
  for (let k = 0; k <= m; k++) {
    cosN[k] = Math.cos((2 * Math.PI * k) / n);
    sinN[k] = -Math.sin((2 * Math.PI * k) / n);
  }
  const zr = new Float64Array(m);
  const zi = new Float64Array(m);

  function complexFft(): void {
    for (let size = 2; size <= m; size *= 2) {
      const half = size / 2;
      const step = m / size;
      for (let start = 0; start < m; start += size) {
        for (let j = 0; j < half; j++) {
          const wr = cosM[j * step]!;
          const wi = sinM[j * step]!;
          const a = start + j;
          const b = a + half;
          const br = zr[b]! * wr - zi[b]! * wi;
          const bi = zr[b]! * wi + zi[b]! * wr;
          zr[b] = zr[a]! - br;
          zi[b] = zi[a]! - bi;
          zr[a] = zr[a]! + br;
          zi[a] = zi[a]! + bi;
        }
      }
    }
  }

  return {
    size: n,
    forward(input, re, im) {
      for (let i = 0; i < m; i++) {
        const r = reversed[i]!;
        zr[r] = input[2 * i]!;
        zi[r] = input[2 * i + 1]!;
      }
      complexFft();
      for (let k = 0; k <= m; k++) {
        const a = k % m;
        const b = (m - k) % m;
        const evenRe = (zr[a]! + zr[b]!) / 2;
        const evenIm = (zi[a]! - zi[b]!) / 2;
        const oddRe = (zi[a]! + zi[b]!) / 2;
        const oddIm = -(zr[a]! - zr[b]!) / 2;
        re[k] = evenRe + cosN[k]! * oddRe - sinN[k]! * oddIm;
        im[k] = evenIm + cosN[k]! * oddIm + sinN[k]! * oddRe;
      }
    },
    inverse(re, im, output) {
      for (let k = 0; k < m; k++) {
        // X[k] and conj(X[m-k]) give the spectra of the even (E) and odd (O) samples; Z = E + iO.
        const xr = re[k]!;
        const xi = k === 0 ? 0 : im[k]!;
        const yr = re[m - k]!;
        const yi = k === 0 ? 0 : -im[m - k]!;
        const eRe = (xr + yr) / 2;
        const eIm = (xi + yi) / 2;
        const dRe = (xr - yr) / 2;
        const dIm = (xi - yi) / 2;
        const oRe = dRe * cosN[k]! + dIm * sinN[k]!;
        const oIm = dIm * cosN[k]! - dRe * sinN[k]!;
        const r = reversed[k]!;
        zr[r] = eRe - oIm;
        zi[r] = -(eIm + oRe);
      }
      complexFft();
      for (let j = 0; j < m; j++) {
        output[2 * j] = zr[j]! / m;
        output[2 * j + 1] = -zi[j]! / m;
      }
    },
  };
}

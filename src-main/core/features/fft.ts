/** A real-input FFT of one fixed power-of-two size, with its tables computed once. */
export interface RealFft {
  size: number;
  /** Writes bins 0..size/2 of the DFT of `input` (length `size`) into `re` and `im` (length size/2 + 1). */
  forward(input: ArrayLike<number>, re: Float64Array, im: Float64Array): void;
  /** Writes the real signal (length `size`) whose bins 0..size/2 are `re`, `im` (imaginary parts of DC and Nyquist ignored). */
  inverse(re: Float64Array, im: Float64Array, output: Float64Array): void;
}

/**
 * Twiddles of every radix-4 pass of an `m`-point FFT, pass after pass: for a
 * pass over blocks of `size` points, (cos, −sin) of 2π·r·j/size for r = 1, 2, 3
 * at entry 6j … 6j + 5, j < size/4.
 */
function radix4Twiddles(m: number, firstSize: number): Float64Array {
  const table: number[] = [];
  for (let size = firstSize; size <= m; size *= 4) {
    for (let j = 0; j < size / 4; j++) {
      for (let r = 1; r <= 3; r++) table.push(Math.cos((2 * Math.PI * r * j) / size), -Math.sin((2 * Math.PI * r * j) / size));
    }
  }
  return Float64Array.from(table);
}

/**
 * Creates a real FFT of size `n` (a power of two ≥ 4): the input is packed as
 * n/2 complex points, transformed by an iterative radix-4 FFT (one radix-2
 * pass first where log2(n/2) is odd) and split into the spectrum of the real
 * signal. Double precision throughout.
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
  const firstSize = bits % 2 ? 8 : 4;
  const twiddles = radix4Twiddles(m, firstSize);
  const cosN = new Float64Array(m + 1);
  const sinN = new Float64Array(m + 1);
  for (let k = 0; k <= m; k++) {
    cosN[k] = Math.cos((2 * Math.PI * k) / n);
    sinN[k] = -Math.sin((2 * Math.PI * k) / n);
  }
  const zr = new Float64Array(m);
  const zi = new Float64Array(m);

  /** In-place forward FFT of (zr, zi), which hold the input in bit-reversed order. */
  function complexFft(): void {
    if (bits % 2) {
      for (let a = 0; a < m; a += 2) {
        const br = zr[a + 1]!;
        const bi = zi[a + 1]!;
        zr[a + 1] = zr[a]! - br;
        zi[a + 1] = zi[a]! - bi;
        zr[a] = zr[a]! + br;
        zi[a] = zi[a]! + bi;
      }
    }
    let t = 0;
    for (let size = firstSize; size <= m; size *= 4) {
      const quarter = size / 4;
      for (let j = 0; j < quarter; j++, t += 6) {
        const c1 = twiddles[t]!;
        const s1 = twiddles[t + 1]!;
        const c2 = twiddles[t + 2]!;
        const s2 = twiddles[t + 3]!;
        const c3 = twiddles[t + 4]!;
        const s3 = twiddles[t + 5]!;
        for (let a = j; a < m; a += size) {
          // Bit-reversed blocks hold the sub-spectra of x[4i], x[4i+2], x[4i+1], x[4i+3] in that order.
          const b = a + quarter;
          const c = b + quarter;
          const d = c + quarter;
          const r0 = zr[a]!;
          const i0 = zi[a]!;
          const r2 = zr[b]! * c2 - zi[b]! * s2;
          const i2 = zr[b]! * s2 + zi[b]! * c2;
          const r1 = zr[c]! * c1 - zi[c]! * s1;
          const i1 = zr[c]! * s1 + zi[c]! * c1;
          const r3 = zr[d]! * c3 - zi[d]! * s3;
          const i3 = zr[d]! * s3 + zi[d]! * c3;
          const sumR = r0 + r2;
          const sumI = i0 + i2;
          const difR = r0 - r2;
          const difI = i0 - i2;
          const oddR = r1 + r3;
          const oddI = i1 + i3;
          const rotR = i1 - i3;
          const rotI = r3 - r1;
          zr[a] = sumR + oddR;
          zi[a] = sumI + oddI;
          zr[b] = difR + rotR;
          zi[b] = difI + rotI;
          zr[c] = sumR - oddR;
          zi[c] = sumI - oddI;
          zr[d] = difR - rotR;
          zi[d] = difI - rotI;
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
      re[0] = zr[0]! + zi[0]!;
      im[0] = 0;
      re[m] = zr[0]! - zi[0]!;
      im[m] = 0;
      for (let k = 1; k < m; k++) {
        const evenRe = (zr[k]! + zr[m - k]!) / 2;
        const evenIm = (zi[k]! - zi[m - k]!) / 2;
        const oddRe = (zi[k]! + zi[m - k]!) / 2;
        const oddIm = (zr[m - k]! - zr[k]!) / 2;
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

/**
 * Essentia's `hann` window as `TensorflowInputMusiCNN` configures it
 * (`Windowing` with `normalized` false): the symmetric Hann window,
 * `0.5 − 0.5·cos(2πi / (n − 1))`, not scaled to a unit sum. (librosa's is
 * the periodic one, over `n`; the descriptors use that one.) Essentia's
 * zero-phase rotation of the frame is left out: it changes only the phase,
 * and the power spectrum does not see it.
 */
export function symmetricHannWindow(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1)));
}

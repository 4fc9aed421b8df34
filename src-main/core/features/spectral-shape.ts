
/** Per-frame spectral centroid, bandwidth (p = 2) and 85 % rolloff, from |S| (librosa's definitions). */
export interface SpectralShape {
  centroid: Float64Array;
  bandwidth: Float64Array;
  rolloff: Float64Array;
}

const ROLL_PERCENT = 0.85;

/**
 * Computes centroid, bandwidth and rolloff of every frame of a magnitude
 * spectrogram |S| (frame-major, `bins` per frame). Frames with no energy get
 * centroid 0, bandwidth 0 and rolloff 0 Hz, as in librosa.
 */
export function spectralShape(mag: Float64Array, frames: number, bins: number, freqs: Float64Array): SpectralShape {
  const centroid = new Float64Array(frames);
  const bandwidth = new Float64Array(frames);
  const rolloff = new Float64Array(frames);
  for (let t = 0; t < frames; t++) {
    const base = t * bins;
    let total = 0;
    for (let k = 0; k < bins; k++) total += mag[base + k]!;
    const norm = total > 0 ? total : 1;
    let c = 0;
    for (let k = 0; k < bins; k++) c += (freqs[k]! * mag[base + k]!) / norm;
    let spread = 0;
    for (let k = 0; k < bins; k++) spread += (mag[base + k]! / norm) * (freqs[k]! - c) ** 2;
    const threshold = ROLL_PERCENT * total;
    let cumulative = 0;
    let k = 0;
    for (; k < bins - 1; k++) {
      cumulative += mag[base + k]!;
      if (cumulative >= threshold) break;
    }
    centroid[t] = c;
    bandwidth[t] = Math.sqrt(spread);
    rolloff[t] = freqs[k]!;
  }
  return { centroid, bandwidth, rolloff };
}

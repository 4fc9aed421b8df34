import { hzToMel, melToHz, sparseRows, type FilterBank } from '../features/mel.ts';
import { MUSICNN_BANDS, MUSICNN_FRAME_SIZE, MUSICNN_SAMPLE_RATE } from './input-definition.ts';

const single = Math.fround;

/**
 * The band edges of Essentia's `MelBands` with `warpingFormula` slaneyMel:
 * `bands + 2` frequencies evenly spaced on the Slaney mel scale from
 * `lowHz` to `highHz`, computed as Essentia computes them, in single
 * precision with the mel step added up edge by edge. The rounding matters:
 * at 16 kHz bin 101 (3156.25 Hz) lies 0.15 Hz below edge 68, and the
 * double-precision edge (2 mHz higher) moves that bin's small weight in band
 * 66 by 1.4 %, enough for 7e-4 in the compressed value where a strong tone
 * sits on that bin; with Essentia's rounding the largest difference from
 * the parity references falls to 7e-5.
 */
export function slaneyBandEdges(bands: number, lowHz: number, highHz: number): Float64Array {
  const low = single(hzToMel(lowHz));
  const step = single((single(hzToMel(highHz)) - low) / (bands + 1));
  const edges = new Float64Array(bands + 2);
  let mel = low;
  for (let i = 0; i < edges.length; i++) {
    edges[i] = single(melToHz(mel));
    mel = single(mel + step);
  }
  return edges;
}

/**
 * The filter bank of `TensorflowInputMusiCNN`'s `MelBands` (96 bands,
 * 0–8 kHz, slaneyMel edges, `weighting` linear, `normalize` unit_tri) over
 * the 257 bins of a 512-point spectrum at 16 kHz: band `b` weights the bins
 * from `ceil(edge[b] / 31.25 Hz)` to `floor(edge[b+2] / 31.25 Hz)` by a
 * triangle rising linearly in Hz from edge `b` to 1 at edge `b+1` and
 * falling to edge `b+2`, divided by its theoretical area
 * `(edge[b+2] − edge[b]) / 2`, so every triangle has unit area (librosa's
 * Slaney normalisation). Single precision, as Essentia's.
 */
export function musicnnMelBank(): FilterBank {
  const bins = MUSICNN_FRAME_SIZE / 2 + 1;
  const binHz = MUSICNN_SAMPLE_RATE / 2 / (bins - 1);
  const edges = slaneyBandEdges(MUSICNN_BANDS, 0, MUSICNN_SAMPLE_RATE / 2);
  const weights = new Float32Array(MUSICNN_BANDS * bins);
  for (let b = 0; b < MUSICNN_BANDS; b++) {
    const [low, centre, high] = [edges[b]!, edges[b + 1]!, edges[b + 2]!];
    const rise = single(centre - low);
    const fall = single(high - centre);
    const area = single((rise + fall) / 2);
    for (let k = Math.ceil(low / binHz); k <= Math.floor(high / binHz) && k < bins; k++) {
      const hz = k * binHz;
      const height = hz < centre ? single(single(hz - low) / rise) : single(single(high - hz) / fall);
      weights[b * bins + k] = height / area;
    }
  }
  return sparseRows(weights, MUSICNN_BANDS, bins);
}

import { createRealFft } from '../features/fft.ts';
import { cutFrame, musicnnFrameCount } from './frames.ts';
import { MUSICNN_BANDS, MUSICNN_FRAME_SIZE, MUSICNN_MEL_SCALE } from './input-definition.ts';
import { musicnnMelBank } from './mel-bank.ts';
import { symmetricHannWindow } from './window.ts';

/** The MusiCNN input of a signal: `frames` rows of 96 compressed mel bands. */
export interface MusicnnMel {
  frames: number;
  /** Row-major `frames × 96`, float32 as the model reads it. */
  bands: Float32Array;
}

/**
 * Essentia's `TensorflowInputMusiCNN` over every frame of a 16 kHz mono
 * signal: frames cut as `cutFrame` cuts them (every frame kept, silent ones
 * included), symmetric Hann window, 512-point power spectrum, the 96-band
 * unit-area Slaney mel bank, then `log10(1 + 10000·energy)`. Computed in
 * double precision and stored as float32.
 */
export function musicnnMel(samples: ArrayLike<number>): MusicnnMel {
  const frames = musicnnFrameCount(samples.length);
  const bins = MUSICNN_FRAME_SIZE / 2 + 1;
  const fft = createRealFft(MUSICNN_FRAME_SIZE);
  const window = symmetricHannWindow(MUSICNN_FRAME_SIZE);
  const { weights, start, end } = musicnnMelBank();
  const frame = new Float64Array(MUSICNN_FRAME_SIZE);
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  const power = new Float64Array(bins);
  const bands = new Float32Array(frames * MUSICNN_BANDS);
  for (let t = 0; t < frames; t++) {
    cutFrame(samples, t, frame);
    for (let i = 0; i < MUSICNN_FRAME_SIZE; i++) frame[i] = frame[i]! * window[i]!;
    fft.forward(frame, re, im);
    for (let k = 0; k < bins; k++) power[k] = re[k]! * re[k]! + im[k]! * im[k]!;
    for (let b = 0; b < MUSICNN_BANDS; b++) {
      let energy = 0;
      for (let k = start[b]!; k < end[b]!; k++) energy += weights[b * bins + k]! * power[k]!;
      bands[t * MUSICNN_BANDS + b] = Math.log10(1 + MUSICNN_MEL_SCALE * energy);
    }
  }
  return { frames, bands };
}

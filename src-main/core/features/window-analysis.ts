import { DECODE_SAMPLE_RATE } from '../decode/decoder.ts';
import { chromaStft } from './chroma.ts';
import { separateHarmonicPercussive } from './hpss.ts';
import { applyFilterBank, dctOrtho, melFilterBank, powerToDb, sparseRows, type FilterBank } from './mel.ts';
import { spectralShape, type SpectralShape } from './spectral-shape.ts';
import { HOP, N_FFT, fftFrequencies, magnitudes, stft, type Spectrogram } from './stft.ts';
import { onsetEnvelope } from './tempo.ts';
import { estimateTempi, type TempoEstimates } from './tempo-improved.ts';

/** The rate every descriptor is defined at: the decoder's output rate. */
export const SAMPLE_RATE = DECODE_SAMPLE_RATE;
const N_MELS = 128;
const N_MFCC = 20;

let melBank: FilterBank | undefined;
const frequencies = fftFrequencies(SAMPLE_RATE, N_FFT);

/** A per-frame series: `frames` rows of `width` values, frame-major. */
export interface FrameSeries {
  frames: number;
  width: number;
  values: Float64Array;
}

/**
 * The shared intermediate results of one analysis window (one STFT, one mel
 * spectrogram, one HPSS), each computed on first use. Every extractor reads
 * from here, so no two features pay for the same transform.
 */
export class WindowAnalysis {
  readonly y: Float32Array | Float64Array;
  #spec?: Spectrogram;
  #magnitude?: Float64Array;
  #power?: Float64Array;
  #melDb?: Float64Array;
  #shape?: SpectralShape;
  #hpss?: { harmonic: Float64Array; percussive: Float64Array };
  #tempi?: TempoEstimates;

  /** Wraps one window of mono 22050 Hz samples. */
  constructor(y: Float32Array | Float64Array) {
    if (y.length < N_FFT / 2 + 1) throw new RangeError(`a window needs at least ${N_FFT / 2 + 1} samples, got ${y.length}`);
    this.y = y;
  }

  /** The complex STFT (n_fft 2048, hop 512, centred, reflect-padded). */
  get spectrogram(): Spectrogram {
    return (this.#spec ??= stft(this.y, N_FFT, HOP));
  }

  /** |S| of every bin (shared by the spectral shape and HPSS). */
  get magnitude(): Float64Array {
    return (this.#magnitude ??= magnitudes(this.spectrogram, 1));
  }

  /** |S|² of every bin. */
  get power(): Float64Array {
    return (this.#power ??= magnitudes(this.spectrogram, 2));
  }

  /** Centroid, bandwidth and rolloff of every frame. */
  get shape(): SpectralShape {
    return (this.#shape ??= spectralShape(this.magnitude, this.spectrogram.frames, this.spectrogram.bins, frequencies));
  }

  /** Log-power mel spectrogram (128 Slaney bands, dB with an 80 dB floor), frame-major. */
  get melDb(): Float64Array {
    melBank ??= sparseRows(melFilterBank(SAMPLE_RATE, N_FFT, N_MELS), N_MELS, N_FFT / 2 + 1);
    return (this.#melDb ??= powerToDb(applyFilterBank(this.power, this.spectrogram.frames, melBank)));
  }

  /** 20 MFCCs per frame. */
  mfcc(): FrameSeries {
    const frames = this.spectrogram.frames;
    return { frames, width: N_MFCC, values: dctOrtho(this.melDb, frames, N_MELS, N_MFCC) };
  }

  /** 12 chroma values per frame, tuning estimated from the window. */
  chroma(): FrameSeries {
    const { frames, bins } = this.spectrogram;
    return { frames, width: 12, values: chromaStft(this.power, frames, bins, SAMPLE_RATE, N_FFT) };
  }

  /** Harmonic and percussive time-domain signals (HPSS soft masks, same length as the window). */
  get separated(): { harmonic: Float64Array; percussive: Float64Array } {
    return (this.#hpss ??= separateHarmonicPercussive(this.y, this.spectrogram, this.magnitude, HOP));
  }

  /** Tempo (BPM) of the window: librosa `beat_track`'s estimate and the refined one, from one tempogram. */
  tempi(): TempoEstimates {
    return (this.#tempi ??= estimateTempi(onsetEnvelope(this.melDb, this.spectrogram.frames, N_MELS), SAMPLE_RATE, HOP));
  }
}

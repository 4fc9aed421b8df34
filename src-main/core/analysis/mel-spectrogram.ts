import fs from 'node:fs';
import { SonorityError, describeFileError } from '../errors.ts';
import { DECODE_SAMPLE_RATE, decodeBlocks } from '../decode/decoder.ts';
import { createRealFft } from '../features/fft.ts';
import { HOP, N_FFT, hannWindow } from '../features/stft.ts';
import { applyFilterBank, melFilterBank, sparseRows } from '../features/mel.ts';
import { centredFrames } from '../features/centred-frames.ts';
import { createMaxPool, powerImage } from '../features/mel-image.ts';

/** Mel bands of the picture (librosa's default), from 0 Hz to the Nyquist frequency. */
export const MEL_BANDS = 128;
/** The most columns a picture has; frames are max-pooled to fit (see `createMaxPool`). */
export const MAX_COLUMNS = 1200;
/** dB below the loudest cell that the byte range covers. */
export const DB_RANGE = 80;

/** A track's power mel spectrogram as an 8-bit image (layout: `powerImage`). */
export interface MelSpectrogramImage {
  /** Columns (time). */
  width: number;
  /** Mel bands, lowest first. */
  height: number;
  /** `height` rows of `width` bytes, 0 = `dbRange` dB or more below the peak, 255 = the peak. */
  pixels: Uint8Array;
  /** Length of the decoded audio; column c covers [c, c + 1) × durationSec / width, give or take a frame. */
  durationSec: number;
  /** Top of the highest band. */
  maxHz: number;
  dbRange: number;
}

/** Why a file cannot be drawn, naming it; file problems suggest scanning again. */
function notDrawable(filePath: string, error: unknown): SonorityError {
  const { code, message } = describeFileError(error);
  if (code === 'ffmpeg-missing') return error as SonorityError;
  const reason = code === 'vanished' ? 'the file is gone (moved, renamed or deleted since the last scan)' : message;
  return new SonorityError(code, `cannot draw the spectrogram of ${filePath}: ${reason}. Scan its folder again to bring the library up to date.`, { cause: error });
}

/** Passes blocks through, adding their lengths to `tally.samples`. */
async function* counted(blocks: AsyncIterable<Float32Array>, tally: { samples: number }): AsyncGenerator<Float32Array> {
  for await (const block of blocks) {
    tally.samples += block.length;
    yield block;
  }
}

/**
 * The power mel spectrogram of a whole file as an image: decoded like the
 * analysis (mono, 22050 Hz, `decodeBlocks`), librosa's centred STFT (n_fft
 * 2048, hop 512, periodic Hann), |X|² through the 128-band Slaney mel filter
 * bank up to 11025 Hz, max-pooled to at most `MAX_COLUMNS` columns, then dB
 * relative to the peak clipped to `DB_RANGE` and quantised to bytes. Streams,
 * so memory stays flat for any length. Throws a `SonorityError` naming the
 * file: `vanished` when it is gone, `permission-denied` etc. when unreadable,
 * the decoder's code when it cannot be decoded; `ffmpeg-missing` as is.
 */
export async function melSpectrogramImage(filePath: string, options: { ffmpegPath?: string } = {}): Promise<MelSpectrogramImage> {
  const bins = N_FFT / 2 + 1;
  const bank = sparseRows(melFilterBank(DECODE_SAMPLE_RATE, N_FFT, MEL_BANDS), MEL_BANDS, bins);
  const window = hannWindow(N_FFT);
  const fft = createRealFft(N_FFT);
  const frame = new Float64Array(N_FFT);
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  const power = new Float64Array(bins);
  const pool = createMaxPool(MEL_BANDS, MAX_COLUMNS);
  const decoded = { samples: 0 };
  try {
    await fs.promises.access(filePath, fs.constants.R_OK);
    for await (const batch of centredFrames(counted(decodeBlocks(filePath, 1 << 16, options), decoded), N_FFT, HOP)) {
      for (let t = 0; t < batch.count; t++) {
        for (let i = 0; i < N_FFT; i++) frame[i] = batch.samples[t * HOP + i]! * window[i]!;
        fft.forward(frame, re, im);
        for (let k = 0; k < bins; k++) power[k] = re[k]! * re[k]! + im[k]! * im[k]!;
        pool.add(applyFilterBank(power, 1, bank));
      }
    }
  } catch (error) {
    throw notDrawable(filePath, error);
  }
  const { width, powers } = pool.result();
  return { width, height: MEL_BANDS, pixels: powerImage(powers, width, MEL_BANDS, DB_RANGE), durationSec: decoded.samples / DECODE_SAMPLE_RATE, maxHz: DECODE_SAMPLE_RATE / 2, dbRange: DB_RANGE };
}

import { createRealFft } from './fft.ts';
import { hannWindow } from './stft.ts';

/**
 * Onset strength of each frame from a log-power mel spectrogram (frame-major,
 * `bands` per frame), librosa's `onset_strength` with `aggregate=np.median`:
 * the median over bands of the positive dB increase from the previous frame,
 * delayed by 3 frames (lag 1 + n_fft/(2·hop)) so it lines up with centred frames.
 */
export function onsetEnvelope(melDb: Float64Array, frames: number, bands: number): Float64Array {
  const envelope = new Float64Array(frames);
  const rises = new Float64Array(bands);
  for (let k = 0; k + 3 < frames; k++) {
    for (let b = 0; b < bands; b++) rises[b] = Math.max(0, melDb[(k + 1) * bands + b]! - melDb[k * bands + b]!);
    rises.sort();
    envelope[k + 3] = bands % 2 ? rises[bands >> 1]! : (rises[bands / 2 - 1]! + rises[bands / 2]!) / 2;
  }
  return envelope;
}

/** Length in frames of librosa's tempogram window (8 s of onset-envelope frames; 344 at 22050 Hz, hop 512). */
export function tempogramWindowLength(sampleRate: number, hop: number): number {
  return Math.floor(Math.trunc(8 * sampleRate) / hop);
}

/**
 * Mean over frames of the local autocorrelation of the onset envelope
 * (librosa's tempogram, `windowLength`-frame Hann windows, each frame's
 * autocorrelation max-normalised); entry `lag` is the lag in frames.
 */
export function meanTempogram(envelope: Float64Array, windowLength: number): Float64Array {
  const frames = envelope.length;
  const half = windowLength >> 1;
  const last = envelope[frames - 1] ?? 0;
  const padded = new Float64Array(frames + 2 * half);
  for (let i = 0; i < half; i++) padded[i] = ((envelope[0] ?? 0) * i) / half;
  padded.set(envelope, half);
  for (let j = 0; j < half; j++) padded[half + frames + j] = (last * (half - 1 - j)) / half;
  const window = hannWindow(windowLength);
  // Linear autocorrelation through a zero-padded FFT (size ≥ 2·window + 1), as librosa's `autocorrelate`.
  let size = 1;
  while (size < 2 * windowLength + 1) size *= 2;
  const fft = createRealFft(size);
  const x = new Float64Array(size);
  const re = new Float64Array(size / 2 + 1);
  const im = new Float64Array(size / 2 + 1);
  const ac = new Float64Array(size);
  const sum = new Float64Array(windowLength);
  for (let t = 0; t < frames; t++) {
    for (let i = 0; i < windowLength; i++) x[i] = padded[t + i]! * window[i]!;
    fft.forward(x, re, im);
    for (let k = 0; k < re.length; k++) {
      re[k] = re[k]! * re[k]! + im[k]! * im[k]!;
      im[k] = 0;
    }
    fft.inverse(re, im, ac);
    let peak = 0;
    for (let lag = 0; lag < windowLength; lag++) peak = Math.max(peak, Math.abs(ac[lag]!));
    if (peak > 0) for (let lag = 0; lag < windowLength; lag++) sum[lag]! += ac[lag]! / peak;
  }
  return sum.map((v) => v / frames);
}

/**
 * The objective librosa 0.7's `beat_track` maximises over autocorrelation lags
 * (in onset frames): log1p(10⁶·tempogram) plus a log-normal prior around 120 BPM
 * (σ = 1 octave). `lag` may be fractional: the tempogram is then linearly
 * interpolated between its neighbouring integer lags.
 */
export function tempoScore(tempogram: Float64Array, lag: number, sampleRate: number, hop: number): number {
  const bpm = (60 * sampleRate) / (hop * lag);
  const below = Math.floor(lag);
  const fraction = lag - below;
  const strength = fraction === 0 ? tempogram[lag]! : tempogram[below]! * (1 - fraction) + tempogram[below + 1]! * fraction;
  return Math.log1p(1e6 * strength) - 0.5 * (Math.log2(bpm) - Math.log2(120)) ** 2;
}

/**
 * librosa's tempo lag: the integer lag (1 ≤ lag < tempogram.length) of the
 * best `tempoScore`, ignoring tempi of 320 BPM and more; -1 where no score is
 * a number.
 */
export function bestTempoLag(tempogram: Float64Array, sampleRate: number, hop: number): number {
  let best = -1;
  let bestScore = -Infinity;
  for (let lag = 1; lag < tempogram.length; lag++) {
    const bpm = (60 * sampleRate) / (hop * lag);
    if (bpm >= 320) continue;
    const score = tempoScore(tempogram, lag, sampleRate, hop);
    if (score > bestScore) {
      bestScore = score;
      best = lag;
    }
  }
  return best;
}

/**
 * Global tempo in BPM as librosa's `beat_track` reports it: the autocorrelation
 * lag that maximises log1p(10⁶·tempogram) plus a log-normal prior around
 * 120 BPM (σ = 1 octave), ignoring tempi of 320 BPM and more. 0 for silence.
 */
export function estimateTempo(envelope: Float64Array, sampleRate: number, hop: number): number {
  if (envelope.every((v) => v === 0)) return 0;
  const tempogram = meanTempogram(envelope, tempogramWindowLength(sampleRate, hop));
  return (60 * sampleRate) / (hop * bestTempoLag(tempogram, sampleRate, hop));
}

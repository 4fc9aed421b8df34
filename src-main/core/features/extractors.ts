/**
 * The descriptor registry: one pure extractor per GTZAN feature, each reading
 * the shared transforms of a `WindowAnalysis`. The list of exports is the
 * registry; the descriptor names derive from it. A series is summarised by
 * mean and variance over all its values, each column of a frame series
 * separately (`mfcc1_mean` …); a number is used as is.
 */
import { rmsFrames, zeroCrossingRateFrames } from './time-domain.ts';
import type { FrameSeries, WindowAnalysis } from './window-analysis.ts';

type Series = ArrayLike<number>;

export const chroma_stft = (w: WindowAnalysis): Series => w.chroma().values;
export const rms = (w: WindowAnalysis): Series => rmsFrames(w.y);
export const spectral_centroid = (w: WindowAnalysis): Series => w.shape.centroid;
export const spectral_bandwidth = (w: WindowAnalysis): Series => w.shape.bandwidth;
export const rolloff = (w: WindowAnalysis): Series => w.shape.rolloff;
export const zero_crossing_rate = (w: WindowAnalysis): Series => zeroCrossingRateFrames(w.y);
export const harmony = (w: WindowAnalysis): Series => w.separated.harmonic;
export const perceptr = (w: WindowAnalysis): Series => w.separated.percussive;
export const tempo = (w: WindowAnalysis): number => w.tempi().librosa;
export const mfcc = (w: WindowAnalysis): FrameSeries => w.mfcc();

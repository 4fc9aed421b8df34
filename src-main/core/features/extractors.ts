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

/** Chroma of each frame (12 pitch classes, tuning estimated, max-normalised). */
export const chroma_stft = (w: WindowAnalysis): Series => w.chroma().values;
/** Root-mean-square level of each centred frame. */
export const rms = (w: WindowAnalysis): Series => rmsFrames(w.y);
/** Magnitude-weighted mean frequency of each frame, Hz. */
export const spectral_centroid = (w: WindowAnalysis): Series => w.shape.centroid;
/** Magnitude-weighted spread around the centroid of each frame, Hz. */
export const spectral_bandwidth = (w: WindowAnalysis): Series => w.shape.bandwidth;
/** Frequency below which 85 % of each frame's magnitude lies, Hz. */
export const rolloff = (w: WindowAnalysis): Series => w.shape.rolloff;
/** Sign changes per sample in each centred frame. */
export const zero_crossing_rate = (w: WindowAnalysis): Series => zeroCrossingRateFrames(w.y);
/** The harmonic signal of HPSS, sample by sample. */
export const harmony = (w: WindowAnalysis): Series => w.separated.harmonic;
/** The percussive signal of HPSS, sample by sample. */
export const perceptr = (w: WindowAnalysis): Series => w.separated.percussive;
/** librosa `beat_track`'s tempo of the window, BPM. */
export const tempo = (w: WindowAnalysis): number => w.tempi().librosa;
/** 20 MFCCs of each frame. */
export const mfcc = (w: WindowAnalysis): FrameSeries => w.mfcc();

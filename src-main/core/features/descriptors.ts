import * as extractors from './extractors.ts';
import { mean, variance } from './stats.ts';
import { WindowAnalysis, type FrameSeries } from './window-analysis.ts';

type Registry = typeof extractors;
type FeatureOf<T> = { [K in keyof Registry]: ReturnType<Registry[K]> extends T ? K : never }[keyof Registry];
type ScalarFeature = FeatureOf<number>;
type ColumnsFeature = FeatureOf<FrameSeries>;
type SeriesFeature = Exclude<keyof Registry, ScalarFeature | ColumnsFeature>;
type Stat = 'mean' | 'var';
type Column = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17 | 18 | 19 | 20;

/** A GTZAN table column, derived from the registry: `rms_mean`, `tempo`, `mfcc7_var`, … */
export type DescriptorName = `${SeriesFeature}_${Stat}` | ScalarFeature | `${ColumnsFeature}${Column}_${Stat}`;
export type Descriptors = Record<DescriptorName, number>;

const SERIES: readonly SeriesFeature[] = ['chroma_stft', 'rms', 'spectral_centroid', 'spectral_bandwidth', 'rolloff', 'zero_crossing_rate', 'harmony', 'perceptr'];
const MFCC_COLUMNS = 20;

/** The 57 descriptors in the GTZAN table's column order. */
export const DESCRIPTOR_NAMES: readonly DescriptorName[] = [
  ...SERIES.flatMap((f): DescriptorName[] => [`${f}_mean`, `${f}_var`]),
  'tempo',
  ...Array.from({ length: MFCC_COLUMNS }, (_, i): DescriptorName[] => [`mfcc${(i + 1) as Column}_mean`, `mfcc${(i + 1) as Column}_var`]).flat(),
];

/**
 * Computes the 57 GTZAN descriptors of one window of mono 22050 Hz audio
 * (or of its `WindowAnalysis`, to reuse it) with librosa 0.7's definitions
 * (parity table in the README).
 */
export function computeDescriptors(window: Float32Array | Float64Array | WindowAnalysis): Descriptors {
  const w = window instanceof WindowAnalysis ? window : new WindowAnalysis(window);
  const out = {} as Descriptors;
  for (const feature of SERIES) {
    const series = extractors[feature](w);
    out[`${feature}_mean`] = mean(series);
    out[`${feature}_var`] = variance(series);
  }
  out.tempo = extractors.tempo(w);
  const mfcc = extractors.mfcc(w);
  const column = new Float64Array(mfcc.frames);
  for (let k = 0; k < mfcc.width; k++) {
    for (let t = 0; t < mfcc.frames; t++) column[t] = mfcc.values[t * mfcc.width + k]!;
    out[`mfcc${(k + 1) as Column}_mean`] = mean(column);
    out[`mfcc${(k + 1) as Column}_var`] = variance(column);
  }
  return out;
}

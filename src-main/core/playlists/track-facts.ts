import { DESCRIPTOR_NAMES } from '../features/descriptors.ts';
import type { SpaceTrack } from './similarity-space.ts';
import { MUSICNN_HEAD_KEYS } from '../musicnn/model-metadata.ts';

/** What the playlist filters read, per row. */
export interface TrackFacts {
  tempo: Float32Array;
  durationSec: Float32Array;
  /**
   * Loudness percentile in the library, 0 (quietest) … 1 (loudest): the
   * mid-rank of the track's `rms_mean` descriptor (its mean RMS level over
   * the analysed windows) among all tracks', divided by (tracks − 1).
   */
  energy: Float32Array;
  /** MusiCNN's danceable, aggressive, happy and relaxed probabilities, one per `MUSICNN_HEAD_KEYS` name per row; NaN where it has none. */
  heads: Float32Array;
  /** Lower-cased genre name → genre id. */
  genreIds: Map<string, number>;
  /** Genre ids of row r: `genreList[genreStart[r] … genreStart[r + 1])`. */
  genreStart: Int32Array;
  genreList: Int32Array;
}

const RMS_MEAN = DESCRIPTOR_NAMES.indexOf('rms_mean');

/** A genre name as the genre filter compares it. */
export function genreKey(genre: string): string {
  return genre.trim().toLowerCase();
}

function loudnessPercentiles(tracks: readonly SpaceTrack[]): Float32Array {
  const rms = Float64Array.from(tracks, (t) => t.descriptors[RMS_MEAN]!);
  const order = Array.from(rms.keys()).sort((a, b) => rms[a]! - rms[b]!);
  const percentiles = new Float32Array(tracks.length);
  const span = Math.max(1, tracks.length - 1);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && rms[order[end + 1]!] === rms[order[start]!]) end++;
    for (let k = start; k <= end; k++) percentiles[order[k]!] = (start + end) / 2 / span;
    start = end + 1;
  }
  return percentiles;
}

function headsOf(tracks: readonly SpaceTrack[]): Float32Array {
  const width = MUSICNN_HEAD_KEYS.length;
  const heads = new Float32Array(tracks.length * width).fill(NaN);
  tracks.forEach((track, row) => {
    const values = track.musicnn?.heads;
    if (values?.length === width) heads.set(values, row * width);
  });
  return heads;
}

/** Tempo, duration, loudness percentile, MusiCNN heads and genres of `tracks`, in row order. */
export function describeTracks(tracks: readonly SpaceTrack[]): TrackFacts {
  const genreIds = new Map<string, number>();
  const genreStart = new Int32Array(tracks.length + 1);
  const list: number[] = [];
  tracks.forEach((track, row) => {
    for (const key of new Set(track.genres.map(genreKey))) {
      if (!genreIds.has(key)) genreIds.set(key, genreIds.size);
      list.push(genreIds.get(key)!);
    }
    genreStart[row + 1] = list.length;
  });
  return {
    tempo: Float32Array.from(tracks, (t) => t.tempo),
    durationSec: Float32Array.from(tracks, (t) => t.durationSec),
    energy: loudnessPercentiles(tracks),
    heads: headsOf(tracks),
    genreIds,
    genreStart,
    genreList: Int32Array.from(list),
  };
}

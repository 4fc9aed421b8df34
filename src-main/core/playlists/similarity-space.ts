/**
 * The similarity space of a library: one weighted vector per track, compared
 * by Euclidean distance. Six blocks, each standardised over the library:
 *
 * - timbre: the 40 MFCC means and variances (the sound's colour);
 * - spectrum: centroid, bandwidth, roll-off, zero-crossing rate and RMS level,
 *   means and variances (brightness, noisiness, loudness);
 * - harmony: chroma, harmonic and percussive energy, means and variances;
 * - tempo: log₂ of the track's BPM (so 60→90 BPM is as far as 120→180);
 * - embedding: the genre model's 64-d penultimate layer. A track without one
 *   gets zeros, the library mean of that block: it sits in the middle, neither
 *   near nor far from anyone on that block;
 * - musicnn: MusiCNN's 200-d embedding, the mean over the track's 3-s patches
 *   (`readMusicnnMeans`); a track MusiCNN abstained on (under one patch) or
 *   has not analysed sits at the block's mean, as above.
 *
 * Descriptors go through the genre model's recipe (variances log-compressed,
 * every column z-scored: `standardiser.ts`), fitted on the library itself
 * (on at most 4,096 evenly spaced tracks); tempo and both embeddings'
 * dimensions are z-scored too. Each block is then scaled
 * so that its share of the mean squared distance between two library tracks
 * is its weight's share of the weights' sum: a weight says how much a block
 * counts, whatever its number of dimensions.
 *
 * Why the defaults (timbre 1, spectrum 1, harmony 1, tempo 0.25, embedding
 * 3, musicnn 3), measured by the genre precision@10 of each clip's nearest neighbours by
 * other artists on the 640 GTZAN train+valid clips (`npm run eval:playlists`):
 * timbre, spectrum and harmony each find genre about as well alone (0.31,
 * 0.30, 0.31, against 0.09 at random) and best together: equal weights with
 * tempo 0 reach 0.39, one point under the best of an 81-point grid, so nothing
 * finer is tuned on 640 clips. Tempo alone is at chance for genre and costs
 * 1.4 points at 0.25, a price paid for playlists whose tempo flows. The
 * embedding helps even from a network that never saw the clips (artist-grouped
 * halves: 0.311 → 0.333), flat from weight 3 to 16; at 3 it makes about half
 * of the distance, so the descriptors still judge sounds outside the model's
 * ten genres. MusiCNN's weight, measured on real audio (the GTZAN table has no
 * audio; `npm run eval:playlists-musicnn`: broad-genre precision@5 of
 * other-artist neighbours among the songs, recordings and GTZAN clips whose
 * genre the opinion evaluation knows): with the 62 classical excerpts left out
 * (37 tracks, random 0.096), descriptors alone find 0.138, MusiCNN alone 0.283,
 * the previous defaults 0.152, and MusiCNN at 1 / 3 / 6 beside them 0.172 /
 * 0.200 / 0.214 (songs and recordings alone: 0.180 → 0.190 / 0.200 / 0.210;
 * all 99 tracks, classical-dominated, flat at 0.73–0.74). 3 is the smallest
 * weight with most of the gain, not the best, on 29 queries: MusiCNN then
 * makes a third of the distance, as the genre model and the descriptors do.
 */
import { DESCRIPTOR_NAMES } from '../features/descriptors.ts';
import { SonorityError } from '../errors.ts';
import { identifyTracks, type TrackIdentities } from './track-identity.ts';
import { describeTracks, type TrackFacts } from './track-facts.ts';
import { weightedVectors } from './space-vectors.ts';

export { similarTracks, type PlaylistEntry, type PlaylistOptions } from './similar-tracks.ts';
export { pathBetween } from './path-between.ts';
export { stepDistances, shuffledStepDistances, type StepDistances } from './step-distances.ts';
export type { PlaylistFilters } from './playlist-rules.ts';

/** Relative weights of the similarity space's blocks (see the file's doc comment for what each block is and why the defaults). */
export interface SpaceWeights {
  timbre: number;
  spectrum: number;
  harmony: number;
  tempo: number;
  embedding: number;
  musicnn: number;
}

/** The default weights: shares of the mean squared distance between two tracks. */
export const DEFAULT_SPACE_WEIGHTS: SpaceWeights = { timbre: 1, spectrum: 1, harmony: 1, tempo: 0.25, embedding: 3, musicnn: 3 };

/** What the space keeps of a track's MusiCNN analysis: track means over its patches. */
export interface MusicnnSummary {
  /** The mean patch embedding (200 values). */
  embedding: ArrayLike<number>;
  /** Probabilities of danceable, aggressive, happy and relaxed (`MUSICNN_HEAD_NAMES` order). */
  heads: ArrayLike<number>;
}

/** One library track as the playlist functions need it. */
export interface SpaceTrack {
  trackId: number;
  /** Compared case- and space-insensitively; null = unknown, never equal to another track's artist. */
  artist: string | null;
  title: string | null;
  /** Same key = the same recording (e.g. content fingerprint); optional. */
  contentKey?: string | null;
  /** The 57 GTZAN descriptors in GTZAN order, raw (mean over the track's windows). */
  descriptors: ArrayLike<number>;
  /** The genre model's embedding (64), or null: see the file's doc comment. */
  embedding: ArrayLike<number> | null;
  /** MusiCNN's view of the track; null or absent where it has none (it abstained, or has not analysed the track): see the file's doc comment. */
  musicnn?: MusicnnSummary | null;
  /** BPM; not positive = unknown (then the library's mean on the tempo block). */
  tempo: number;
  durationSec: number;
  /** Display names for the genre filter (tag genres, or the predicted genre); matched case-insensitively. */
  genres: string[];
}

/** A library's weighted vectors (row-major, `dimensions` per row) with each row's identity and facts; built once per library change. */
export interface SimilaritySpace extends TrackIdentities, TrackFacts {
  weights: SpaceWeights;
  /** Track id of each row. */
  trackIds: Float64Array;
  rowOf: Map<number, number>;
  dimensions: number;
  vectors: Float32Array;
}

function checkTracks(tracks: readonly SpaceTrack[]): void {
  const seen = new Set<number>();
  for (const track of tracks) {
    if (track.descriptors.length !== DESCRIPTOR_NAMES.length) throw new SonorityError('usage', `track ${track.trackId} has ${track.descriptors.length} descriptors, not ${DESCRIPTOR_NAMES.length}`);
    if (seen.has(track.trackId)) throw new SonorityError('usage', `track ${track.trackId} appears twice in the library given to the similarity space`);
    seen.add(track.trackId);
  }
}

/** Builds the similarity space of `tracks` (in this row order); weights not given keep their defaults. Throws `usage` for malformed tracks or a negative weight. */
export function buildSimilaritySpace(tracks: readonly SpaceTrack[], weights: Partial<SpaceWeights> = {}): SimilaritySpace {
  checkTracks(tracks);
  const chosen = { ...DEFAULT_SPACE_WEIGHTS };
  for (const block of Object.keys(chosen) as (keyof SpaceWeights)[]) {
    const weight = weights[block];
    if (weight === undefined) continue;
    if (!(weight >= 0 && Number.isFinite(weight))) throw new SonorityError('usage', `the ${block} weight must be a number ≥ 0, not ${weight}`);
    chosen[block] = weight;
  }
  return {
    weights: chosen,
    trackIds: Float64Array.from(tracks, (t) => t.trackId),
    rowOf: new Map(tracks.map((t, row) => [t.trackId, row])),
    ...weightedVectors(tracks, chosen),
    ...identifyTracks(tracks),
    ...describeTracks(tracks),
  };
}

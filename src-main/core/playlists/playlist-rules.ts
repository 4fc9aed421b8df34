import type { SimilaritySpace } from './similarity-space.ts';
import { genreKey } from './track-facts.ts';
import { MUSICNN_HEAD_KEYS } from '../musicnn/model-metadata.ts';

/**
 * Which tracks may enter a playlist; ranges are inclusive; a missing field, or
 * an empty genre list, does not filter. The head ranges are MusiCNN's track
 * mean probability of danceable, aggressive, happy, relaxed (0…1, to 1/255 as
 * stored): a track MusiCNN has no output for (under one 3-s patch, or not
 * analysed by the current model) fails any of them that is set.
 */
export interface PlaylistFilters {
  /** Any of these genres (case-insensitive) among the track's genres. */
  genres?: string[];
  /** BPM. */
  tempo?: [number, number];
  /** Loudness percentile in the library, 0…1 (`TrackFacts.energy`: the rank of the track's mean RMS level). */
  energy?: [number, number];
  durationSec?: [number, number];
  danceability?: [number, number];
  aggressive?: [number, number];
  happy?: [number, number];
  relaxed?: [number, number];
}

/** The artist gap when a query gives none: a track's artist is not among the 3 tracks before it. */
export const DEFAULT_ARTIST_GAP = 3;

/** NaN (unknown) is within no range. */
const within = (value: number, range: [number, number] | undefined) => !range || (value >= range[0] && value <= range[1]);

function headsWithin(space: SimilaritySpace, row: number, filters: PlaylistFilters): boolean {
  return MUSICNN_HEAD_KEYS.every((name, k) => within(space.heads[row * MUSICNN_HEAD_KEYS.length + k]!, filters[name]));
}

/** 1 for the rows that pass `filters`, 0 for the others. */
export function filterMask(space: SimilaritySpace, filters: PlaylistFilters = {}): Uint8Array {
  const n = space.trackIds.length;
  const wanted = new Uint8Array(space.genreIds.size);
  for (const genre of filters.genres ?? []) {
    const id = space.genreIds.get(genreKey(genre));
    if (id !== undefined) wanted[id] = 1;
  }
  const mask = new Uint8Array(n);
  for (let row = 0; row < n; row++) {
    let genreOk = !filters.genres || filters.genres.length === 0;
    for (let g = space.genreStart[row]!; !genreOk && g < space.genreStart[row + 1]!; g++) genreOk = wanted[space.genreList[g]!] === 1;
    mask[row] = genreOk && within(space.tempo[row]!, filters.tempo) && within(space.energy[row]!, filters.energy) && within(space.durationSec[row]!, filters.durationSec) && headsWithin(space, row, filters) ? 1 : 0;
  }
  return mask;
}

/**
 * A playlist as it is being played: which recordings were played (none comes
 * twice) and the artists of the last tracks (no artist comes again within
 * `artistGap` tracks: a track's artist is not among the `artistGap` before it; 0 = off).
 */
export class PlayedTracks {
  private readonly space: SimilaritySpace;
  private readonly artistGap: number;
  private readonly recordings: Uint8Array;
  private readonly recentArtists: number[] = [];

  /** Starts an empty playlist over `space`. */
  constructor(space: SimilaritySpace, artistGap: number = DEFAULT_ARTIST_GAP) {
    this.space = space;
    this.artistGap = Math.max(0, Math.floor(artistGap));
    this.recordings = new Uint8Array(space.recordingIds.length);
  }

  /** Whether `row` is, or is the same recording as, a played track: it can never come. */
  repeats(row: number): boolean {
    return this.recordings[this.space.recordingIds[row]!] === 1;
  }

  /** Whether `row`'s artist is among the last `artistGap` played tracks' (never for an unknown artist). */
  artistTooSoon(row: number): boolean {
    const artist = this.space.artistIds[row]!;
    return artist >= 0 && this.recentArtists.includes(artist);
  }

  /** Whether `row` may come next. */
  admits(row: number): boolean {
    return !this.repeats(row) && !this.artistTooSoon(row);
  }

  /** Records `row` as played. */
  play(row: number): void {
    this.recordings[this.space.recordingIds[row]!] = 1;
    if (this.artistGap < 1) return;
    this.recentArtists.push(this.space.artistIds[row]!);
    if (this.recentArtists.length > this.artistGap) this.recentArtists.shift();
  }
}

/** Whether two rows are the same recording (see `TrackIdentities.recordingIds`). */
export function sameRecording(space: SimilaritySpace, a: number, b: number): boolean {
  return space.recordingIds[a] === space.recordingIds[b];
}

/** Whether two rows are by the same known artist. */
export function sameArtist(space: SimilaritySpace, a: number, b: number): boolean {
  return space.artistIds[a]! >= 0 && space.artistIds[a] === space.artistIds[b];
}

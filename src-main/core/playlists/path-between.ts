import { SonorityError } from '../errors.ts';
import type { SimilaritySpace } from './similarity-space.ts';
import { DEFAULT_ARTIST_GAP, PlayedTracks, filterMask, sameArtist, sameRecording } from './playlist-rules.ts';
import { rowOfTrack, squaredRowDistance } from './space-distances.ts';
import { NearestRows } from './nearest-rows.ts';
import { cheapestPath, type Layers } from './layered-path.ts';
import type { PlaylistEntry, PlaylistOptions } from './similar-tracks.ts';

/** How much a track's squared distance from its point on the line A→B counts, against the squared steps. */
const DEVIATION_WEIGHT = 0.25;
/** Candidates per step at first: the nearest eligible tracks to the step's point on the line. */
const FIRST_CANDIDATES = 32;

/** Where every row lies against the straight line from A to B, to measure its distance from any point on it. */
interface Line {
  /** Squared distance of each row from A. */
  fromA: Float64Array;
  /** Each row's (row − A) · (B − A). */
  along: Float64Array;
  lengthSquared: number;
  /** Positions of the step points on the line, from 0 (A) to 1 (B), strictly between. */
  points: Float64Array;
}

function lineBetween(space: SimilaritySpace, a: number, b: number, steps: number): Line {
  const { vectors, dimensions: d } = space;
  const n = space.trackIds.length;
  const [fromA, along] = [new Float64Array(n), new Float64Array(n)];
  const start = vectors.slice(a * d, (a + 1) * d);
  const direction = Float32Array.from(vectors.subarray(b * d, (b + 1) * d), (v, j) => v - start[j]!);
  for (let row = 0; row < n; row++) {
    let squared = 0, dot = 0;
    for (let j = 0, i = row * d; j < d; j++, i++) {
      const x = vectors[i]! - start[j]!;
      squared += x * x;
      dot += x * direction[j]!;
    }
    fromA[row] = squared;
    along[row] = dot;
  }
  return { fromA, along, lengthSquared: squaredRowDistance(space, a, b), points: Float64Array.from({ length: steps }, (_, k) => (k + 1) / (steps + 1)) };
}

/** Squared distance of `row` from the point of step `k`. */
function deviation(line: Line, k: number, row: number): number {
  const s = line.points[k]!;
  return Math.max(0, line.fromA[row]! - 2 * s * line.along[row]! + s * s * line.lengthSquared);
}

/**
 * The `wanted` eligible rows nearest each step's point, in one pass over the
 * library; near an end, not by that end's artist (the artist gap counts the
 * ends as played).
 */
function stepCandidates(space: SimilaritySpace, ends: [number, number], line: Line, gap: number, eligible: Uint8Array, wanted: number): Int32Array[] {
  const steps = line.points.length;
  const [startArtist, endArtist] = ends.map((row) => space.artistIds[row]!);
  const nearest = Array.from({ length: steps }, () => new NearestRows(wanted));
  for (let row = 0; row < eligible.length; row++) {
    if (eligible[row] === 0) continue;
    const artist = space.artistIds[row]!;
    for (let k = 0; k < steps; k++) {
      if (artist >= 0 && ((artist === startArtist && k + 1 <= gap) || (artist === endArtist && steps - k <= gap))) continue;
      nearest[k]!.offer(row, deviation(line, k, row));
    }
  }
  return nearest.map((heap) => heap.sorted());
}

/** The first track of `path` that repeats a recording or comes too soon after its artist, and which of the two. */
function firstConflict(space: SimilaritySpace, path: readonly number[], gap: number): { at: number; recording: boolean } | null {
  for (let at = 1; at < path.length; at++) {
    for (let before = at - 1; before >= 0; before--) {
      if (sameRecording(space, path[before]!, path[at]!)) return { at, recording: true };
      if (at - before <= gap && sameArtist(space, path[before]!, path[at]!)) return { at, recording: false };
    }
  }
  return null;
}

/**
 * The cheapest middle rows with these candidates: Viterbi over squared steps
 * plus the weighted deviations, neighbours never clashing. A longer-range
 * clash (a recording again, an artist too soon) is repaired by banning the
 * later track's recording or artist at its step, and the search reruns.
 * Null when the candidates admit no path.
 */
function searchCandidates(space: SimilaritySpace, ends: [number, number], candidates: Int32Array[], line: Line, bannedRows: Set<number>[], gap: number): number[] | null {
  const [a, b] = ends;
  const step = (p: number, c: number) => (sameRecording(space, p, c) || (gap >= 1 && sameArtist(space, p, c)) ? Infinity : squaredRowDistance(space, p, c));
  const layers: Layers = {
    nodes: candidates.map((rows, layer) => Float64Array.from(rows, (row) => DEVIATION_WEIGHT * deviation(line, layer, row))),
    edges: candidates.map((here, layer) => {
      const before = layer === 0 ? Int32Array.of(a) : candidates[layer - 1]!;
      return Float64Array.from({ length: before.length * here.length }, (_, i) => step(before[Math.floor(i / here.length)]!, here[i % here.length]!));
    }),
    exits: Float64Array.from(candidates.at(-1)!, (row) => step(row, b)),
    banned: candidates.map((rows, layer) => Uint8Array.from(rows, (row) => (bannedRows[layer]!.has(row) ? 1 : 0))),
  };
  for (;;) {
    const chosen = cheapestPath(layers);
    if (!chosen) return null;
    const path = [a, ...Array.from(chosen, (c, layer) => candidates[layer]![c]!)];
    const conflict = firstConflict(space, path, gap);
    if (!conflict) return path.slice(1);
    const [layer, row] = [conflict.at - 1, path[conflict.at]!];
    candidates[layer]!.forEach((other, c) => {
      if (conflict.recording ? !sameRecording(space, row, other) : !sameArtist(space, row, other)) return;
      bannedRows[layer]!.add(other);
      layers.banned[layer]![c] = 1;
    });
  }
}

/** The `steps` tracks between rows `a` and `b`: candidates near each step's point, widened until the search finds a path. */
function middleRows(space: SimilaritySpace, a: number, b: number, steps: number, options: PlaylistOptions): number[] {
  const gap = Math.max(0, Math.floor(options.artistGap ?? DEFAULT_ARTIST_GAP));
  const ends = new PlayedTracks(space, 0);
  [a, b].forEach((row) => ends.play(row));
  const eligible = filterMask(space, options.filters);
  for (let row = 0; row < eligible.length; row++) if (ends.repeats(row)) eligible[row] = 0;
  const line = lineBetween(space, a, b, steps);
  const bannedRows = Array.from({ length: steps }, () => new Set<number>());
  for (let wanted = FIRST_CANDIDATES; ; wanted *= 4) {
    const candidates = stepCandidates(space, [a, b], line, gap, eligible, wanted);
    const middle = searchCandidates(space, [a, b], candidates, line, bannedRows, gap);
    if (middle) return middle;
    if (candidates.every((rows) => rows.length < wanted)) throw new SonorityError('too-few-tracks', `the library has too few tracks passing the filters and the artist gap for a path of ${steps + 2} tracks`);
  }
}

/**
 * A path from `from` to `to` of exactly `options.length` tracks, both ends
 * included, whose neighbours are close: the tracks in between follow points
 * evenly spaced on the straight line between the ends, chosen together by
 * dynamic programming to minimise the sum of squared steps (which also evens
 * them out) plus a quarter of their squared distances from their points. The
 * tracks in between obey `similarTracks`' rules (no repeats or copies of the
 * ends or of each other, the artist gap counting the ends as played, the
 * filters). Each entry's distance is to the previous track (0 for the first).
 * Throws `unknown-track`, `usage` (fewer than 2 tracks, or the same track at
 * both ends) and `too-few-tracks` when the library cannot fill the path.
 */
export function pathBetween(space: SimilaritySpace, from: number, to: number, options: PlaylistOptions): PlaylistEntry[] {
  const [a, b] = [rowOfTrack(space, from), rowOfTrack(space, to)];
  const length = Math.floor(options.length);
  if (!(length >= 2)) throw new SonorityError('usage', `a path has at least 2 tracks (its two ends), not ${options.length}`);
  if (a === b) throw new SonorityError('usage', `a path needs two different tracks; track ${from} is at both ends`);
  const rows = [a, ...(length > 2 ? middleRows(space, a, b, length - 2, options) : []), b];
  return rows.map((row, i) => ({ trackId: space.trackIds[row]!, distance: i === 0 ? 0 : Math.sqrt(squaredRowDistance(space, rows[i - 1]!, row)) }));
}

import type { SpaceTrack } from './similarity-space.ts';

/** A name compared case- and space-insensitively (Unicode NFKC, lower case, no white space); null when nothing is left. */
export function normaliseName(name: string | null | undefined): string | null {
  const normalised = (name ?? '').normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
  return normalised === '' ? null : normalised;
}

/** Who made each track and which recording it is, as small integers for the query loops. */
export interface TrackIdentities {
  /** Normalised artist per row; −1 = unknown, equal to no other row's. */
  artistIds: Int32Array;
  /**
   * Recording per row: rows sharing a content key, or a normalised artist and
   * title, are one recording, and so on transitively (a copy of a copy is
   * the same recording).
   */
  recordingIds: Int32Array;
}

/** Finds each row's recording: a union–find over the rows sharing a key. */
function recordings(keysOfRows: (string | null)[][]): Int32Array {
  const parent = Int32Array.from(keysOfRows, (_, row) => row);
  const root = (row: number): number => {
    while (parent[row] !== row) row = parent[row] = parent[parent[row]!]!;
    return row;
  };
  const firstWithKey = new Map<string, number>();
  keysOfRows.forEach((keys, row) => {
    for (const key of keys) {
      if (key === null) continue;
      const first = firstWithKey.get(key);
      if (first === undefined) firstWithKey.set(key, row);
      else parent[root(row)] = root(first);
    }
  });
  return parent.map((_, row) => root(row));
}

/** The artists and recordings of `tracks`, in row order. */
export function identifyTracks(tracks: readonly SpaceTrack[]): TrackIdentities {
  const artists = new Map<string, number>();
  const keysOfRows = tracks.map((track) => {
    const artist = normaliseName(track.artist);
    const title = normaliseName(track.title);
    return [artist, track.contentKey ? `content\u0000${track.contentKey}` : null, artist !== null && title !== null ? `named\u0000${artist}\u0000${title}` : null];
  });
  const artistIds = Int32Array.from(keysOfRows, ([artist]) => {
    if (artist === null || artist === undefined) return -1;
    if (!artists.has(artist)) artists.set(artist, artists.size);
    return artists.get(artist)!;
  });
  return { artistIds, recordingIds: recordings(keysOfRows.map(([, content, named]) => [content ?? null, named ?? null])) };
}

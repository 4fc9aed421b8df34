import type { Db } from '../db/open-database.ts';
import type { Taxonomy } from '../taxonomy/taxonomy.ts';
import { libraryTracks } from '../review/library-rows.ts';
import { currentMusicnnVersion } from '../musicnn/model-metadata.ts';
import { createMapStore, type MapLayout } from './map-store.ts';

/** A point of the map with what it can be coloured by. */
export interface MapTrack {
  trackId: number;
  x: number;
  y: number;
  /** The file's first genre tag (canonical display name), or null when untagged. */
  genre: string | null;
  /** The experts' combined suggestion, or null when none speaks. */
  suggested: string | null;
  /** MusiCNN's danceability (0–1), or null without its analysis. */
  danceability: number | null;
  happy: boolean;
  relaxed: boolean;
  aggressive: boolean;
  /** A confident suggestion disagrees with the tags. */
  disputed: boolean;
  /** BPM, or null without descriptors. */
  tempo: number | null;
}

/** Each track's tempo from its descriptors (of `featureSet` when given, else any). */
function tempos(db: Db, featureSet: string | null): Map<number, number> {
  const rows = db.prepare(`SELECT track_id, MAX(tempo) FROM descriptors WHERE ? IS NULL OR feature_set = ? GROUP BY track_id`).raw().all(featureSet, featureSet) as Array<[number, number | null]>;
  return new Map(rows.filter(([, tempo]) => tempo !== null && Number.isFinite(tempo)) as Array<[number, number]>);
}

/**
 * The current map (the latest layout of the current MusiCNN model) with each
 * point's colouring facts from the library rows (`libraryTracks` with the
 * genre model `model`, or none): null layout and no tracks before any.
 * `genres` lists every genre a point names, sorted, so indexes into it
 * stay the same for every page of one layout.
 */
export function mapTracks(db: Db, model: { id: string; featureSet: string } | null, taxonomy: Taxonomy): { layout: MapLayout | null; tracks: MapTrack[]; genres: string[] } {
  const store = createMapStore(db);
  const layout = store.latest(currentMusicnnVersion().model);
  if (!layout) return { layout: null, tracks: [], genres: [] };
  const rows = new Map(libraryTracks(db, model?.id ?? null, taxonomy).map((row) => [row.id, row]));
  const tempo = tempos(db, model?.featureSet ?? null);
  const tracks = store.points(layout.id).flatMap(({ trackId, x, y }): MapTrack[] => {
    const row = rows.get(trackId);
    if (!row) return [];
    return [{
      trackId, x, y, genre: row.genres[0] ?? null, suggested: row.predicted, danceability: row.heads?.danceability ?? null,
      happy: row.moods.includes('happy'), relaxed: row.moods.includes('relaxed'), aggressive: row.moods.includes('aggressive'),
      disputed: row.status === 'disputed', tempo: tempo.get(trackId) ?? null,
    }];
  });
  const genres = [...new Set(tracks.flatMap((t) => [t.genre, t.suggested]).filter((g): g is string => g !== null))].sort();
  return { layout: { ...layout, tracks: tracks.length }, tracks, genres };
}

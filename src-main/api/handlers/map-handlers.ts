import { MAP_POINT_BYTES, type Handlers, type MapLayoutInfo } from '../contract.ts';
import { libraryChanged, libraryRevision, type ServiceContext } from '../context.ts';
import { SonorityError } from '../../core/errors.ts';
import { loadTaxonomy } from '../../core/taxonomy/taxonomy-file.ts';
import { decideTrack } from '../../core/review/decide-track.ts';
import { mapTracks, type MapTrack } from '../../core/map/map-tracks.ts';
import { updateMapInBackground } from '../../core/map/map-in-background.ts';

const NONE_U16 = 0xffff;
const NONE_U8 = 255;

/** The points packed as `MapPage.points` describes, `MAP_POINT_BYTES` each. */
export function packMapPoints(tracks: readonly MapTrack[], genres: readonly string[]): Uint8Array {
  const bytes = new Uint8Array(tracks.length * MAP_POINT_BYTES);
  const view = new DataView(bytes.buffer);
  const indexOf = new Map(genres.map((genre, i) => [genre, i]));
  tracks.forEach((t, i) => {
    const at = i * MAP_POINT_BYTES;
    view.setUint32(at, t.trackId, true);
    view.setFloat32(at + 4, t.x, true);
    view.setFloat32(at + 8, t.y, true);
    view.setUint16(at + 12, t.genre === null ? NONE_U16 : indexOf.get(t.genre)!, true);
    view.setUint16(at + 14, t.suggested === null ? NONE_U16 : indexOf.get(t.suggested)!, true);
    view.setUint8(at + 16, t.danceability === null ? NONE_U8 : Math.round(Math.min(Math.max(t.danceability, 0), 1) * 200));
    view.setUint8(at + 17, (t.happy ? 1 : 0) | (t.relaxed ? 2 : 0) | (t.aggressive ? 4 : 0) | (t.disputed ? 128 : 0));
    view.setUint16(at + 18, t.tempo === null ? 0 : Math.min(Math.round(t.tempo * 10), 0xffff), true);
  });
  return bytes;
}

/**
 * The library map: its points in packed pages, a full recompute in a worker,
 * one typed decision for a selection of tracks; and `refreshMap`, which
 * brings the map up to date in a worker (after a scan) and announces it
 * with a `map-changed` event. Map updates run one at a time.
 */
export function createMapHandlers(context: ServiceContext): Pick<Handlers, 'mapPoints' | 'mapRecompute' | 'decideMany'> & { refreshMap: (recompute?: boolean) => Promise<MapLayoutInfo | null> } {
  let cached: { key: string; layout: MapLayoutInfo | null; packed: Uint8Array; genres: string[]; total: number } | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let mapVersion = 0;
  const current = () => {
    const key = JSON.stringify([libraryRevision(context), mapVersion]);
    if (cached?.key !== key) {
      const metadata = context.model?.metadata ?? null;
      const { layout, tracks, genres } = mapTracks(context.db, metadata && { id: metadata.id, featureSet: metadata.featureSet }, loadTaxonomy(context.taxonomyPath));
      cached = { key, layout, packed: packMapPoints(tracks, genres), genres, total: tracks.length };
    }
    return cached;
  };
  const refreshMap = (recompute = false): Promise<MapLayoutInfo | null> => {
    const run = queue.then(async () => {
      const update = await updateMapInBackground({ databasePath: context.databasePath, recompute });
      if (update.action === 'unchanged' || update.action === 'no-embeddings') return update.layout;
      mapVersion++;
      if (update.layout) context.emit({ type: 'map-changed', layout: update.layout });
      return update.layout;
    });
    queue = run.catch(() => {});
    return run;
  };
  return {
    refreshMap,
    mapPoints: ({ offset, limit }) => {
      const { layout, packed, genres, total } = current();
      const start = Math.min(offset, total);
      const end = Math.min(start + limit, total);
      return { layout, total, offset: start, points: Buffer.from(packed.subarray(start * MAP_POINT_BYTES, end * MAP_POINT_BYTES)).toString('base64'), genres };
    },
    mapRecompute: async () => {
      const layout = await refreshMap(true);
      if (!layout) throw new SonorityError('no-embeddings', 'no track of this library has a MusiCNN analysis yet, so there is nothing to lay out; scan a folder first');
      return layout;
    },
    decideMany: ({ trackIds, genres }) => {
      const unique = [...new Set(trackIds)];
      const known = new Set(context.db.prepare(`SELECT id FROM tracks WHERE status = 'analysed' AND id IN (SELECT value FROM json_each(?))`).pluck().all(JSON.stringify(unique)) as number[]);
      const unknown = unique.filter((id) => !known.has(id));
      if (unknown.length > 0) {
        const named = `${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ` and ${unknown.length - 10} more` : ''}`;
        throw new SonorityError('not-in-library', `${unknown.length === 1 ? `track ${named} is not an analysed track` : `tracks ${named} are not analysed tracks`} of this library (removed since?); nothing was decided — reload the map`);
      }
      const taxonomy = loadTaxonomy(context.taxonomyPath);
      const model = context.model?.metadata ?? null;
      context.db.transaction(() => {
        for (const trackId of unique) decideTrack(context.db, trackId, { action: 'custom', genres }, model, taxonomy);
      })();
      libraryChanged(context);
      return { decided: unique.length };
    },
  };
}

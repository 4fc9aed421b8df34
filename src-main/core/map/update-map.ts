import type { Db } from '../db/open-database.ts';
import { readMapEmbeddings, type MapEmbeddings } from './map-embeddings.ts';
import { DEFAULT_SEED, fitLayout, UMAP_PARAMS } from './fit-layout.ts';
import { placeByNeighbours } from './place-by-neighbours.ts';
import { createMapStore, type MapLayout } from './map-store.ts';

/**
 * A full fit is redone instead of placing by neighbours once the placed
 * tracks would exceed this share of the fitted ones: beyond about a fifth,
 * new regions of the library (a genre the fit never saw) pile up on the
 * borders of old clusters instead of getting their own.
 */
export const REFIT_SHARE = 0.2;
/** Libraries smaller than this are always fitted whole (a fit takes a moment there). */
export const MIN_INCREMENTAL_TRACKS = 8;

/** What `updateMap` did: fitted the whole map, placed new tracks and/or removed gone ones, or nothing. */
export interface MapUpdate {
  layout: MapLayout | null;
  action: 'fitted' | 'updated' | 'unchanged' | 'no-embeddings';
}

/** Fits the whole map from `embeddings` and stores it. */
function fitAll(db: Db, embeddings: MapEmbeddings, seed: number): MapLayout {
  const started = performance.now();
  const xy = fitLayout(embeddings.vectors, seed);
  const seconds = (performance.now() - started) / 1000;
  const points = embeddings.trackIds.map((trackId, i) => ({ trackId, x: xy[i * 2]!, y: xy[i * 2 + 1]! }));
  return createMapStore(db).saveFit({ embedding: embeddings.model, seed, params: { ...UMAP_PARAMS, nNeighbors: Math.min(UMAP_PARAMS.nNeighbors, Math.max(points.length - 1, 0)) }, seconds, points });
}

/**
 * Brings the library map up to date with the tracks' MusiCNN embeddings:
 * with no layout of the current model (or `recompute`), fits the whole map;
 * otherwise removes the points of tracks no longer on it and places the new
 * ones by their nearest embedding neighbours, leaving every other point where
 * it is, unless the tracks placed that way since the fit would exceed
 * `REFIT_SHARE` of the fitted ones: then fits the whole map again.
 */
export function updateMap(db: Db, options: { recompute?: boolean; seed?: number; embeddings?: MapEmbeddings } = {}): MapUpdate {
  const embeddings = options.embeddings ?? readMapEmbeddings(db);
  const store = createMapStore(db);
  const current = store.latest(embeddings.model);
  if (embeddings.trackIds.length === 0) {
    if (current) store.update(current.id, [], store.points(current.id).map((p) => p.trackId));
    return { layout: current && store.latest(embeddings.model), action: current ? 'updated' : 'no-embeddings' };
  }
  const seed = options.seed ?? current?.seed ?? DEFAULT_SEED;
  if (!current || options.recompute) return { layout: fitAll(db, embeddings, seed), action: 'fitted' };
  const points = store.points(current.id);
  const onMap = new Set(points.map((p) => p.trackId));
  const wanted = new Set(embeddings.trackIds);
  const gone = points.filter((p) => !wanted.has(p.trackId)).map((p) => p.trackId);
  const fresh = embeddings.trackIds.flatMap((id, i) => (onMap.has(id) ? [] : [i]));
  if (gone.length === 0 && fresh.length === 0) return { layout: current, action: 'unchanged' };
  const kept = points.filter((p) => wanted.has(p.trackId));
  const fitted = kept.filter((p) => p.placed === 'fit').length;
  const placedAfter = kept.length - fitted + fresh.length;
  if (fitted < MIN_INCREMENTAL_TRACKS || placedAfter > REFIT_SHARE * fitted) return { layout: fitAll(db, embeddings, seed), action: 'fitted' };
  const indexOf = new Map(embeddings.trackIds.map((id, i) => [id, i]));
  const placedXy = Float32Array.from(kept.flatMap((p) => [p.x, p.y]));
  const xy = placeByNeighbours(kept.map((p) => embeddings.vectors[indexOf.get(p.trackId)!]!), placedXy, fresh.map((i) => embeddings.vectors[i]!));
  store.update(current.id, fresh.map((i, n) => ({ trackId: embeddings.trackIds[i]!, x: xy[n * 2]!, y: xy[n * 2 + 1]! })), gone);
  return { layout: store.latest(embeddings.model), action: 'updated' };
}

import type { Db } from '../db/open-database.ts';

/** A stored layout, as the API shows it (`MapLayoutInfo`). */
export interface MapLayout {
  id: number;
  /** The embedding model whose track means are laid out (MusiCNN's id). */
  embedding: string;
  method: 'umap';
  seed: number;
  /** Tracks on the map. */
  tracks: number;
  /** Tracks placed by their nearest neighbours since the last full fit (a full recompute comes once they pass `REFIT_SHARE` of the fitted ones). */
  placedSinceFit: number;
  computedAt: string;
  /** Seconds the last full fit took. */
  seconds: number;
}

/** One track's position in a layout. */
export interface MapPoint {
  trackId: number;
  x: number;
  y: number;
  placed: 'fit' | 'neighbours';
}

/** A full fit to store: the layout's description and every track's position. */
export interface FittedLayout {
  embedding: string;
  seed: number;
  params: Record<string, number>;
  seconds: number;
  points: Array<{ trackId: number; x: number; y: number }>;
}

/**
 * The map tables (migration 012): the latest layout of an embedding model,
 * its points (only tracks still analysed), storing a full fit (replacing
 * older layouts of the model), adding neighbour-placed points and removing
 * points of tracks that left the map.
 */
export function createMapStore(db: Db) {
  const latestRow = db.prepare(`SELECT id, embedding, method, seed, computed_at AS computedAt, seconds,
      (SELECT COUNT(*) FROM map_points p JOIN tracks t ON t.id = p.track_id WHERE p.layout_id = l.id AND t.status = 'analysed') AS tracks,
      (SELECT COUNT(*) FROM map_points p JOIN tracks t ON t.id = p.track_id WHERE p.layout_id = l.id AND t.status = 'analysed' AND p.placed = 'neighbours') AS placedSinceFit
    FROM map_layouts l WHERE embedding = ? ORDER BY id DESC LIMIT 1`);
  const pointRows = db.prepare(`SELECT p.track_id AS trackId, p.x, p.y, p.placed FROM map_points p JOIN tracks t ON t.id = p.track_id
    WHERE p.layout_id = ? AND t.status = 'analysed' ORDER BY p.track_id`);
  const insertPoint = db.prepare('INSERT OR REPLACE INTO map_points (layout_id, track_id, x, y, placed) VALUES (?, ?, ?, ?, ?)');
  const latest = (embedding: string): MapLayout | null => (latestRow.get(embedding) as MapLayout | undefined) ?? null;
  return {
    /** The newest layout of embedding model `embedding`, or null when none was computed. */
    latest,
    /** The points of layout `layoutId` whose tracks are still analysed, in track id order. */
    points(layoutId: number): MapPoint[] {
      return pointRows.all(layoutId) as MapPoint[];
    },
    /** Stores a full fit as the model's layout (older layouts of the model go) and returns it. */
    saveFit(fit: FittedLayout): MapLayout {
      return db.transaction(() => {
        db.prepare('DELETE FROM map_layouts WHERE embedding = ?').run(fit.embedding);
        const { lastInsertRowid } = db.prepare(`INSERT INTO map_layouts (embedding, method, seed, params, computed_at, seconds, fitted_tracks) VALUES (?, 'umap', ?, ?, ?, ?, ?)`)
          .run(fit.embedding, fit.seed, JSON.stringify(fit.params), new Date().toISOString(), fit.seconds, fit.points.length);
        for (const point of fit.points) insertPoint.run(lastInsertRowid, point.trackId, point.x, point.y, 'fit');
        return latest(fit.embedding)!;
      })();
    },
    /** Adds neighbour-placed points to layout `layoutId` and removes the points of `gone` tracks, in one transaction. */
    update(layoutId: number, placed: Array<{ trackId: number; x: number; y: number }>, gone: number[]): void {
      const remove = db.prepare('DELETE FROM map_points WHERE layout_id = ? AND track_id = ?');
      db.transaction(() => {
        for (const trackId of gone) remove.run(layoutId, trackId);
        for (const point of placed) insertPoint.run(layoutId, point.trackId, point.x, point.y, 'neighbours');
      })();
    },
  };
}

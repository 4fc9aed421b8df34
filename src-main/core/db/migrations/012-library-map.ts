/**
 * Migration 012 — frozen: never edit; add a new numbered migration instead.
 *
 * The library map: a 2-D layout of the tracks' MusiCNN mean embeddings.
 * `map_layouts` holds one row per full fit (the embedding model laid out,
 * the method, its seed and parameters, when and how long it took, how many
 * tracks the fit placed); `map_points` each track's position in a layout and
 * how it got there: `fit` by the full fit, `neighbours` placed later from its
 * nearest embedding neighbours without moving the rest. A removed track's
 * point goes with its row. (`IF NOT EXISTS`: a database whose schema version
 * was set back, as a test of migration 011 does, keeps its tables.)
 */
export const sql = `
CREATE TABLE IF NOT EXISTS map_layouts (
  id             INTEGER PRIMARY KEY,
  embedding      TEXT    NOT NULL,
  method         TEXT    NOT NULL,
  seed           INTEGER NOT NULL,
  params         TEXT    NOT NULL,
  computed_at    TEXT    NOT NULL,
  seconds        REAL    NOT NULL,
  fitted_tracks  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS map_points (
  layout_id      INTEGER NOT NULL REFERENCES map_layouts(id) ON DELETE CASCADE,
  track_id       INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
  x              REAL    NOT NULL,
  y              REAL    NOT NULL,
  placed         TEXT    NOT NULL CHECK (placed IN ('fit', 'neighbours')),
  PRIMARY KEY (layout_id, track_id)
);
`;

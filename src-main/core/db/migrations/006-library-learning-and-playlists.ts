/**
 * Migration 006 — frozen: never edit; add a new numbered migration instead.
 *
 * Library learning: which tags the user trusts (rules on a track, a folder or
 * a genre), the classifier trained on them for the user's own genres, and its
 * opinion of each track (out-of-fold for the tracks it learned from), with the
 * base model and feature set it was trained on.
 *
 * Playlists: saved feature-based playlists, their recipe (seeds, length,
 * filters, weights) and their tracks in order.
 */
export const sql = `
CREATE TABLE trust_rules (
  id         INTEGER PRIMARY KEY,
  kind       TEXT    NOT NULL CHECK (kind IN ('track', 'folder', 'genre')),
  target     TEXT    NOT NULL,
  track_id   INTEGER REFERENCES tracks(id) ON DELETE CASCADE,
  trusted    INTEGER NOT NULL CHECK (trusted IN (0, 1)),
  created_at TEXT    NOT NULL,
  UNIQUE (kind, target),
  CHECK ((kind = 'track') = (track_id IS NOT NULL))
);

CREATE TABLE library_models (
  id            TEXT PRIMARY KEY,
  base_model_id TEXT NOT NULL,
  feature_set   TEXT NOT NULL,
  genres        TEXT NOT NULL,
  summary       TEXT NOT NULL,
  trained_at    TEXT NOT NULL
);

CREATE TABLE library_opinions (
  track_id              INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
  library_model_id      TEXT    NOT NULL REFERENCES library_models(id) ON DELETE CASCADE,
  feature_set           TEXT    NOT NULL,
  given_genre           TEXT,
  probabilities         BLOB    NOT NULL,
  out_of_fold           INTEGER NOT NULL,
  doubt                 REAL,
  flagged               INTEGER NOT NULL,
  suggested             TEXT    NOT NULL,
  suggested_probability REAL    NOT NULL,
  PRIMARY KEY (library_model_id, track_id)
) WITHOUT ROWID;

CREATE TABLE playlists (
  id          INTEGER PRIMARY KEY,
  name        TEXT    NOT NULL UNIQUE COLLATE NOCASE,
  recipe      TEXT    NOT NULL,
  feature_set TEXT    NOT NULL,
  model_id    TEXT,
  created_at  TEXT    NOT NULL,
  updated_at  TEXT    NOT NULL
);

CREATE TABLE playlist_tracks (
  playlist_id INTEGER NOT NULL REFERENCES playlists(id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  track_id    INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
  distance    REAL    NOT NULL,
  PRIMARY KEY (playlist_id, position)
) WITHOUT ROWID;
CREATE INDEX playlist_tracks_by_track ON playlist_tracks(track_id);
`;

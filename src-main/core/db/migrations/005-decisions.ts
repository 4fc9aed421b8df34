/**
 * Migration 005 — frozen: never edit; add a new numbered migration instead.
 * Review decisions: what a person (or a batch rule) decided for a track's
 * genres, with who, when and the model whose prediction was on screen. The
 * latest decision of a track counts; it is applied once a journal entry has
 * written its genres after it.
 */
export const sql = `
CREATE TABLE decisions (
  id         INTEGER PRIMARY KEY,
  track_id   INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
  action     TEXT    NOT NULL CHECK (action IN ('accept', 'choose', 'custom', 'keep', 'skip')),
  genres     TEXT    NOT NULL,
  model_id   TEXT,
  decided_by TEXT    NOT NULL,
  decided_at TEXT    NOT NULL
);
CREATE INDEX decisions_by_track ON decisions(track_id, id);
`;

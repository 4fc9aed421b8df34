/**
 * Migration 004 — frozen: never edit; add a new numbered migration instead.
 * Tag writes: each batch (a `tag`, `apply` or `undo` run) and a journal entry
 * per file, written before the file is replaced, with what undo needs to
 * restore it byte for byte: the bytes that differ (`old_middle`, found at
 * `prefix_length` in place of `new_middle_length` bytes) and hashes of the
 * whole file before and after.
 */
export const sql = `
CREATE TABLE write_batches (
  id          INTEGER PRIMARY KEY,
  command     TEXT    NOT NULL,
  started_at  TEXT    NOT NULL,
  finished_at TEXT,
  status      TEXT    NOT NULL CHECK (status IN ('running', 'completed', 'interrupted')),
  pid         INTEGER NOT NULL,
  undoes      INTEGER REFERENCES write_batches(id)
);

CREATE TABLE journal (
  id                INTEGER PRIMARY KEY,
  batch_id          INTEGER NOT NULL REFERENCES write_batches(id),
  track_id          INTEGER REFERENCES tracks(id) ON DELETE SET NULL,
  path              TEXT    NOT NULL,
  old_genres        TEXT    NOT NULL,
  new_genres        TEXT    NOT NULL,
  model_id          TEXT,
  prefix_length     INTEGER NOT NULL,
  old_middle        BLOB    NOT NULL,
  new_middle_length INTEGER NOT NULL,
  before_sha256     TEXT    NOT NULL,
  after_sha256      TEXT    NOT NULL,
  before_mtime_ms   REAL    NOT NULL,
  state             TEXT    NOT NULL CHECK (state IN ('pending', 'written', 'not-written', 'undone')),
  created_at        TEXT    NOT NULL,
  settled_at        TEXT
);
CREATE INDEX journal_by_batch ON journal(batch_id);
CREATE INDEX journal_by_state ON journal(state);
`;

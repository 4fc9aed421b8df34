/** Migration 001 — frozen: never edit; add a new numbered migration instead. */
export const sql = `
CREATE TABLE scans (
  id            INTEGER PRIMARY KEY,
  root          TEXT    NOT NULL,
  started_at    TEXT    NOT NULL,
  finished_at   TEXT,
  status        TEXT    NOT NULL CHECK (status IN ('running', 'completed', 'cancelled', 'interrupted')),
  pid           INTEGER NOT NULL,
  found         INTEGER NOT NULL DEFAULT 0,
  analysed      INTEGER NOT NULL DEFAULT 0,
  skipped       INTEGER NOT NULL DEFAULT 0,
  failed        INTEGER NOT NULL DEFAULT 0,
  moved         INTEGER NOT NULL DEFAULT 0,
  gone          INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE tracks (
  id               INTEGER PRIMARY KEY,
  path             TEXT    NOT NULL UNIQUE,
  size             INTEGER NOT NULL,
  mtime_ms         REAL    NOT NULL,
  fingerprint      TEXT    NOT NULL,
  container        TEXT    NOT NULL,
  codec            TEXT,
  sample_rate      INTEGER,
  channels         INTEGER,
  bitrate          INTEGER,
  artist           TEXT,
  album_artist     TEXT,
  album            TEXT,
  title            TEXT,
  track_no         INTEGER,
  disc_no          INTEGER,
  year             INTEGER,
  tag_duration_sec REAL,
  status           TEXT    NOT NULL CHECK (status IN ('pending', 'analysed', 'failed', 'gone')),
  last_seen_scan   INTEGER REFERENCES scans(id),
  added_at         TEXT    NOT NULL,
  updated_at       TEXT    NOT NULL
);
CREATE INDEX tracks_by_content ON tracks(size, fingerprint);
CREATE INDEX tracks_by_status ON tracks(status);

CREATE TABLE track_genres (
  track_id INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  genre    TEXT    NOT NULL,
  PRIMARY KEY (track_id, position)
) WITHOUT ROWID;
CREATE INDEX track_genres_by_genre ON track_genres(genre);

CREATE TABLE analyses (
  track_id     INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
  feature_set  TEXT    NOT NULL,
  analysed_at  TEXT    NOT NULL,
  sample_rate  INTEGER NOT NULL,
  sample_count INTEGER NOT NULL,
  duration_sec REAL    NOT NULL,
  rms          REAL    NOT NULL,
  peak         REAL    NOT NULL,
  PRIMARY KEY (track_id, feature_set)
) WITHOUT ROWID;

CREATE TABLE failures (
  path           TEXT    PRIMARY KEY,
  track_id       INTEGER REFERENCES tracks(id) ON DELETE SET NULL,
  stage          TEXT    NOT NULL,
  code           TEXT    NOT NULL,
  message        TEXT    NOT NULL,
  size           INTEGER,
  mtime_ms       REAL,
  last_seen_scan INTEGER REFERENCES scans(id),
  failed_at      TEXT    NOT NULL
);
`;

/**
 * Migration 002 — frozen: never edit; add a new numbered migration instead.
 * Descriptors of the analysed 30-second windows and 3-second frames of a
 * track, per feature-set version: float32 little-endian matrices (one row of
 * 57 values per window or frame, GTZAN column order) and int32 start offsets
 * in samples at 22050 Hz.
 */
export const sql = `
CREATE TABLE descriptors (
  track_id      INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
  feature_set   TEXT    NOT NULL,
  window_starts BLOB    NOT NULL,
  windows       BLOB    NOT NULL,
  frame_starts  BLOB    NOT NULL,
  frames        BLOB    NOT NULL,
  tempo         REAL    NOT NULL,
  PRIMARY KEY (track_id, feature_set)
) WITHOUT ROWID;
`;

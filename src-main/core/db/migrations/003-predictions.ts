/**
 * Migration 003 — frozen: never edit; add a new numbered migration instead.
 * Genre predictions per track and model: calibrated probabilities (float32,
 * class order in `labels`), per-window probabilities (the timeline) with the
 * windows' start offsets, the embedding, and the decisions drawn from them.
 */
export const sql = `
CREATE TABLE predictions (
  track_id             INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
  model_id             TEXT    NOT NULL,
  feature_set          TEXT    NOT NULL,
  labels               TEXT    NOT NULL,
  probabilities        BLOB    NOT NULL,
  window_starts        BLOB    NOT NULL,
  window_probabilities BLOB    NOT NULL,
  embedding            BLOB    NOT NULL,
  top_label            TEXT    NOT NULL,
  top_probability      REAL    NOT NULL,
  ambiguous            INTEGER NOT NULL,
  ood_score            REAL    NOT NULL,
  out_of_distribution  INTEGER NOT NULL,
  confident            INTEGER NOT NULL,
  predicted_at         TEXT    NOT NULL,
  PRIMARY KEY (track_id, model_id)
) WITHOUT ROWID;
CREATE INDEX predictions_by_confidence ON predictions(model_id, confident, top_probability);
`;

/**
 * Migration 009 — frozen: never edit; add a new numbered migration instead.
 *
 * The mean of each MusiCNN analysis's patch embeddings (200 little-endian
 * float16 values), stored beside the patches so that the playlist space reads
 * 400 bytes a track instead of the whole patch sequence. One row per row of
 * `musicnn` that has a patch, deleted with it; rows analysed before this
 * migration have none, and readers average their patches instead.
 */
export const sql = `
CREATE TABLE musicnn_means (
  track_id       INTEGER NOT NULL,
  model          TEXT    NOT NULL,
  embedding      BLOB    NOT NULL,
  PRIMARY KEY (track_id, model),
  FOREIGN KEY (track_id, model) REFERENCES musicnn(track_id, model) ON DELETE CASCADE
);
`;

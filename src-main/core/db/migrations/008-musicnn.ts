/**
 * Migration 008 — frozen: never edit; add a new numbered migration instead.
 *
 * The MusiCNN analysis of a track, one row per track and model, versioned by
 * the model id (`msd-musicnn-1`) and the input version (`musicnn-input-v1`).
 * Positions are int32 counts of 16 kHz samples from the start of the track
 * (a patch starts at the centre of its first frame); `window_patches` counts
 * each window's patches, in order, so patch i belongs to the window whose
 * running count first exceeds i. Probabilities are one byte each,
 * round(255·p); the embedding is little-endian float16, `patches × 200`.
 * `tags` holds the track mean of the 50 tags, `window_tags` each window's
 * mean (`windows × 50`: the timeline), `heads` the track mean of danceable,
 * aggressive, happy and relaxed, `patch_heads` them per patch. A track with
 * no patch (under about 3 s) has `patches` 0 and NULL outputs: MusiCNN
 * abstains, and the row records that it was analysed.
 */
export const sql = `
CREATE TABLE musicnn (
  track_id       INTEGER NOT NULL REFERENCES tracks(id) ON DELETE CASCADE,
  model          TEXT    NOT NULL,
  input_version  TEXT    NOT NULL,
  runtime        TEXT,
  analysed_at    TEXT    NOT NULL,
  patches        INTEGER NOT NULL,
  window_starts  BLOB    NOT NULL,
  window_patches BLOB    NOT NULL,
  patch_starts   BLOB    NOT NULL,
  tags           BLOB,
  window_tags    BLOB,
  heads          BLOB,
  patch_heads    BLOB,
  embeddings     BLOB,
  PRIMARY KEY (track_id, model),
  CHECK ((patches = 0) = (tags IS NULL))
);
`;

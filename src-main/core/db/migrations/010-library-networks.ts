/**
 * Migration 010 — frozen: never edit; add a new numbered migration instead.
 *
 * Library learning's CRNN, kept so tracks scanned after training get the
 * library's opinion without retraining: per library model, the learner that
 * made it, and for the CRNN the MusiCNN model whose patch embeddings it
 * reads, its network (input scaler and GRU weights, little-endian float32 in
 * the order `library-network.ts` writes), and its calibration (JSON:
 * temperature, trusted examples and confident-learning threshold per
 * genre, and the GRU's units). A library opinion records whether it
 * abstained (out of distribution) and whether a scan made it
 * (the track was not in the library when the model was trained).
 */
export const sql = `
ALTER TABLE library_models ADD COLUMN learner TEXT NOT NULL DEFAULT 'regression';

CREATE TABLE library_networks (
  library_model_id TEXT PRIMARY KEY REFERENCES library_models(id) ON DELETE CASCADE,
  musicnn_model    TEXT NOT NULL,
  network          BLOB NOT NULL,
  calibration      TEXT NOT NULL
);

ALTER TABLE library_opinions ADD COLUMN abstained INTEGER NOT NULL DEFAULT 0;
ALTER TABLE library_opinions ADD COLUMN at_scan INTEGER NOT NULL DEFAULT 0;
`;

/**
 * Migration 007 — frozen: never edit; add a new numbered migration instead.
 *
 * Journal entries record, before their file is replaced, the temporary file
 * the new version is written to first (so the temporary file a killed write
 * leaves can be removed, and only that one), and the file's modification time
 * in nanoseconds (so undo restores it exactly, not to the millisecond).
 * Nanoseconds since the epoch are kept as decimal text: a REAL cannot hold
 * them, and SQLite integers reach JavaScript only as doubles.
 */
export const sql = `
ALTER TABLE journal ADD COLUMN temp_path TEXT;
ALTER TABLE journal ADD COLUMN before_mtime_ns TEXT;
`;

/**
 * Migration 011 — frozen: never edit; add a new numbered migration instead.
 *
 * A journal entry may keep the old bytes of a leading region of its file
 * apart (`old_head`, from byte 0, where the new version has
 * `new_head_length` bytes): a WAV or AIFF whose tag chunk after the audio is
 * rewritten also changes its form size at byte 4 (and maybe an INFO list
 * before the audio), and one region from there to the tag would hold the
 * whole audio. `old_middle` then starts after the shared bytes that follow
 * the head. Entries written before have no head: null and 0.
 */
export const sql = `
ALTER TABLE journal ADD COLUMN old_head BLOB;
ALTER TABLE journal ADD COLUMN new_head_length INTEGER NOT NULL DEFAULT 0;
`;

import { createHash } from 'node:crypto';

/** How to turn the new bytes of a file back into the old ones: the old bytes of the one region that differs. */
export interface BytePatch {
  /** Bytes both versions share at the start. */
  prefixLength: number;
  /** The old bytes between the shared start and the shared end. */
  oldMiddle: Uint8Array;
  /** How many bytes the new version has there instead. */
  newMiddleLength: number;
}

/** SHA-256 of some bytes, hex. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The patch that restores `before` from `after`: the longest shared start and
 * end, and the old bytes between them. A tag rewrite changes one region (the
 * tag at the start, or `moov` at the end), so the patch is about the size of
 * the tag, not of the file.
 */
export function reversePatch(before: Uint8Array, after: Uint8Array): BytePatch {
  const limit = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < limit && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < limit - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  return { prefixLength: prefix, oldMiddle: before.slice(prefix, before.length - suffix), newMiddleLength: after.length - suffix - prefix };
}

/** Applies a reverse patch to the new bytes, giving the old ones back. */
export function applyReversePatch(after: Uint8Array, patch: BytePatch): Buffer {
  return Buffer.concat([after.subarray(0, patch.prefixLength), patch.oldMiddle, after.subarray(patch.prefixLength + patch.newMiddleLength)]);
}

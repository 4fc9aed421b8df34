import { createHash } from 'node:crypto';

/**
 * How to turn the new bytes of a file back into the old ones: the old bytes
 * of the region that differs and, when two regions differ with shared bytes
 * between them (a WAV's or AIFF's form size and INFO list before the audio,
 * its tag chunk after it), of the leading one apart.
 */
export interface BytePatch {
  /** The old bytes of the leading region (from byte 0), or null when there is none: one region differs (and in entries older versions wrote). */
  oldHead: Uint8Array | null;
  /** How many bytes the new version has in place of `oldHead` (0 without one). */
  newHeadLength: number;
  /** Where the differing region starts in the new version: the bytes from `newHeadLength` to here are shared. */
  prefixLength: number;
  /** The old bytes between the shared start and the shared end. */
  oldMiddle: Uint8Array;
  /** How many bytes the new version has there instead. */
  newMiddleLength: number;
}

/** Bytes searched for in the new version to find where the old version's bytes between two regions went. */
const PROBE_LENGTH = 64;
/** A differing region smaller than this is kept whole: splitting it could not save much. */
const SPLIT_FROM = 4096;

/** SHA-256 of some bytes, hex. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Where the versions differ: the old bytes `[oldStart, oldEnd)` became the new `[newStart, newEnd)`. */
interface Region { oldStart: number; oldEnd: number; newStart: number; newEnd: number }

/** The one region between the longest shared start and end. */
function differingRegion(before: Uint8Array, after: Uint8Array): Region {
  const limit = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < limit && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < limit - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  return { oldStart: prefix, oldEnd: before.length - suffix, newStart: prefix, newEnd: after.length - suffix };
}

/**
 * The run of bytes both versions share through `before[at, at +
 * PROBE_LENGTH)`, found at the first place inside `region` where the new
 * version has those bytes and extended back as far as both agree and ahead
 * to the end of `region`; null when the new version lacks them there.
 */
function sharedRunThrough(before: Uint8Array, after: Uint8Array, region: Region, at: number): Region | null {
  const probe = before.subarray(at, at + PROBE_LENGTH);
  const found = Buffer.from(after.buffer, after.byteOffset + region.newStart, region.newEnd - region.newStart).indexOf(probe);
  if (found < 0) return null;
  const to = region.newStart + found;
  let back = 0;
  while (back < Math.min(at, to) && before[at - 1 - back] === after[to - 1 - back]) back++;
  let ahead = 0;
  while (ahead < Math.min(region.oldEnd - at, region.newEnd - to) && before[at + ahead] === after[to + ahead]) ahead++;
  return { oldStart: at - back, oldEnd: at + ahead, newStart: to - back, newEnd: to + ahead };
}

/** A way to split the differing bytes: a leading region of `oldHead` old and `newHead` new bytes from byte 0, then `middle`. */
interface Split { oldHead: number; newHead: number; middle: Region }

/**
 * The patch that restores `before` from `after`: the longest shared start and
 * end, and the old bytes between them. A tag rewrite changes one region (the
 * tag at the start, or `moov` at the end), so the patch is about the size of
 * the tag, not of the file. When the region is large, the shared bytes
 * inside it (the audio between a WAV's or AIFF's header and a tag chunk after
 * the audio: the form size at byte 4 changes with the tag) are looked for at
 * a quarter, half and three quarters of it; the patch then keeps the old bytes
 * before and after the run that leaves the fewest, when that is fewer. The
 * patch is exact whatever is found: only its size depends on the search.
 */
export function reversePatch(before: Uint8Array, after: Uint8Array): BytePatch {
  const region = differingRegion(before, after);
  const cost = (split: Split) => split.oldHead + split.middle.oldEnd - split.middle.oldStart;
  let best: Split = { oldHead: 0, newHead: 0, middle: region };
  const oldLength = region.oldEnd - region.oldStart;
  if (oldLength >= SPLIT_FROM && region.newEnd - region.newStart >= PROBE_LENGTH) {
    let found: Region | null = null;
    for (const fraction of [0.25, 0.5, 0.75]) {
      const at = region.oldStart + Math.floor((oldLength - PROBE_LENGTH) * fraction);
      if (found && at >= found.oldStart && at + PROBE_LENGTH <= found.oldEnd) continue; // the run found already holds these bytes
      found = sharedRunThrough(before, after, region, at);
      if (!found) continue;
      const split = { oldHead: found.oldStart, newHead: found.newStart, middle: { oldStart: found.oldEnd, oldEnd: region.oldEnd, newStart: found.newEnd, newEnd: region.newEnd } };
      if (cost(split) < cost(best)) best = split;
    }
  }
  const { oldHead, newHead, middle } = best;
  return {
    oldHead: oldHead > 0 || newHead > 0 ? before.slice(0, oldHead) : null, newHeadLength: newHead,
    prefixLength: middle.newStart, oldMiddle: before.slice(middle.oldStart, middle.oldEnd), newMiddleLength: middle.newEnd - middle.newStart,
  };
}

/** Applies a reverse patch to the new bytes, giving the old ones back (one new buffer the size of the old file). */
export function applyReversePatch(after: Uint8Array, patch: BytePatch): Buffer {
  const parts = [patch.oldHead ?? new Uint8Array(0), after.subarray(patch.newHeadLength, patch.prefixLength), patch.oldMiddle, after.subarray(patch.prefixLength + patch.newMiddleLength)];
  return Buffer.concat(parts);
}

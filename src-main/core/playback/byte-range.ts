/** The answer to a `Range` header over a resource of known size: all of it, one inclusive byte range, or nothing (416). */
export type RangeAnswer = { kind: 'whole' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

/**
 * Reads a `Range` header (RFC 9110 §14.2) against a resource of `size` bytes:
 * `bytes=a-b` (the end clamped to the last byte), `bytes=a-` (to the end) or
 * `bytes=-n` (the last n bytes). A range starting at or past the end, or an
 * empty suffix, is unsatisfiable. No header, another unit, several ranges or
 * bad syntax (`a-b` with b < a included) are ignored and get the whole
 * resource, as the RFC lets a server do.
 */
export function parseRange(header: string | null | undefined, size: number): RangeAnswer {
  const match = SINGLE_RANGE.exec(header?.trim() ?? '');
  if (!match) return { kind: 'whole' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'whole' };
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Number(last);
  if (end < start) return last === '' ? { kind: 'unsatisfiable' } : { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: Math.min(end, size - 1) };
}

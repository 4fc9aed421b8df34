/** Current time as an ISO-8601 UTC string, the format of every timestamp column. */
export function nowIso(): string {
  return new Date().toISOString();
}

/** SQL range bounds selecting every path strictly below folder `root`. */
export function pathsUnder(root: string): { from: string; to: string } {
  const base = root.endsWith('/') || root.endsWith('\\') ? root.slice(0, -1) : root;
  const separator = root.includes('\\') && !root.includes('/') ? '\\' : '/';
  return { from: base + separator, to: base + String.fromCharCode(separator.charCodeAt(0) + 1) };
}

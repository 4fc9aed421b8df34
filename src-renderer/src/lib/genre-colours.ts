/**
 * One colour per genre, the same on every track and in every timeline, so
 * Jazz is amber wherever it appears. The broad genres people meet most have
 * hand-picked colours, spread over the hue circle with related genres close
 * (Rock and Metal, Soul and R&B); any other genre gets a hue from its name.
 * Timelines always name their genres too: colour is never the only cue.
 */
const FIXED: Record<string, string> = {
  rock: 'oklch(0.62 0.17 28)',
  metal: 'oklch(0.46 0.13 20)',
  pop: 'oklch(0.74 0.15 350)',
  electronic: 'oklch(0.68 0.13 225)',
  disco: 'oklch(0.8 0.12 185)',
  'hip-hop': 'oklch(0.58 0.17 300)',
  'r&b': 'oklch(0.6 0.15 325)',
  soul: 'oklch(0.66 0.14 45)',
  funk: 'oklch(0.82 0.15 105)',
  jazz: 'oklch(0.76 0.14 75)',
  blues: 'oklch(0.52 0.14 262)',
  classical: 'oklch(0.86 0.06 95)',
  country: 'oklch(0.6 0.1 60)',
  folk: 'oklch(0.63 0.1 125)',
  reggae: 'oklch(0.7 0.17 145)',
  latin: 'oklch(0.7 0.16 12)',
  world: 'oklch(0.64 0.1 165)',
  experimental: 'oklch(0.55 0.04 250)',
  'new age': 'oklch(0.78 0.07 280)',
};

/** A stable hue from a name (FNV-1a), for genres without a fixed colour. */
function hueOf(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % 360;
}

/** The colour of a genre (by its display name, any case). */
export function genreColour(genre: string): string {
  const key = genre.trim().toLowerCase();
  return FIXED[key] ?? `oklch(0.68 0.1 ${hueOf(key)})`;
}

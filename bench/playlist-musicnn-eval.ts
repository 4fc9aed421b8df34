/**
 * Does MusiCNN's embedding help the playlist similarity (`npm run
 * eval:playlists-musicnn`)? On real audio analysed by the real scan (cached in
 * .cache/playlist-musicnn/): the 24 songs, the recordings and the 70 GTZAN
 * clips whose genre `opinionFiles` knows (the list the opinion evaluation
 * uses, with its reasons), labelled by broad genre through the taxonomy
 * (Salsa → Latin). Broad-genre precision@5 of each track's nearest other-artist
 * neighbours, per space, against random; over every labelled track, without
 * the 62 classical excerpts (which would otherwise dominate), and on the songs
 * and recordings alone (no GTZAN audio: the genre model's embedding is not
 * leaky there). Queries are the tracks whose broad genre another artist's
 * track shares. Deterministic given the cache; prints markdown.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../src-main/core/db/open-database.ts';
import { readTrackFeatures } from '../src-main/core/db/track-features.ts';
import { readMusicnnMeans } from '../src-main/core/db/musicnn-means.ts';
import { currentMusicnnVersion } from '../src-main/core/musicnn/model-metadata.ts';
import { readModelMetadata } from '../src-main/core/model/model-files.ts';
import { loadTaxonomy } from '../src-main/core/taxonomy/taxonomy-file.ts';
import { broaderGenres } from '../src-main/core/taxonomy/taxonomy.ts';
import { buildSimilaritySpace, DEFAULT_SPACE_WEIGHTS, type SpaceTrack, type SpaceWeights } from '../src-main/core/playlists/similarity-space.ts';
import { neighbourPrecision } from '../src-main/core/playlists/neighbour-precision.ts';
import { opinionFiles } from './opinion-files.ts';
import { analyseSharedLibrary, CACHE, DATA } from './shared-library.ts';

const K = 5;
const taxonomy = loadTaxonomy();
const broad = (genre: string) => broaderGenres(taxonomy, genre).at(-1) ?? genre;


/** The labelled files of `opinionFiles` (genre known, music) by their cached copy's folder and name. */
const LABELLED = new Map(opinionFiles(DATA).filter((f) => f.genre !== null).map((f) => {
  const folder = f.group === 'gtzan-clip' ? 'gtzan' : path.basename(path.dirname(f.file));
  return [`${folder}/${path.basename(f.file)}`, f] as const;
}));

/** Group, broad genre and artist of a scanned file; null where `opinionFiles` knows no genre (non-music, or a genre it cannot tell). */
function labelOf(file: string): { group: 'song' | 'recording' | 'gtzan' | 'excerpt'; genre: string; artist: string | null } | null {
  const known = LABELLED.get(`${path.basename(path.dirname(file))}/${path.basename(file)}`);
  if (!known) return null;
  const group = known.group === 'gtzan-clip' ? (known.file.endsWith('.first15s.flac') ? 'excerpt' : 'gtzan') : known.group;
  return { group, genre: broad(known.genre!), artist: known.artist };
}

fs.mkdirSync(CACHE, { recursive: true });
const dbFile = path.join(CACHE, 'library.db');
analyseSharedLibrary(dbFile);
const db = openDatabase(dbFile, { access: 'read' });
const base = readModelMetadata();
const musicnn = readMusicnnMeans(db, currentMusicnnVersion());
const tracks = readTrackFeatures(db, base).flatMap((t) => {
  const label = labelOf(t.path);
  return label ? [{ ...label, track: { ...t, artist: label.artist, title: path.basename(t.path), musicnn: musicnn.get(t.trackId) ?? null, genres: [] } satisfies SpaceTrack }] : [];
});
db.close();

const descriptorsOnly = { embedding: 0, musicnn: 0 };
const only = (block: keyof SpaceWeights): SpaceWeights => ({ timbre: 0, spectrum: 0, harmony: 0, tempo: 0, embedding: 0, musicnn: 0, [block]: 1 });
const VARIANTS: [string, Partial<SpaceWeights>][] = [
  ['descriptors (timbre 1, spectrum 1, harmony 1, tempo 0.25)', descriptorsOnly],
  ['MusiCNN embedding alone', only('musicnn')],
  ['genre model embedding alone (leaky on GTZAN audio)', only('embedding')],
  ...[0.5, 1, 2, 3, 6].map((w): [string, Partial<SpaceWeights>] => [`descriptors + MusiCNN ${w}`, { embedding: 0, musicnn: w }]),
  [`descriptors + genre model ${DEFAULT_SPACE_WEIGHTS.embedding} (the previous default)`, { musicnn: 0 }],
  ...[0.5, 1, 2, 3, 6].map((w): [string, Partial<SpaceWeights>] => [`descriptors + genre model ${DEFAULT_SPACE_WEIGHTS.embedding} + MusiCNN ${w}${w === DEFAULT_SPACE_WEIGHTS.musicnn ? ' (default)' : ''}`, { musicnn: w }]),
];
const GROUPS: [string, (t: (typeof tracks)[number]) => boolean][] = [
  ['all', () => true],
  ['no excerpts', (t) => t.group !== 'excerpt'],
  ['songs + recordings', (t) => t.group === 'song' || t.group === 'recording'],
];

const fmt = (v: number) => v.toFixed(3);
const columns = GROUPS.map(([name, keep]) => {
  const members = tracks.filter(keep);
  const labels = members.map((m) => m.genre);
  const artistOf = (m: (typeof members)[number], i: number) => m.artist?.toLowerCase() ?? `#${i}`;
  const queries = members.flatMap((m, i) => (members.some((o, j) => j !== i && o.genre === m.genre && artistOf(o, j) !== artistOf(m, i)) ? [i] : []));
  const results = VARIANTS.map(([, weights]) => neighbourPrecision(buildSimilaritySpace(members.map((m) => m.track), weights), labels, K, queries));
  return { name: `${name} (${members.length} tracks, ${queries.length} queries)`, results };
});
const missing = tracks.filter((t) => !t.track.musicnn).length;
const out = [`### Broad-genre precision@${K} of other-artist neighbours on real audio (${tracks.length} labelled tracks; MusiCNN abstained on ${missing})\n`];
out.push(`| space | ${columns.map((c) => c.name).join(' | ')} |`, `| --- |${columns.map(() => ' --- |').join('')}`);
VARIANTS.forEach(([name], v) => out.push(`| ${name} | ${columns.map((c) => fmt(c.results[v]!.precision)).join(' | ')} |`));
out.push(`| random other-artist tracks | ${columns.map((c) => fmt(c.results[0]!.random)).join(' | ')} |`);
const counts = new Map<string, number>();
for (const t of tracks) counts.set(t.genre, (counts.get(t.genre) ?? 0) + 1);
out.push(`\nBroad genres: ${[...counts].sort((a, b) => b[1] - a[1]).map(([g, n]) => `${g} ${n}`).join(', ')}. The GTZAN clips are in the genre model's training data (its embedding is leaky on them); MusiCNN was trained on the Million Song Dataset.`);
console.log(out.join('\n'));

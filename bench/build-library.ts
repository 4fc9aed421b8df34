import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFile } from 'music-metadata';
import { resolveFfmpegPath } from '../src-main/core/decode/ffmpeg-path.ts';
import { forEachConcurrent, runFfmpeg } from './ffmpeg-jobs.ts';
import { createRandom } from '../src-main/core/model/prng.ts';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The repository's git-ignored cache folder. */
export const CACHE_DIR = path.join(REPO_ROOT, '.cache');
const LIBRARY_DIR = path.join(CACHE_DIR, 'bench-library');
const SOURCE_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'data');
/** Scratch space; hidden, so the scan's walker skips it even mid-build. */
const WORK_DIR = path.join(LIBRARY_DIR, '.build');
const MANIFEST = path.join(LIBRARY_DIR, '.manifest.json');

/** Bump whenever the plan or the encoding below changes: the library is then rebuilt from scratch. */
const RECIPE = 'bench-library-1';
const SEED = 0x50_4e_52_59;
const MIN_TRACKS = 300;

/**
 * Every track is a concat of 192 kbit/s MP3 segments made once per source clip:
 * MP3 tracks copy those frames (encoding MP3 would dominate the build time),
 * the other formats re-encode the decoded segments.
 */
const FORMATS = {
  mp3: { ext: '.mp3', codec: ['-c:a', 'copy', '-id3v2_version', '3'] },
  flac: { ext: '.flac', codec: ['-c:a', 'flac'] },
  ogg: { ext: '.ogg', codec: ['-c:a', 'libvorbis', '-q:a', '5'] },
  opus: { ext: '.opus', codec: ['-c:a', 'libopus', '-b:a', '128k'] },
  m4a: { ext: '.m4a', codec: ['-c:a', 'aac', '-b:a', '256k'] },
  wav: { ext: '.wav', codec: ['-c:a', 'pcm_s16le'] },
  aiff: { ext: '.aiff', codec: ['-c:a', 'pcm_s16be', '-write_id3v2', '1'] },
};
type FormatName = keyof typeof FORMATS;
/** One format per album, cycling: half MP3, like most real libraries. */
const ALBUM_FORMATS: FormatName[] = ['mp3', 'flac', 'mp3', 'm4a', 'mp3', 'ogg', 'mp3', 'opus', 'mp3', 'flac', 'mp3', 'wav', 'mp3', 'm4a', 'mp3', 'ogg', 'mp3', 'aiff', 'mp3', 'flac'];
/** Genre names with their ID3v1 numbers (see `genreTag`). */
const GENRES: Array<[string, number]> = [
  ['Blues', 0], ['Country', 2], ['Disco', 4], ['Funk', 5], ['Hip-Hop', 7], ['Jazz', 8], ['Metal', 9], ['Pop', 13], ['Reggae', 16],
  ['Rock', 17], ['Techno', 18], ['Ambient', 26], ['Classical', 32], ['Soul', 42], ['Electronic', 52], ['Folk', 80], ['Latin', 86],
];
const WORDS = ['Amber', 'Velvet', 'Northern', 'Paper', 'Silver', 'Hollow', 'Electric', 'Quiet', 'Golden', 'Midnight', 'Café', 'Señor', 'Öresund', 'Lantern',
  'Harbour', 'Engines', 'Garden', 'River', 'Static', 'Comet', 'Orchard', 'Mirror', 'Signal', "Don't Stop", 'Blue', 'Winter', 'Satellite', 'Tide'];

interface PlannedTrack {
  /** Relative to the library root: Artist/Album/NN Title.ext */
  path: string;
  format: FormatName;
  durationSec: number;
  /** Indexes of the source clips it cycles through. */
  clips: number[];
  tags: Record<string, string>;
}

/** The finished library, as recorded in its manifest. */
export interface BenchLibrary {
  root: string;
  /** Absolute paths of every track, in plan order. */
  files: string[];
  totalHours: number;
  bytes: number;
  /** Time the (last) build took; the cost of building it, not of loading it. */
  buildSeconds: number;
  /** True when it was already built (nothing was done this time). */
  cached: boolean;
}

interface Manifest {
  recipe: string;
  complete: boolean;
  tracks?: Array<{ path: string; format: FormatName; durationSec: number }>;
  bytes?: number;
  buildSeconds?: number;
}

/** ffmpeg writes one value per tag, so two genres are only possible as ID3v2.3 genre references, "(17)(13)", which readers split. */
function genreTag(genres: Array<[string, number]>): string {
  return genres.length === 1 ? genres[0]![0] : genres.map(([, code]) => `(${code})`).join('');
}

/** Plans the library: albums of 6-12 tracks, two albums per artist, tracks of 2-6 minutes made of 3-6 clips. */
function planLibrary(clipCount: number): PlannedTrack[] {
  const random = createRandom(SEED);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const words = (count: number): string => Array.from({ length: count }, () => pick(WORDS)).join(' ');
  const newName = (taken: Set<string>, count: number): string => {
    for (;;) {
      const name = words(count);
      if (!taken.has(name)) return taken.add(name), name;
    }
  };
  const artists = new Set<string>();
  const tracks: PlannedTrack[] = [];
  let artist = '';
  let albums = new Set<string>();
  for (let albumIndex = 0; tracks.length < MIN_TRACKS; albumIndex++) {
    if (albumIndex % 2 === 0) [artist, albums] = [newName(artists, 2), new Set()];
    const album = newName(albums, 2);
    const format = ALBUM_FORMATS[albumIndex % ALBUM_FORMATS.length]!;
    const [first, second] = [pick(GENRES), pick(GENRES)];
    const genres = format === 'mp3' && random() < 0.3 && second !== first ? [first, second] : [first];
    const year = String(1965 + Math.floor(random() * 60));
    const count = 6 + Math.floor(random() * 7);
    for (let number = 1; number <= count; number++) {
      const title = words(1 + Math.floor(random() * 3));
      const durationSec = Math.round(1200 + random() * 2400) / 10;
      const clips = new Set<number>();
      for (let wanted = 3 + Math.floor(random() * 4); clips.size < wanted; ) clips.add(Math.floor(random() * clipCount));
      const file = `${String(number).padStart(2, '0')} ${title}${FORMATS[format].ext}`;
      const tags = { artist, album_artist: artist, album, title, track: `${number}/${count}`, date: year, genre: genreTag(genres) };
      tracks.push({ path: path.join(artist, album, file), format, durationSec, clips: [...clips], tags });
    }
  }
  return tracks;
}

/** The source clips: the songs, GTZAN clips and recordings in ../shared/data, in a stable order. */
async function listSources(): Promise<string[]> {
  const folders: Array<[string, RegExp]> = [['songs', /\.mp3$/], ['gtzan/clips', /\.(wav|flac)$/], ['recordings', /\.ogg$/]];
  const sources: string[] = [];
  for (const [folder, pattern] of folders) {
    const names = (await fs.readdir(path.join(SOURCE_DIR, folder)).catch(() => [])).filter((name) => pattern.test(name)).sort();
    sources.push(...names.map((name) => path.join(SOURCE_DIR, folder, name)));
  }
  if (sources.length === 0) throw new Error(`the bench library is made from the audio in ${SOURCE_DIR}, but none was found there`);
  return sources;
}

/** Encodes each source clip once as a 44.1 kHz stereo 192 kbit/s MP3 segment; returns the segment lengths in seconds. */
async function makeSegments(ffmpeg: string, sources: string[], jobs: number): Promise<number[]> {
  await fs.mkdir(path.join(WORK_DIR, 'segments'), { recursive: true });
  const seconds: number[] = [];
  await forEachConcurrent(sources, jobs, async (source, index) => {
    const segment = path.join(WORK_DIR, 'segments', `${index}.mp3`);
    const encoding = ['-i', `file:${source}`, '-map', '0:a:0', '-map_metadata', '-1', '-ar', '44100', '-ac', '2', '-c:a', 'libmp3lame', '-b:a', '192k'];
    await runFfmpeg(ffmpeg, ['-nostdin', '-v', 'error', '-y', ...encoding, `file:${segment}`]);
    seconds[index] = (await parseFile(segment, { duration: true })).format.duration ?? 0;
  });
  return seconds;
}

/** The concat-demuxer list that cycles the track's clips up to its length. */
function concatList(track: PlannedTrack, segmentSeconds: number[]): string {
  const lines: string[] = [];
  for (let total = 0, i = 0; total < track.durationSec; i++) {
    const clip = track.clips[i % track.clips.length]!;
    lines.push(`file 'segments/${clip}.mp3'`);
    const remaining = track.durationSec - total;
    if (segmentSeconds[clip]! >= remaining) lines.push(`outpoint ${remaining.toFixed(3)}`);
    total += segmentSeconds[clip]!;
  }
  return lines.join('\n') + '\n';
}

/** Builds one track, unless an interrupted earlier build already finished it. */
async function buildTrack(ffmpeg: string, track: PlannedTrack, index: number, segmentSeconds: number[]): Promise<void> {
  const target = path.join(LIBRARY_DIR, track.path);
  if (await fs.stat(target).then(() => true, () => false)) return;
  await fs.mkdir(path.dirname(target), { recursive: true });
  const list = path.join(WORK_DIR, `${index}.txt`);
  await fs.writeFile(list, concatList(track, segmentSeconds));
  const partial = path.join(path.dirname(target), `.partial-${path.basename(target)}`);
  const metadata = Object.entries(track.tags).flatMap(([key, value]) => ['-metadata', `${key}=${value}`]);
  const output = ['-map', '0:a', '-map_metadata', '-1', ...FORMATS[track.format].codec, ...metadata, `file:${partial}`];
  await runFfmpeg(ffmpeg, ['-nostdin', '-v', 'error', '-y', '-f', 'concat', '-i', list, ...output]);
  await fs.rename(partial, target);
}

async function readManifest(): Promise<Manifest | undefined> {
  return fs.readFile(MANIFEST, 'utf8').then((text) => JSON.parse(text) as Manifest, () => undefined);
}

function describe(manifest: Manifest, cached: boolean): BenchLibrary {
  const tracks = manifest.tracks ?? [];
  return {
    root: LIBRARY_DIR,
    files: tracks.map((track) => path.join(LIBRARY_DIR, track.path)),
    totalHours: tracks.reduce((sum, track) => sum + track.durationSec, 0) / 3600,
    bytes: manifest.bytes ?? 0,
    buildSeconds: manifest.buildSeconds ?? 0,
    cached,
  };
}

/**
 * Returns the benchmark library, building it first unless its manifest says it
 * is complete for the current recipe. An interrupted build of the same recipe
 * resumes; any other content of the folder is deleted first.
 */
export async function ensureBenchLibrary(log: (line: string) => void = console.log): Promise<BenchLibrary> {
  const existing = await readManifest();
  if (existing?.recipe === RECIPE && existing.complete) return describe(existing, true);
  if (existing?.recipe !== RECIPE) await fs.rm(LIBRARY_DIR, { recursive: true, force: true });
  await fs.mkdir(LIBRARY_DIR, { recursive: true });
  await fs.writeFile(MANIFEST, JSON.stringify({ recipe: RECIPE, complete: false } satisfies Manifest));

  const started = performance.now();
  const ffmpeg = resolveFfmpegPath();
  const jobs = os.availableParallelism();
  const sources = await listSources();
  const plan = planLibrary(sources.length);
  log(`building the bench library in ${LIBRARY_DIR}: ${plan.length} tracks from ${sources.length} clips, ${jobs} ffmpeg jobs at a time`);
  const segmentSeconds = await makeSegments(ffmpeg, sources, jobs);
  let built = 0;
  await forEachConcurrent(plan, jobs, async (track, index) => {
    await buildTrack(ffmpeg, track, index, segmentSeconds);
    if (++built % 25 === 0 || built === plan.length) log(`  ${built}/${plan.length} tracks (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  });
  await fs.rm(WORK_DIR, { recursive: true, force: true });

  const sizes = await Promise.all(plan.map(async (track) => (await fs.stat(path.join(LIBRARY_DIR, track.path))).size));
  const manifest: Manifest = {
    recipe: RECIPE,
    complete: true,
    tracks: plan.map(({ path: trackPath, format, durationSec }) => ({ path: trackPath, format, durationSec })),
    bytes: sizes.reduce((a, b) => a + b, 0),
    buildSeconds: (performance.now() - started) / 1000,
  };
  await fs.writeFile(MANIFEST, JSON.stringify(manifest, null, 1));
  return describe(manifest, false);
}

const SUBSET_DIR = path.join(CACHE_DIR, 'bench-subset');

/**
 * A library of `count` tracks of the bench library, evenly spread over it
 * (so every format is in it), as hard links (copies where links fail) in
 * `.cache/bench-subset`, made again each time.
 */
export async function ensureSubset(library: BenchLibrary, count: number): Promise<{ root: string; files: string[] }> {
  const size = Math.min(count, library.files.length);
  const chosen = Array.from({ length: size }, (_, i) => library.files[Math.floor((i * library.files.length) / size)]!);
  await fs.rm(SUBSET_DIR, { recursive: true, force: true });
  const files: string[] = [];
  for (const source of chosen) {
    const target = path.join(SUBSET_DIR, path.relative(library.root, source));
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.link(source, target).catch(() => fs.copyFile(source, target));
    files.push(target);
  }
  return { root: SUBSET_DIR, files };
}

if (import.meta.main) {
  const library = await ensureBenchLibrary();
  const state = library.cached ? 'already built' : 'built';
  console.log(`${library.files.length} tracks, ${library.totalHours.toFixed(1)} h, ${(library.bytes / 1e9).toFixed(2)} GB; ${state} in ${library.buildSeconds.toFixed(0)} s`);
}

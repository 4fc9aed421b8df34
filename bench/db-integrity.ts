/**
 * What checking the library database's integrity costs at 100,000 tracks
 * (`npm run bench:db`; SONORITY_BENCH_TRACKS=N for another size). Builds a
 * synthetic library through the real migrations and stores — tracks with
 * tags and genres, an analysis, descriptors of realistic size (3 windows and
 * 30 frames of 57 float32 values, 7.6 KB a track, as a real scan stores) and
 * a prediction each — then times, in this same run: opening without a check
 * (writable: the baseline of every ratio; read-only), SQLite's quick_check
 * and integrity_check on their own, the checked open every writer uses, and
 * for scale `status` and `review`. Warm: the median of several runs with
 * the file in the page cache; cold: one run right after evicting the file
 * from the page cache with GNU dd (Linux; shown as — elsewhere), as after a
 * reboot.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { checkIntegrity, migrate, openDatabase, type Db } from '../src-main/core/db/open-database.ts';
import { createTracksStore, type AnalysedFile } from '../src-main/core/db/tracks-store.ts';
import { createScansStore } from '../src-main/core/db/scans-store.ts';
import { createPredictionsStore } from '../src-main/core/db/predictions-store.ts';
import { FEATURE_SET_VERSION } from '../src-main/core/analysis/analyse-file.ts';
import { currentMusicnnVersion } from '../src-main/core/musicnn/model-metadata.ts';
import { DESCRIPTOR_NAMES } from '../src-main/core/features/descriptors.ts';
import { createRandom } from '../src-main/core/model/prng.ts';
import { readModelMetadata } from '../src-main/core/model/model-files.ts';
import { summariseLibrary } from '../src-main/core/db/library-summary.ts';
import { listReview } from '../src-main/core/review/review-list.ts';
import { loadTaxonomy } from '../src-main/core/taxonomy/taxonomy-file.ts';

const TRACKS = Number(process.env.SONORITY_BENCH_TRACKS ?? 100_000);
const REPEATS = 5;
const GENRES = ['Rock', 'Jazz', 'Metal', 'Blues', 'Pop', 'Classical', 'Reggae', 'Country', 'Disco', 'Hip-Hop', 'House', 'Folk'];
const WINDOWS = 3;
const FRAMES_PER_WINDOW = 10;

/** A synthetic analysed file: tags, and descriptors of a three-window track. */
function syntheticFile(i: number, random: () => number): AnalysedFile {
  const matrix = (rows: number) => ({
    starts: Int32Array.from({ length: rows }, (_, r) => r * 66_150),
    lengths: new Int32Array(rows).fill(rows === WINDOWS ? 661_500 : 66_150),
    values: Float32Array.from({ length: rows * DESCRIPTOR_NAMES.length }, () => random()),
  });
  const artist = `Artist ${Math.floor(random() * TRACKS / 10)}`;
  return {
    path: `/music/${artist}/${i}.mp3`, size: 5_000_000 + i, mtimeMs: 1_700_000_000_000 + i, fingerprint: `synthetic-${i}`, container: 'mp3',
    tags: {
      artist, albumArtist: null, album: `Album ${Math.floor(random() * TRACKS / 12)}`, title: `Song ${i}`, trackNo: 1 + (i % 12), discNo: null, year: 1960 + (i % 60),
      genres: GENRES.filter(() => random() < 0.1), genreSource: 'ID3v2.3', durationSec: 240, codec: 'MPEG 1 Layer 3', sampleRate: 44_100, channels: 2, bitrate: 320_000,
    },
    analysis: { featureSet: FEATURE_SET_VERSION, sampleRate: 22_050, sampleCount: 1_984_500, durationSec: 240, rms: 0.1, peak: 0.9, windows: matrix(WINDOWS), frames: matrix(WINDOWS * FRAMES_PER_WINDOW), tempo: 120 },
  };
}

/** Fills `db` with `count` synthetic tracks, each with a prediction by the shipped model's metadata. */
function fillLibrary(db: Db, count: number): void {
  const random = createRandom(count);
  const model = readModelMetadata();
  const tracks = createTracksStore(db, FEATURE_SET_VERSION, currentMusicnnVersion());
  const predictions = createPredictionsStore(db, model);
  const scanId = createScansStore(db).start('/music');
  const labels = model.labels.length;
  for (let start = 0; start < count; start += 5_000) {
    db.transaction(() => {
      for (let i = start; i < Math.min(count, start + 5_000); i++) {
        const trackId = tracks.saveAnalysed(syntheticFile(i, random), scanId);
        const probabilities = Float32Array.from({ length: labels }, () => random() / labels);
        predictions.saveAll([{
          track: { trackId, windowStarts: new Int32Array([0, 661_500, 1_323_000]), windows: [], frames: [] },
          prediction: { windows: [probabilities, probabilities, probabilities], probabilities, top: [{ label: model.labels[0]!, probability: probabilities[0]! }], ambiguous: false, oodScore: 1, outOfDistribution: false, confident: false, embedding: new Float32Array(64) },
        }]);
      }
    })();
  }
}

/** The median wall time of `repeats` runs of `work`, in milliseconds (after one unmeasured run). */
function medianMs(work: () => void, repeats = REPEATS): number {
  work();
  const times = Array.from({ length: repeats }, () => {
    const started = performance.now();
    work();
    return performance.now() - started;
  }).sort((a, b) => a - b);
  return times[Math.floor(repeats / 2)]!;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sonority-db-bench-'));
const file = path.join(dir, 'library.db');
const building = performance.now();
const db = openDatabase(file);
fillLibrary(db, TRACKS);
db.close();
const buildSec = (performance.now() - building) / 1000;
const sizeMb = fs.statSync(file).size / 2 ** 20;

/** Evicts the file from the page cache (GNU dd, Linux), as after a reboot; false where that is not possible. */
function dropFromPageCache(): boolean {
  try {
    execFileSync('dd', [`if=${file}`, 'iflag=nocache', 'count=0', 'status=none']);
    return true;
  } catch {
    return false;
  }
}

/** Wall time of one run of `work` on a file just evicted from the page cache, in milliseconds (NaN where it cannot be evicted). */
function coldMs(work: () => void): number {
  if (!dropFromPageCache()) return NaN;
  const started = performance.now();
  work();
  return performance.now() - started;
}

const model = readModelMetadata();
const taxonomy = loadTaxonomy(path.join(dir, 'taxonomy.json'));
const openWritable = () => {
  const plain = new Database(file);
  plain.pragma('journal_mode = WAL');
  migrate(plain);
  plain.close();
};
const readAndQuery = (query: (db: Db) => unknown) => () => {
  const reading = openDatabase(file, { access: 'read' });
  query(reading);
  reading.close();
};
const measures: Array<[string, () => void]> = [
  ['open without a check: writable (WAL, migrations), the baseline', openWritable],
  ['open without a check: read-only (what read commands do)', () => openDatabase(file, { access: 'read' }).close()],
  ['quick_check alone', () => void checkIntegrity(file, 'quick')],
  ['integrity_check alone', () => void checkIntegrity(file, 'full')],
  ['checked open for writing (integrity_check + open)', () => openDatabase(file).close()],
  ['for scale: `status` (read-only open + its queries)', readAndQuery(summariseLibrary)],
  ['for scale: `review` (read-only open + the list)', readAndQuery((reading) => listReview(reading, model.id, taxonomy))],
];
const loadAverage = os.loadavg()[0]!;
const warm = measures.map(([, work]) => medianMs(work));
const cold = measures.map(([, work]) => coldMs(work));
console.log(`Library database integrity at ${TRACKS.toLocaleString('en-US')} tracks: ${sizeMb.toFixed(0)} MB (built in ${buildSec.toFixed(0)} s), ${os.cpus().length} cores, load average ${loadAverage.toFixed(2)}.`);
console.log(`Warm: the file in the page cache, median of ${REPEATS} runs. Cold: one run right after evicting the file from the page cache (as after a reboot).\n`);
console.log('| measure | warm ms | × baseline | cold ms | × baseline |\n| --- | --- | --- | --- | --- |');
const fmt = (n: number) => (Number.isNaN(n) ? '—' : n.toFixed(n < 10 ? 2 : 0));
measures.forEach(([name], i) => console.log(`| ${name} | ${fmt(warm[i]!)} | ${fmt(warm[i]! / warm[0]!)}× | ${fmt(cold[i]!)} | ${fmt(cold[i]! / cold[0]!)}× |`));
fs.rmSync(dir, { recursive: true, force: true });

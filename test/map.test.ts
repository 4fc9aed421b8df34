import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src-main/core/db/open-database.ts';
import { currentMusicnnVersion } from '../src-main/core/musicnn/model-metadata.ts';
import { readMapEmbeddings } from '../src-main/core/map/map-embeddings.ts';
import { createMapStore, type MapPoint } from '../src-main/core/map/map-store.ts';
import { updateMap } from '../src-main/core/map/update-map.ts';
import { libraryTracks } from '../src-main/core/review/library-rows.ts';
import { loadTaxonomy } from '../src-main/core/taxonomy/taxonomy-file.ts';
import { MAP_POINT_BYTES } from '../src-main/api/contract.ts';
import { convertReal, jsonLines, runCli, SHARED_DATA, tempDir } from './helpers/fixtures.ts';
import { gtzanClip, serviceFor } from './helpers/service.ts';

const SONGS = path.join(SHARED_DATA, 'songs');
let root: string;
let dbPath: string;

/** The current layout's points, read from the database. */
function storedPoints(): MapPoint[] {
  const db = openDatabase(dbPath, { access: 'read' });
  try {
    const store = createMapStore(db);
    return store.points(store.latest(currentMusicnnVersion().model)!.id);
  } finally {
    db.close();
  }
}

/** Copies a shared file into the library, writable (the shared data is read-only). */
function copyIn(from: string, name: string): string {
  const to = path.join(root, name);
  fs.copyFileSync(from, to);
  fs.chmodSync(to, 0o644);
  return to;
}

async function scan(): Promise<void> {
  const result = await runCli(['scan', root, '--db', dbPath]);
  expect(result.code, result.stderr).toBe(0);
}

async function map(...args: string[]) {
  const result = await runCli(['map', '--db', dbPath, '--json', ...args]);
  expect(result.code, result.stderr).toBe(0);
  return jsonLines(result.stdout).at(-1)!;
}

beforeAll(async () => {
  root = tempDir('sonority-map-');
  dbPath = path.join(tempDir(), 'library.db');
  const tagged: Array<[string, string]> = [['blues', 'Blues'], ['country', 'Country'], ['disco', 'Disco'], ['jazz', 'Jazz'], ['metal', 'Metal'], ['reggae', 'Reggae'], ['rock', 'Rock']];
  for (const [clip, genre] of tagged) await convertReal(gtzanClip(`${clip}.00000`), path.join(root, `${clip}.flac`), 'flac', { genre });
  for (const n of ['00001', '00002', '00003']) copyIn(path.join(SHARED_DATA, 'gtzan', 'clips', `classical.${n}.first15s.flac`), `classical-${n}.flac`);
  copyIn(path.join(SONGS, 'salsa.mp3'), 'salsa.mp3');
  copyIn(path.join(SONGS, 'techno.mp3'), 'techno.mp3');
  await scan();
}, 900_000);

describe('the library map', () => {
  let firstFit: MapPoint[];

  it('lays out every analysed track, stored with the MusiCNN model id', async () => {
    const result = await map();
    expect(result.action).toBe('fitted');
    expect(result.layout.embedding).toBe(currentMusicnnVersion().model);
    expect(result.layout.method).toBe('umap');
    expect(result.layout.tracks).toBe(12);
    expect(result.layout.placedSinceFit).toBe(0);
    firstFit = storedPoints();
    expect(firstFit.map((p) => p.placed)).toEqual(Array(12).fill('fit'));
    expect(new Set(firstFit.map((p) => `${p.x},${p.y}`)).size).toBe(12);
  });

  it('gives the same coordinates on a second fit (seeded), here through the API in a worker', async () => {
    const service = await serviceFor(dbPath, root);
    try {
      const layout = await service.handlers.mapRecompute({});
      expect(layout.tracks).toBe(12);
      expect(service.events).toContainEqual({ type: 'map-changed', layout });
      expect(storedPoints()).toEqual(firstFit);
    } finally {
      service.close();
    }
  });

  it('places a new track by its nearest embedding neighbours without moving the others', async () => {
    copyIn(path.join(SONGS, 'trance.mp3'), 'trance.mp3');
    await scan();
    const result = await map();
    expect(result.action).toBe('updated');
    expect(result.layout.placedSinceFit).toBe(1);
    const points = storedPoints();
    const fresh = points.filter((p) => p.placed === 'neighbours');
    expect(fresh).toHaveLength(1);
    expect(points.filter((p) => p.placed === 'fit')).toEqual(firstFit);
    // The expected place, computed here independently: the 1/distance-weighted mean of the 5 nearest fitted tracks' positions.
    const db = openDatabase(dbPath, { access: 'read' });
    const embeddings = readMapEmbeddings(db);
    db.close();
    const vectorOf = (id: number) => embeddings.vectors[embeddings.trackIds.indexOf(id)]!;
    const nearest = firstFit.map((p) => ({ p, d: Math.hypot(...vectorOf(p.trackId).map((v, i) => v - vectorOf(fresh[0]!.trackId)[i]!)) })).sort((a, b) => a.d - b.d).slice(0, 5);
    const total = nearest.reduce((sum, n) => sum + 1 / n.d, 0);
    expect(fresh[0]!.x).toBeCloseTo(nearest.reduce((sum, n) => sum + n.p.x / n.d, 0) / total, 4);
    expect(fresh[0]!.y).toBeCloseTo(nearest.reduce((sum, n) => sum + n.p.y / n.d, 0) / total, 4);
  });

  it('takes a removed track off the map', async () => {
    const before = storedPoints();
    fs.rmSync(path.join(root, 'disco.flac'));
    await scan();
    const result = await map();
    expect(result.layout.tracks).toBe(12);
    const after = storedPoints();
    expect(after).toHaveLength(12);
    expect(after).toEqual(before.filter((p) => after.some((q) => q.trackId === p.trackId)));
    const db = openDatabase(dbPath, { access: 'read' });
    const disco = db.prepare(`SELECT id FROM tracks WHERE path LIKE '%disco.flac'`).pluck().get() as number;
    db.close();
    expect(after.map((p) => p.trackId)).not.toContain(disco);
  });

  it('fits again once the tracks placed by neighbours are more than a fifth of the fitted ones', async () => {
    const db = openDatabase(dbPath);
    try {
      const embeddings = readMapEmbeddings(db);
      const fitted = embeddings.trackIds.filter((id) => storedPoints().some((p) => p.trackId === id && p.placed === 'fit'));
      // Take two more fitted tracks off the map as if they were new: three placed against nine fitted is over a fifth.
      createMapStore(db).update(createMapStore(db).latest(embeddings.model)!.id, [], fitted.slice(0, 2));
      expect(updateMap(db, { embeddings }).action).toBe('fitted');
      expect(createMapStore(db).latest(embeddings.model)!.placedSinceFit).toBe(0);
    } finally {
      db.close();
    }
  });

  it('serves the points in packed pages that decode to the library rows', async () => {
    const service = await serviceFor(dbPath, root);
    try {
      const first = await service.handlers.mapPoints({ offset: 0, limit: 5 });
      expect(first.total).toBe(12);
      const decoded: Array<{ id: number; x: number; y: number; genre: string | null; suggested: string | null; danceability: number | null; flags: number; tempo: number }> = [];
      for (let offset = 0; offset < first.total; offset += 5) {
        const page = await service.handlers.mapPoints({ offset, limit: 5 });
        expect(page.genres).toEqual(first.genres);
        const bytes = Buffer.from(page.points, 'base64');
        expect(bytes.length).toBe(Math.min(5, first.total - offset) * MAP_POINT_BYTES);
        for (let at = 0; at < bytes.length; at += MAP_POINT_BYTES) {
          const u16 = (o: number) => bytes.readUInt16LE(at + o);
          decoded.push({
            id: bytes.readUInt32LE(at), x: bytes.readFloatLE(at + 4), y: bytes.readFloatLE(at + 8),
            genre: u16(12) === 0xffff ? null : page.genres[u16(12)]!, suggested: u16(14) === 0xffff ? null : page.genres[u16(14)]!,
            danceability: bytes[at + 16] === 255 ? null : bytes[at + 16]! / 200, flags: bytes[at + 17]!, tempo: u16(18) / 10,
          });
        }
      }
      const points = storedPoints();
      expect(decoded.map((p) => p.id)).toEqual(points.map((p) => p.trackId));
      decoded.forEach((p, i) => expect([p.x, p.y]).toEqual([Math.fround(points[i]!.x), Math.fround(points[i]!.y)]));
      const rows = new Map(libraryTracks(service.context.db, service.context.model!.metadata.id, loadTaxonomy(service.context.taxonomyPath)).map((row) => [row.id, row]));
      for (const p of decoded) {
        const row = rows.get(p.id)!;
        expect(p.genre).toBe(row.genres[0] ?? null);
        expect(p.suggested).toBe(row.predicted);
        expect(p.danceability).toBeCloseTo(row.heads!.danceability, 2);
        expect(Boolean(p.flags & 1)).toBe(row.moods.includes('happy'));
        expect(Boolean(p.flags & 128)).toBe(row.status === 'disputed');
        expect(p.tempo).toBeGreaterThan(40);
      }
      expect(decoded.filter((p) => p.genre !== null).map((p) => p.genre).sort()).toEqual(['Blues', 'Country', 'Jazz', 'Metal', 'Reggae', 'Rock']);
      expect(await service.handlers.mapPoints({ offset: 100, limit: 5 })).toMatchObject({ total: 12, offset: 12, points: '' });
    } finally {
      service.close();
    }
  });

  it('records one typed decision for a selection of tracks, shown by the Apply plan; refuses unknown tracks', async () => {
    const service = await serviceFor(dbPath, root);
    try {
      const ids = storedPoints().slice(0, 3).map((p) => p.trackId);
      expect(() => service.handlers.decideMany({ trackIds: [...ids, 999_999], genres: ['Ambient'] })).toThrow(/999999 is not an analysed track of this library/);
      expect((await service.handlers.applyPlan({ scope: 'decisions', minConfidence: 1 })).writes).toHaveLength(0);
      expect(await service.handlers.decideMany({ trackIds: ids, genres: ['Ambient'] })).toEqual({ decided: 3 });
      const plan = await service.handlers.applyPlan({ scope: 'decisions', minConfidence: 1 });
      expect(plan.writes.map((w) => w.trackId).sort()).toEqual([...ids].sort());
      for (const write of plan.writes) expect(write.newGenres).toEqual(['Ambient']);
      expect(service.events).toContainEqual({ type: 'library-changed' });
    } finally {
      service.close();
    }
  });

  it('renders the map to a PNG with `sonority map --out`', async () => {
    const out = path.join(tempDir(), 'map.png');
    const result = await runCli(['map', '--db', dbPath, '--out', out, '--size', '800x500']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/12 tracks/);
    const png = fs.readFileSync(out);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.toString('ascii', 12, 16)).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]]).toEqual([800, 500, 8, 2]);
    const idat: Buffer[] = [];
    for (let at = 8; at < png.length;) {
      const length = png.readUInt32BE(at);
      if (png.toString('ascii', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
      at += 12 + length;
    }
    const raw = zlib.inflateSync(Buffer.concat(idat));
    expect(raw.length).toBe((800 * 3 + 1) * 500);
    const colours = new Set<number>();
    for (let y = 0; y < 500; y++) for (let x = 0; x < 800; x++) {
      const at = y * 2401 + 1 + x * 3;
      colours.add((raw[at]! << 16) | (raw[at + 1]! << 8) | raw[at + 2]!);
    }
    expect(colours.size).toBeGreaterThan(8); // background, legend text, grey and one colour per genre (plus blended edges)
  });

  it('explains itself with --help and refuses a bad option', async () => {
    const help = await runCli(['map', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/sonority map \[--out map\.png\] \[--colour genre\|suggested\|mood\|danceability\|tempo\]/);
    const bad = await runCli(['map', '--db', dbPath, '--colour', 'purple']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--colour takes genre, suggested, mood, danceability, tempo, not "purple"/);
  });
});

describe('the map after a scan from the interface', () => {
  it('places the new tracks in a worker and announces the map', async () => {
    const service = await serviceFor(dbPath, root);
    try {
      const before = storedPoints();
      copyIn(path.join(SONGS, 'house.mp3'), 'house.mp3');
      await service.handlers.startScan({ root });
      const deadline = Date.now() + 300_000;
      while (!service.events.some((e) => e.type === 'map-changed') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      const changed = service.events.find((e) => e.type === 'map-changed');
      expect(changed).toMatchObject({ layout: { tracks: before.length + 1, placedSinceFit: 1 } });
      expect(storedPoints().filter((p) => p.placed === 'fit')).toEqual(before.filter((p) => p.placed === 'fit'));
      expect((await service.handlers.mapPoints({ offset: 0, limit: 100 })).total).toBe(before.length + 1);
    } finally {
      service.close();
    }
  }, 300_000);
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

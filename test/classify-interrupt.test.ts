import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src-main/core/db/open-database.ts';
import { scanLibrary } from '../src-main/core/scan/scan-library.ts';
import type { GenreModel } from '../src-main/core/model/genre-model.ts';
import { makeTone, tempDir } from './helpers/fixtures.ts';
import { shippedModel } from './helpers/model.ts';

describe('the classify stage, stopped or failing', () => {
  const library = tempDir();
  let model: GenreModel;
  beforeAll(async () => {
    model = await shippedModel();
    for (let i = 0; i < 3; i++) await makeTone(path.join(library, `tone ${i}.flac`), 'flac', { seconds: 2, frequency: 220 * (i + 1) });
  });
  afterAll(() => model.dispose());

  const scansOf = (db: ReturnType<typeof openDatabase>) => db.prepare('SELECT status FROM scans ORDER BY id').all().map((row) => (row as { status: string }).status);
  const predictionCount = (db: ReturnType<typeof openDatabase>) => (db.prepare('SELECT COUNT(*) AS n FROM predictions').get() as { n: number }).n;

  it('reports a scan stopped during classification as cancelled, and the next scan finishes the predictions', async () => {
    const db = openDatabase(path.join(tempDir(), 'stop.db'));
    const controller = new AbortController();
    const stopping: GenreModel = { ...model, predictTracks: (tracks) => {
      controller.abort();
      return model.predictTracks(tracks);
    } };
    const stopped = await scanLibrary({ root: library, db, model: stopping, signal: controller.signal, workers: 1 });
    expect(stopped).toMatchObject({ status: 'cancelled', analysed: 3 });
    expect(predictionCount(db)).toBe(stopped.predicted);
    const resumed = await scanLibrary({ root: library, db, model, workers: 1 });
    expect(resumed).toMatchObject({ status: 'completed', analysed: 0, skipped: 3, predicted: 3 - stopped.predicted });
    expect(predictionCount(db)).toBe(3);
    expect(scansOf(db)).toEqual(['cancelled', 'completed']);
    db.close();
  });

  it('keeps the analysis, closes the scan and says so when the model fails', async () => {
    const db = openDatabase(path.join(tempDir(), 'fail.db'));
    const broken: GenreModel = { ...model, predictTracks: () => {
      throw new Error('out of memory');
    } };
    await expect(scanLibrary({ root: library, db, model: broken, workers: 1 })).rejects.toMatchObject({ code: 'classify-failed', message: expect.stringContaining('the analysis was saved, but the genre model failed: out of memory') });
    expect(scansOf(db)).toEqual(['cancelled']);
    expect((db.prepare(`SELECT COUNT(*) AS n FROM tracks WHERE status = 'analysed'`).get() as { n: number }).n).toBe(3);
    expect((await scanLibrary({ root: library, db, model, workers: 1 })).predicted).toBe(3);
    db.close();
  });
});

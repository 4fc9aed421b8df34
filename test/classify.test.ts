import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { SHARED_DATA, convertReal, ffmpeg, jsonLines, runCli, tempDir } from './helpers/fixtures.ts';
import { GTZAN } from './helpers/gtzan.ts';
import { DEFAULT_MODEL_DIR } from '../src-main/core/model/model-files.ts';
import { DEFAULT_TAXONOMY } from '../src-main/core/taxonomy/default-taxonomy.ts';
import { classifyLibrary } from '../src-main/core/classify/classify-library.ts';
import { shippedModel } from './helpers/model.ts';

const metadata = JSON.parse(fs.readFileSync(path.join(DEFAULT_MODEL_DIR, 'genre-model.json'), 'utf8'));
const clip = (name: string) => path.join(GTZAN, 'clips', `${name}.wav`);

/** Classical, then metal, then classical again: 90 s, so three 30-second windows. */
async function makeMedley(file: string): Promise<string> {
  const inputs = [clip('classical.00000'), clip('metal.00000'), clip('classical.00000')].flatMap((f) => ['-i', f]);
  await ffmpeg([...inputs, '-filter_complex', '[0:a][1:a][2:a]concat=n=3:v=0:a=1', '-c:a', 'flac', file]);
  return file;
}

describe('the classify stage and the review list', () => {
  const library = tempDir();
  const db = path.join(tempDir(), 'classify.db');
  const files = {
    taggedWrong: path.join(library, 'classical tagged metal.mp3'),
    taggedRight: path.join(library, 'metal.flac'),
    untagged: path.join(library, 'jazz.ogg'),
    whale: path.join(library, 'whale.ogg'),
    medley: path.join(library, 'medley.flac'),
    otherGenre: path.join(library, 'classical tagged house.m4a'),
  };
  const scan = async (...extra: string[]) => jsonLines((await runCli(['scan', library, '--db', db, '--json', ...extra])).stdout).at(-1)!;
  const review = async (...extra: string[]) => jsonLines((await runCli(['review', '--db', db, '--json', ...extra])).stdout);

  beforeAll(async () => {
    await convertReal(clip('classical.00000'), files.taggedWrong, 'mp3', { genre: 'Metal', artist: 'Orchestra' });
    await convertReal(clip('metal.00000'), files.taggedRight, 'flac', { genre: 'Heavy Metal' });
    await convertReal(clip('jazz.00000'), files.untagged, 'ogg');
    fs.copyFileSync(path.join(SHARED_DATA, 'recordings', 'glacier-bay-humpback.hq.ogg'), files.whale);
    await makeMedley(files.medley);
    await convertReal(clip('classical.00000'), files.otherGenre, 'm4a', { genre: 'House' });
  }, 60_000);

  it('fills a prediction for every analysed track, with model id, feature set and a per-window timeline', async () => {
    expect(await scan()).toMatchObject({ status: 'completed', analysed: 6, predicted: 6 });
    const sqlite = new Database(db, { readonly: true });
    const rows = sqlite.prepare(`SELECT t.path, p.model_id AS modelId, p.feature_set AS featureSet, p.top_label AS top, length(p.window_probabilities) AS windowBytes, length(p.embedding) AS embeddingBytes
      FROM predictions p JOIN tracks t ON t.id = p.track_id ORDER BY t.path`).all() as Array<Record<string, any>>;
    sqlite.close();
    expect(rows).toHaveLength(6);
    const embeddingSize = metadata.architecture.hidden.at(-1) * metadata.architecture.members;
    for (const row of rows) expect(row).toMatchObject({ modelId: metadata.id, featureSet: metadata.featureSet, embeddingBytes: 4 * embeddingSize });
    const medley = rows.find((r) => r.path === files.medley)!;
    expect(medley.windowBytes).toBe(3 * 10 * 4);
  });

  it('lists as disputed the tracks whose tag the experts that know its genre contradict, most disputed first', async () => {
    const lines = await review('--disputed');
    // Classical tagged Metal (both experts know Metal) and classical tagged House (MusiCNN knows House, as Electronic, and hears none).
    expect(lines.at(-1)).toMatchObject({ type: 'summary', status: 'disputed', count: 2, modelId: metadata.id });
    expect(lines[0]).toMatchObject({ path: files.taggedWrong, tagGenres: ['Metal'], predictedGenre: 'Classical', status: 'disputed' });
    expect(lines[0]!.probability).toBeGreaterThanOrEqual(metadata.decision.confidentProbability);
    const all = Object.fromEntries((await review()).filter((l) => l.type === 'track').map((l) => [l.path, l.status]));
    expect(all[files.taggedRight]).toBe('agrees');
    expect(all[files.untagged]).toBe('untagged');
    expect(all[files.whale]).toBe('out-of-distribution');
    // The GTZAN model cannot predict House, but MusiCNN can judge it (README: "One opinion from several experts").
    expect(all[files.otherGenre]).toBe('disputed');
    const text = await runCli(['review', '--disputed', '--db', db]);
    expect(text.stdout).toContain('Metal → Classical');
  });

  it('names genres through the user\'s taxonomy file when there is one', async () => {
    const config = tempDir();
    const env = { XDG_CONFIG_HOME: config };
    expect((await runCli(['taxonomy', '--init'], { env })).code).toBe(0);
    const file = path.join(config, 'Sonority', 'taxonomy.json');
    const written = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(written).toEqual(JSON.parse(JSON.stringify(DEFAULT_TAXONOMY)));
    const genres = written.genres.map((g: { label?: string }) => (g.label === 'classical' ? { ...g, name: 'Art Music', aliases: ['Classical'] } : g));
    fs.writeFileSync(file, JSON.stringify({ version: 1, genres }));
    expect((await runCli(['taxonomy'], { env })).stdout).toContain('Art Music  (model label classical; aliases: Classical)');
    const lines = jsonLines((await runCli(['review', '--disputed', '--db', db, '--json'], { env })).stdout);
    expect(lines[0]).toMatchObject({ path: files.taggedWrong, predictedGenre: 'Art Music' });
  });

  it('predicts nothing again on a rescan, a re-analysed track anew, and everything for another model', async () => {
    expect(await scan()).toMatchObject({ analysed: 0, skipped: 6, predicted: 0 });
    await convertReal(clip('jazz.00000'), files.untagged, 'ogg', { genre: 'Jazz' });
    expect(await scan()).toMatchObject({ analysed: 1, predicted: 1 });
    const other = tempDir();
    for (const name of fs.readdirSync(DEFAULT_MODEL_DIR)) fs.copyFileSync(path.join(DEFAULT_MODEL_DIR, name), path.join(other, name));
    fs.writeFileSync(path.join(other, 'genre-model.json'), JSON.stringify({ ...metadata, id: `${metadata.id}-copy` }));
    expect(await scan('--model', other)).toMatchObject({ analysed: 0, predicted: 6 });
  });

  it('resumes an interrupted classify stage in batches, storing what a whole run stores', async () => {
    const sqlite = new Database(db);
    const snapshot = () => sqlite.prepare('SELECT track_id, top_label, probabilities, embedding FROM predictions WHERE model_id = ? ORDER BY track_id').all(metadata.id);
    const before = snapshot();
    sqlite.prepare('DELETE FROM predictions WHERE model_id = ? AND track_id IN (SELECT track_id FROM predictions WHERE model_id = ? ORDER BY track_id LIMIT 5)').run(metadata.id, metadata.id);
    const model = await shippedModel();
    const progress: number[] = [];
    const predicted = await classifyLibrary({ db: sqlite, model, batchSize: 2, onProgress: (p) => progress.push(p.done) });
    model.dispose();
    expect(predicted).toBe(5);
    expect(progress).toEqual([0, 2, 4, 5]);
    expect(snapshot()).toEqual(before);
    sqlite.close();
  });

  it('shows a timeline in `predict`: the metal middle of a classical medley', async () => {
    const result = await runCli(['predict', files.medley, '--json']);
    expect(result.code).toBe(0);
    const [prediction] = jsonLines(result.stdout);
    expect(prediction!.timeline.map((w: { startSec: number }) => Math.round(w.startSec))).toEqual([0, 30, 60]);
    const tops = prediction!.timeline.map((w: { probabilities: Record<string, number> }) => Object.entries(w.probabilities).sort((a, b) => b[1] - a[1])[0]![0]);
    expect(tops).toEqual(['Classical', 'Metal', 'Classical']);
    const text = await runCli(['predict', files.medley]);
    expect(text.stdout).toMatch(/0:30–1:00 {2}Metal \d+%/);
  });
});

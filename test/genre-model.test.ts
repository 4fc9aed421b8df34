import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTensorFlow } from '../src-main/core/model/tf-runtime.ts';
import { trainGenreModel } from '../src-main/core/model/train-genre-model.ts';
import { saveGenreModel, DEFAULT_MODEL_DIR } from '../src-main/core/model/model-files.ts';
import { loadGenreModel, type GenreModel } from '../src-main/core/model/genre-model.ts';
import { analyseFile, descriptorRows } from '../src-main/core/analysis/analyse-file.ts';
import { readFeatureTable } from '../src-main/core/model/feature-table.ts';
import { GTZAN, PARITY_CLIPS } from './helpers/gtzan.ts';
import { TRAINVAL_TABLE, shippedModel, splitRows } from './helpers/model.ts';
import { tempDir } from './helpers/fixtures.ts';

const card = JSON.parse(fs.readFileSync(path.join(DEFAULT_MODEL_DIR, 'card.json'), 'utf8'));
const maxAbsDifference = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));

describe('the shipped genre model', () => {
  let model: GenreModel;
  beforeAll(async () => {
    model = await shippedModel();
  });
  afterAll(() => model.dispose());

  it('carries its feature set, labels, standardisation and an id', () => {
    const { metadata } = model;
    expect(metadata.featureSet).toBe('gtzan57-v1');
    expect(metadata.labels).toEqual(['blues', 'classical', 'country', 'disco', 'hiphop', 'jazz', 'metal', 'pop', 'reggae', 'rock']);
    expect(metadata.standardiser.mean).toHaveLength(57);
    expect(metadata.id).toBe(card.modelId);
    expect(metadata.id).toMatch(/^gtzan-[a-z-]+-[0-9a-f]{8}$/);
  });

  it('reproduces from its seed: the same candidates, valid scores, choice and predictions', async () => {
    const runtime = await loadTensorFlow({ SONORITY_TF_BACKEND: 'wasm' });
    const valid = splitRows('valid');
    const trained = trainGenreModel(runtime, splitRows('train'), valid, card.seed);
    expect(trained.candidates.map((c) => c.name)).toEqual(card.candidates.map((c: { name: string }) => c.name));
    trained.candidates.forEach((c, i) => {
      expect(c.memberEpochs, c.name).toEqual(card.candidates[i].epochs);
      expect(c.valid.accuracy, c.name).toBeCloseTo(card.candidates[i].valid.accuracy, 6);
    });
    expect(trained.chosen.name).toBe(card.chosen);
    expect(trained.calibration.temperature).toBeCloseTo(card.calibration.temperature, 1);
    const dir = tempDir();
    const { id, ...metadata } = model.metadata;
    await saveGenreModel(runtime.tf, trained.network.model, dir, { ...metadata, standardiser: trained.standardiser, temperature: trained.calibration.temperature, ood: trained.ood });
    const retrained = await loadGenreModel(runtime, dir);
    const tracks = valid.rows.map((row) => ({ windows: [row], frames: [] }));
    const [before, after] = [model.predictTracks(tracks), retrained.predictTracks(tracks)];
    expect(Math.max(...before.map((p, i) => maxAbsDifference(p.probabilities, after[i]!.probabilities)))).toBeLessThan(1e-5);
    retrained.dispose();
    trained.network.model.dispose();
  }, 120_000);

  it('predicts the same from audio as from the table rows on the eight parity clips', async () => {
    const table = readFeatureTable(TRAINVAL_TABLE);
    for (const clip of PARITY_CLIPS) {
      const analysis = await analyseFile({ path: path.join(GTZAN, 'clips', `${clip}.wav`) });
      const [fromAudio, fromTable] = model.predictTracks([
        { windows: descriptorRows(analysis.windows), frames: descriptorRows(analysis.frames) },
        { windows: [table.rows[table.ids.indexOf(clip)]!], frames: [] },
      ]);
      expect(analysis.windows.starts).toHaveLength(1);
      expect(fromAudio!.top[0]!.label, clip).toBe(fromTable!.top[0]!.label);
      expect(maxAbsDifference(fromAudio!.probabilities, fromTable!.probabilities), clip).toBeLessThan(1e-3);
      expect(maxAbsDifference(fromAudio!.embedding, fromTable!.embedding), clip).toBeLessThan(1e-3);
    }
  }, 120_000);

  it('outputs per-window and track probabilities that sum to one, and an embedding per track', () => {
    const valid = splitRows('valid');
    const [track] = model.predictTracks([{ windows: valid.rows.slice(0, 3), frames: [] }]);
    expect(track!.windows).toHaveLength(3);
    for (const row of [...track!.windows, track!.probabilities]) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const mean = Array.from(track!.probabilities, (_, k) => track!.windows.reduce((a, w) => a + w[k]!, 0) / 3);
    expect(maxAbsDifference(track!.probabilities, mean)).toBeLessThan(1e-6);
    const { hidden, members } = model.metadata.architecture;
    expect(track!.embedding.length).toBe(hidden.at(-1)! * members);
    expect(track!.top.map((t) => t.probability)).toEqual([...track!.top.map((t) => t.probability)].sort((a, b) => b - a));
  });

  it('gives each track of a mixed batch what it gets alone', () => {
    const rows = splitRows('valid').rows;
    const tracks = [rows.slice(0, 3), rows.slice(3, 4), rows.slice(4, 6)].map((windows) => ({ windows, frames: [] }));
    const together = model.predictTracks(tracks);
    tracks.forEach((track, i) => {
      const [alone] = model.predictTracks([track]);
      expect(together[i]!.windows).toHaveLength(track.windows.length);
      expect(maxAbsDifference(together[i]!.probabilities, alone!.probabilities)).toBeLessThan(1e-6);
      expect(maxAbsDifference(together[i]!.embedding, alone!.embedding)).toBeLessThan(1e-6);
      expect(together[i]!.oodScore).toBeCloseTo(alone!.oodScore, 6);
    });
  });

  it('refuses a model made for another feature set, naming both', async () => {
    const dir = tempDir();
    for (const name of fs.readdirSync(DEFAULT_MODEL_DIR)) fs.copyFileSync(path.join(DEFAULT_MODEL_DIR, name), path.join(dir, name));
    fs.writeFileSync(path.join(dir, 'genre-model.json'), JSON.stringify({ ...model.metadata, featureSet: 'gtzan57-v0' }));
    await expect(loadGenreModel(await loadTensorFlow({ SONORITY_TF_BACKEND: 'wasm' }), dir)).rejects.toThrow(/reads descriptors "gtzan57-v0", but this version of Sonority computes "gtzan57-v1"/);
    fs.writeFileSync(path.join(dir, 'model.json'), '{ not json');
    await expect(loadGenreModel(await loadTensorFlow({ SONORITY_TF_BACKEND: 'wasm' }), dir)).rejects.toThrow(/model\.json in .* is damaged/);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertReal, runCli, SHARED_DATA, tempDir } from './helpers/fixtures.ts';
import { GTZAN } from './helpers/gtzan.ts';
import { songName } from './helpers/genre-library.ts';
import { serviceFor } from './helpers/service.ts';
import type { LearningState, ReviewItem, TrackDetail } from '../src-main/api/contract.ts';
import { createLibraryModelsStore } from '../src-main/core/db/library-models-store.ts';
import { createMusicnnStore } from '../src-main/core/db/musicnn-store.ts';
import { networkProbabilities } from '../src-main/core/learning/library-network.ts';
import { retrainOffer } from '../src-main/core/learning/retrain-offer.ts';
import { currentMusicnnVersion } from '../src-main/core/musicnn/model-metadata.ts';

const CLASSICAL: [clip: string, artist: string][] = [['00030', 'Claude Debussy'], ['00031', 'Claude Debussy'], ['00044', 'George Gershwin'], ['00058', 'Erik Satie'], ['00063', 'Franz Schubert']];
const LATIN = ['salsa', 'samba', 'bossa_nova', 'cumbia', 'bolero'];
const ROBIN = path.join(SHARED_DATA, 'recordings', '456440__inspectorj__bird-whistling-robin-single-13.hq.ogg');
const clip = (id: string) => path.join(GTZAN, 'clips', `classical.${id}.first15s.flac`);

let root: string;
let dbPath: string;
let service: Awaited<ReturnType<typeof serviceFor>>;
const idOf = (file: string) => (service.context.db.prepare('SELECT id FROM tracks WHERE path = ?').get(file) as { id: number }).id;
const files: Record<string, string> = {};

/**
 * The library a new user starts with, scanned by the real CLI: five
 * classical clips tagged Classical and five Latin songs tagged with their
 * styles (Bossa Nova, Salsa…: learned as Latin), an untagged jazz clip and
 * an untagged robin's song (too short for a MusiCNN patch).
 */
beforeAll(async () => {
  root = tempDir('sonority-small-');
  dbPath = path.join(tempDir(), 'library.db');
  for (const [id, artist] of CLASSICAL) await convertReal(clip(id), path.join(root, 'classical', `${id}.flac`), 'flac', { genre: 'Classical', artist, title: `Classical ${id}` });
  for (const song of LATIN) files[song] = await convertReal(path.join(SHARED_DATA, 'songs', `${song}.mp3`), path.join(root, 'latin', `${song}.mp3`), 'mp3', { genre: songName(song), title: songName(song) });
  files.jazz = await convertReal(path.join(GTZAN, 'clips', 'jazz.00000.wav'), path.join(root, 'other', 'jazz.flac'), 'flac', { title: 'Untagged jazz' });
  files.robin = path.join(root, 'other', 'robin.ogg');
  fs.copyFileSync(ROBIN, files.robin);
  const scan = await runCli(['scan', root, '--db', dbPath]);
  expect(scan.code, scan.stderr).toBe(0);
  service = await serviceFor(dbPath, root);
}, 300_000);
afterAll(() => service?.close());

describe('the CRNN as the library learner, on 10 tracks of 2 genres', () => {
  it('trains in a worker while the main thread keeps running, with progress and an ETA, and is cancellable without touching the stored model', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 50);
    const first = service.handlers.learnGenres({}) as Promise<LearningState>;
    await expect(service.handlers.learnGenres({}) as Promise<LearningState>).rejects.toMatchObject({ code: 'busy' });
    const state = await first;
    clearInterval(ticker);
    const progress = service.events.flatMap((e) => (e.type === 'learning' ? [e.progress] : []));
    expect(state.summary).toMatchObject({ learner: 'crnn', musicnnModel: currentMusicnnVersion().model, genres: [{ genre: 'Classical', tracks: 5 }, { genre: 'Latin', tracks: 5 }] });
    expect(progress.at(-1)!.done).toBe(progress.at(-1)!.total);
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
    expect(progress.some((p) => p.etaSeconds !== null && p.etaSeconds > 0)).toBe(true);
    expect(ticks, `the main thread ran ${ticks} ticks of 50 ms in ${state.summary!.seconds.toFixed(1)} s of training`).toBeGreaterThan(state.summary!.seconds * 10);

    const before = state.summary!.libraryModelId;
    service.events.length = 0;
    const second = service.handlers.learnGenres({}) as Promise<LearningState>;
    while (!service.events.some((e) => e.type === 'learning' && e.progress.done > 2)) await new Promise((resolve) => setTimeout(resolve, 20));
    expect((service.handlers.learningState({}) as LearningState).training).not.toBeNull();
    service.handlers.cancelLearning({});
    await expect(second).rejects.toMatchObject({ code: 'cancelled' });
    const after = service.handlers.learningState({}) as LearningState;
    expect(after.training).toBeNull();
    expect(after.summary!.libraryModelId).toBe(before);
  }, 180_000);

  it('says no more than 2/3 about anything, abstains on the robin, and says how many examples each genre had', () => {
    const store = createLibraryModelsStore(service.context.db);
    const model = store.current(service.context.model!.metadata.id)!;
    const opinions = [...store.opinions(model.id).values()];
    expect(opinions).toHaveLength(12);
    const bound = 2 / 3 + 1e-6; // two genres of 5 examples: r = 5 / 15 of the opinion is kept
    for (const o of opinions) {
      expect(o.suggestedProbability).toBeLessThanOrEqual(bound);
      if (o.doubt !== null) expect(o.doubt).toBeLessThanOrEqual(bound);
    }
    const bossa = opinions.find((o) => o.trackId === idOf(files.bossa_nova!))!;
    expect(bossa).toMatchObject({ givenGenre: 'Latin', outOfFold: true });
    expect(bossa.doubt!).toBeLessThanOrEqual(bound);
    expect(opinions.find((o) => o.trackId === idOf(files.robin!))).toMatchObject({ abstained: true, doubt: null, flagged: false });
    expect((service.handlers.trackDetail({ trackId: idOf(files.robin!) }) as TrackDetail).library).toBeNull();
    const jazz = service.handlers.trackDetail({ trackId: idOf(files.jazz!) }) as TrackDetail;
    expect(jazz.library!.suggestions.map((s) => s.examples)).toEqual([5, 5]);
    const queue = service.handlers.reviewQueue({}) as ReviewItem[];
    const item = queue.find((q) => q.trackId === idOf(files.jazz!));
    expect(item!.reason).toMatch(/Your library.s genres suggest (Classical|Latin) \(\d+%, learned from 5 tracks\)/);
  });

  it('stores the network, and its plain-JavaScript forward pass gives the probabilities TensorFlow.js gave', () => {
    const store = createLibraryModelsStore(service.context.db);
    const model = store.current(service.context.model!.metadata.id)!;
    const network = store.network(model)!;
    expect(network.musicnnModel).toBe(currentMusicnnVersion().model);
    expect(network.calibration.examples).toEqual([5, 5]);
    const stored = store.opinion(model.id, idOf(files.jazz!))!; // untagged: scored by the final fit, in TensorFlow.js
    const analysis = createMusicnnStore(service.context.db).find(idOf(files.jazz!), currentMusicnnVersion().model)!;
    const again = networkProbabilities(network, analysis.embeddings);
    Array.from(stored.probabilities).forEach((p, i) => expect(again[i]!).toBeCloseTo(p, 4));
  });

  it('gives a track added after training the library\'s opinion at scan time, without retraining', async () => {
    const added = await convertReal(clip('00064'), path.join(root, 'classical', '00064.flac'), 'flac', { genre: 'Classical', artist: 'Franz Schubert', title: 'Classical 00064' });
    const scan = await runCli(['scan', root, '--db', dbPath]);
    expect(scan.code, scan.stderr).toBe(0);
    expect(scan.stdout).toMatch(/1 judged by your library's genres/);
    const store = createLibraryModelsStore(service.context.db);
    const model = store.current(service.context.model!.metadata.id)!;
    const opinion = store.opinion(model.id, idOf(added))!;
    expect(opinion).toMatchObject({ atScan: true, outOfFold: false, givenGenre: 'Classical', abstained: false });
    expect(opinion.doubt).toBeCloseTo(1 - opinion.probabilities[model.genres.indexOf('Classical')]!, 6);
    expect((service.handlers.trackDetail({ trackId: idOf(added) }) as TrackDetail).library!.source).toMatch(/before this track was added/);
    expect(retrainOffer(service.context.db, model)).toEqual({ newTrusted: 1, offered: false, reason: null });
  }, 120_000);

  it('offers a retrain once 10 trusted genres (and 10% of the trained tracks) arrived since training', () => {
    const ids = (service.context.db.prepare('SELECT id FROM tracks ORDER BY id').all() as { id: number }[]).map((row) => row.id).slice(0, 9);
    ids.forEach((trackId) => service.handlers.decide({ trackId, action: 'custom', genres: ['Jazz'] }));
    let state = service.handlers.learningState({}) as LearningState;
    expect(state.retrain).toEqual({ newTrusted: 10, offered: true, reason: '10 trusted genres arrived since it was trained on 10 tracks' });
    service.handlers.decide({ trackId: ids[0]!, action: 'skip' });
    state = service.handlers.learningState({}) as LearningState;
    expect(state.retrain).toMatchObject({ newTrusted: 9, offered: false });
  });
});

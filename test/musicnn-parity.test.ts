import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio } from '../src-main/core/decode/decoder.ts';
import { loadTensorFlow, type TfRuntime } from '../src-main/core/model/tf-runtime.ts';
import { MUSICNN_BANDS, MUSICNN_SAMPLE_RATE } from '../src-main/core/musicnn/input-definition.ts';
import { musicnnMel, type MusicnnMel } from '../src-main/core/musicnn/mel-input.ts';
import { loadMusicnnModels, type MusicnnModels } from '../src-main/core/musicnn/load-models.ts';
import { MUSICNN_EMBEDDING_SIZE } from '../src-main/core/musicnn/model-metadata.ts';
import { patchStarts } from '../src-main/core/musicnn/patches.ts';
import { predictPatches } from '../src-main/core/musicnn/predict.ts';
import { SHARED_DATA } from './helpers/fixtures.ts';

/**
 * Parity with Essentia's own MusiCNN input and outputs on the eight files of
 * `../shared/data/musicnn-reference/` (see `../shared/models/README.md`):
 * the frame count exactly, every mel value within 1e-3, and the tags,
 * embedding and head probabilities within 0.005 on every patch. The model
 * runs (about 0.2 s a patch on wasm) on every patch of three files by
 * default: one GTZAN clip, one song and the recording with digital silence;
 * `MUSICNN_PARITY_ALL=1` runs it on all eight.
 */
const REFERENCE_DIR = path.join(SHARED_DATA, 'musicnn-reference');
const MODEL_FILES = process.env.MUSICNN_PARITY_ALL === '1' ? undefined : new Set(['blues.00000', 'heavy_metal', 'Hungarian_Dance_number_5_-_Allegro_in_F_sharp_minor_(string_orchestra)']);
const MEL_TOLERANCE = 1e-3;
const OUTPUT_TOLERANCE = 0.005;

interface ReferenceOutputs {
  source: string;
  sampleRate: number;
  frames: number;
  bands: number;
  patchSize: number;
  patchHop: number;
  patchStarts: number[];
  headClasses: Record<string, string[]>;
  tags: number[][];
  embedding: number[][];
  heads: Record<string, number[][]>;
}

const names = fs.readdirSync(REFERENCE_DIR).filter((file) => file.endsWith('.outputs.json')).map((file) => file.slice(0, -'.outputs.json'.length)).sort();

/** The audio a reference was made from: the path it names under shared/data, else a file of that name in clips/, songs/ or recordings/. */
function sourceFile(reference: ReferenceOutputs): string {
  const named = path.join(SHARED_DATA, reference.source.replace(/^shared\/data\//, ''));
  if (fs.existsSync(named)) return named;
  const base = path.basename(reference.source);
  const found = ['gtzan/clips', 'songs', 'recordings'].map((dir) => path.join(SHARED_DATA, dir, base)).find((file) => fs.existsSync(file));
  if (!found) throw new Error(`no source audio for ${reference.source} under ${SHARED_DATA}`);
  return found;
}

function readReference(name: string): { outputs: ReferenceOutputs; mel: Float32Array } {
  const outputs = JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, `${name}.outputs.json`), 'utf8')) as ReferenceOutputs;
  const bytes = fs.readFileSync(path.join(REFERENCE_DIR, `${name}.mel.f32`));
  const mel = new Float32Array(bytes.length / 4);
  for (let i = 0; i < mel.length; i++) mel[i] = bytes.readFloatLE(4 * i);
  return { outputs, mel };
}

function maxDifference(ours: ArrayLike<number>, theirs: ArrayLike<number>): number {
  expect(ours.length).toBe(theirs.length);
  let max = 0;
  for (let i = 0; i < ours.length; i++) max = Math.max(max, Math.abs(ours[i]! - theirs[i]!));
  return max;
}

const report: Record<string, { frames: number; mel: number; patches?: number; tags?: number; embedding?: number; heads?: number; msPerPatch?: number }> = {};

describe('MusiCNN parity with Essentia', () => {
  let runtime: TfRuntime;
  let models: MusicnnModels;
  let tensorsBefore: number;
  const mels = new Map<string, MusicnnMel>();

  beforeAll(async () => {
    runtime = await loadTensorFlow();
    tensorsBefore = runtime.tf.memory().numTensors;
    models = await loadMusicnnModels(runtime.tf);
  });

  afterAll(() => {
    models?.dispose();
    console.info(`MusiCNN parity (${runtime?.backend}): file | frames | max |mel Δ| | patches | max |tags Δ| | max |embedding Δ| | max |heads Δ| | ms/patch`);
    for (const [name, r] of Object.entries(report)) console.info(`${name} | ${r.frames} | ${r.mel.toExponential(2)} | ${r.patches ?? '-'} | ${r.tags?.toExponential(2) ?? '-'} | ${r.embedding?.toExponential(2) ?? '-'} | ${r.heads?.toExponential(2) ?? '-'} | ${r.msPerPatch?.toFixed(0) ?? '-'}`);
  });

  it('has the eight reference files', () => expect(names).toHaveLength(8));

  it.each(names)('%s: frame count and every mel value within 1e-3', async (name) => {
    const { outputs, mel } = readReference(name);
    expect(outputs).toMatchObject({ sampleRate: MUSICNN_SAMPLE_RATE, bands: MUSICNN_BANDS, patchSize: 187, patchHop: 93 });
    const samples = await decodeAudio(sourceFile(outputs), { sampleRate: MUSICNN_SAMPLE_RATE });
    const ours = musicnnMel(samples);
    expect(ours.frames).toBe(outputs.frames);
    expect(mel.length).toBe(outputs.frames * MUSICNN_BANDS);
    const difference = maxDifference(ours.bands, mel);
    report[name] = { frames: ours.frames, mel: difference };
    expect(difference).toBeLessThanOrEqual(MEL_TOLERANCE);
    expect(patchStarts(ours.frames)).toEqual(outputs.patchStarts);
    mels.set(name, ours);
  });

  it.each(names.filter((name) => !MODEL_FILES || MODEL_FILES.has(name)))('%s: tags, embedding and heads within 0.005 on every patch', async (name) => {
    const { outputs } = readReference(name);
    const mel = mels.get(name) ?? musicnnMel(await decodeAudio(sourceFile(outputs), { sampleRate: MUSICNN_SAMPLE_RATE }));
    const tensors = runtime.tf.memory().numTensors;
    const started = performance.now();
    const predicted = await predictPatches(models, mel);
    const msPerPatch = (performance.now() - started) / predicted.starts.length;
    expect(runtime.tf.memory().numTensors).toBe(tensors);
    expect(predicted.starts).toEqual(outputs.patchStarts);
    const tags = maxDifference(predicted.tags, outputs.tags.flat());
    const embedding = maxDifference(predicted.embedding, outputs.embedding.flat());
    expect(predicted.embedding.length).toBe(predicted.starts.length * MUSICNN_EMBEDDING_SIZE);
    let heads = 0;
    for (const { metadata } of models.heads) {
      expect(outputs.headClasses[metadata.name]).toEqual(metadata.classes);
      heads = Math.max(heads, maxDifference(predicted.heads[metadata.name], outputs.heads[metadata.name]!.map((softmax) => softmax[metadata.positiveIndex]!)));
    }
    Object.assign(report[name] ?? (report[name] = { frames: mel.frames, mel: NaN }), { patches: predicted.starts.length, tags, embedding, heads, msPerPatch });
    expect(tags).toBeLessThanOrEqual(OUTPUT_TOLERANCE);
    expect(embedding).toBeLessThanOrEqual(OUTPUT_TOLERANCE);
    expect(heads).toBeLessThanOrEqual(OUTPUT_TOLERANCE);
  });

  it('reads the relaxed head\'s positive class from its JSON (second), the others\' first', () => {
    expect(Object.fromEntries(models.heads.map((head) => [head.metadata.name, head.metadata.positiveIndex]))).toEqual({ danceability: 0, mood_aggressive: 0, mood_happy: 0, mood_relaxed: 1 });
  });

  it('names the missing file when a model folder is incomplete', async () => {
    await expect(loadMusicnnModels(runtime.tf, { dir: path.join(REFERENCE_DIR, 'no-such-model') })).rejects.toMatchObject({ code: 'model-missing', message: expect.stringContaining('msd-musicnn-1.json') });
  });

  it('leaves no tensor behind once the models are disposed', async () => {
    const fresh = await loadMusicnnModels(runtime.tf);
    const mel = musicnnMel(new Float32Array(MUSICNN_SAMPLE_RATE * 4));
    await predictPatches(fresh, mel, { batchSize: 1 });
    fresh.dispose();
    models.dispose();
    expect(runtime.tf.memory().numTensors).toBe(tensorsBefore);
    models = await loadMusicnnModels(runtime.tf);
  });
});

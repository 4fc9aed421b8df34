/**
 * The MusiCNN parity references under ../shared/data/musicnn-reference:
 * Essentia's mel input (`<name>.mel.f32`, float32 frames × 96) and its model
 * outputs per patch (`<name>.outputs.json`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { SHARED_DATA } from './fixtures.ts';

const MUSICNN_REFERENCE_DIR = path.join(SHARED_DATA, 'musicnn-reference');
export const MUSICNN_MODEL_DIR = path.resolve(SHARED_DATA, '..', 'models', 'msd-musicnn-1');
export const PATCH_FRAMES = 187;
export const MEL_BANDS = 96;

/** One reference file: its mel frames, patch starts and Essentia's outputs per patch. */
export interface MusicnnReference {
  name: string;
  mel: Float32Array;
  patchStarts: number[];
  tags: number[][];
  embedding: number[][];
}

/** The reference names (file names without `.mel.f32`), sorted. */
export function musicnnReferenceNames(): string[] {
  return fs.readdirSync(MUSICNN_REFERENCE_DIR).filter((f) => f.endsWith('.mel.f32')).map((f) => f.slice(0, -'.mel.f32'.length)).sort();
}

/** Reads one reference. */
export function readMusicnnReference(name: string): MusicnnReference {
  const bytes = fs.readFileSync(path.join(MUSICNN_REFERENCE_DIR, `${name}.mel.f32`));
  const mel = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const outputs = JSON.parse(fs.readFileSync(path.join(MUSICNN_REFERENCE_DIR, `${name}.outputs.json`), 'utf8')) as Omit<MusicnnReference, 'name' | 'mel'>;
  return { name, mel, patchStarts: outputs.patchStarts, tags: outputs.tags, embedding: outputs.embedding };
}

/** The patches starting at `starts`, one after another: a `[starts.length, 187, 96]` batch. */
export function patchBatch(mel: Float32Array, starts: readonly number[]): Float32Array {
  const size = PATCH_FRAMES * MEL_BANDS;
  const batch = new Float32Array(starts.length * size);
  starts.forEach((start, i) => batch.set(mel.subarray(start * MEL_BANDS, start * MEL_BANDS + size), i * size));
  return batch;
}

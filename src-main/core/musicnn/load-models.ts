import path from 'node:path';
import type { Tf } from '../model/tf-runtime.ts';
import { readDenseHead, type DenseHead } from './dense-head.ts';
import { DEFAULT_MUSICNN_DIR, DEFAULT_MUSICNN_HEADS_DIR, MUSICNN_HEAD_NAMES, readHeadMetadata, readMusicnnMetadata, type MusicnnMetadata } from './model-metadata.ts';
import { loadChosenTagger, loadTfjsTagger, type MusicnnTagger } from './tagger-runtime.ts';

/** The MusiCNN tagger (on its runtime) and its four heads (plain TypeScript). */
export interface MusicnnModels {
  metadata: MusicnnMetadata;
  tagger: MusicnnTagger;
  /** The heads in `MUSICNN_HEAD_NAMES` order. */
  heads: DenseHead[];
  /** Releases the tagger (a TensorFlow.js one at once, before the returned promise settles). */
  dispose(): Promise<void>;
}

/** Where the models are read from (defaults: the shipped `models/` folders). */
export interface MusicnnModelDirs {
  dir?: string;
  headsDir?: string;
}

/**
 * Reads the tagger's metadata (tag names) and the four heads with their
 * class order, then loads the tagger from the model folder with
 * `loadTagger` — only once everything else has been read, so a broken
 * model folder leaves nothing loaded. Throws `model-missing` or
 * `model-invalid` naming the file.
 */
export async function loadMusicnnModelsWith(loadTagger: (dir: string) => Promise<MusicnnTagger>, dirs: MusicnnModelDirs = {}): Promise<MusicnnModels> {
  const dir = dirs.dir ?? DEFAULT_MUSICNN_DIR;
  const headsDir = dirs.headsDir ?? DEFAULT_MUSICNN_HEADS_DIR;
  const metadata = readMusicnnMetadata(dir);
  const heads = MUSICNN_HEAD_NAMES.map((name) => readDenseHead(path.join(headsDir, name), readHeadMetadata(name, headsDir)));
  const tagger = await loadTagger(dir);
  return { metadata, tagger, heads, dispose: () => tagger.dispose() };
}

/** Loads `msd-musicnn-1` on TensorFlow.js (`tf.loadGraphModel` through a file IO handler, no network) and the four heads. */
export function loadMusicnnModels(tf: Tf, dirs: MusicnnModelDirs = {}): Promise<MusicnnModels> {
  return loadMusicnnModelsWith((dir) => loadTfjsTagger(tf, dir), dirs);
}

/** The shipped models as the analysis stage runs them: the tagger on the runtime `loadChosenTagger` picks, and the four heads. */
export function loadMusicnnForAnalysis(env: NodeJS.ProcessEnv = process.env): Promise<MusicnnModels> {
  return loadMusicnnModelsWith((dir) => loadChosenTagger(env, dir));
}

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SonorityError } from '../errors.ts';
import { readModelJson } from './graph-model-files.ts';
import { MUSICNN_INPUT_VERSION } from './input-definition.ts';

/** The shipped MusiCNN auto-tagger's folder (`models/msd-musicnn-1/`). */
export const DEFAULT_MUSICNN_DIR = fileURLToPath(new URL('../../../models/msd-musicnn-1/', import.meta.url));
/** The folder holding the four heads, one subfolder each (`models/musicnn-heads/`). */
export const DEFAULT_MUSICNN_HEADS_DIR = fileURLToPath(new URL('../../../models/musicnn-heads/', import.meta.url));

/** The four classifiers on the MusiCNN embedding, in Sonority's order. */
export const MUSICNN_HEAD_NAMES = ['danceability', 'mood_aggressive', 'mood_happy', 'mood_relaxed'] as const;
/** What the API, the CLI's flags and the filters call each head, in `MUSICNN_HEAD_NAMES` order. */
export const MUSICNN_HEAD_KEYS = ['danceability', 'aggressive', 'happy', 'relaxed'] as const;
/** The name of one of the heads. */
export type MusicnnHeadName = (typeof MUSICNN_HEAD_NAMES)[number];

/** The class whose probability Sonority reports for each head (its JSON says where it sits). */
export const POSITIVE_CLASS: Record<MusicnnHeadName, string> = {
  danceability: 'danceable',
  mood_aggressive: 'aggressive',
  mood_happy: 'happy',
  mood_relaxed: 'relaxed',
};

/** Graph node names of msd-musicnn-1 in this conversion (the dense layer and its ReLU are fused). */
export const MUSICNN_NODES = { input: 'model/Placeholder', tags: 'model/Sigmoid', embedding: 'model/dense/Relu' } as const;
/** Graph node names of each head. */
export const HEAD_NODES = { input: 'model/Placeholder', output: 'model/Softmax' } as const;
/** Values in the embedding (`model/dense/Relu`). */
export const MUSICNN_EMBEDDING_SIZE = 200;
/** Tags the tagger outputs (`model/Sigmoid`). */
export const MUSICNN_TAG_COUNT = 50;

/** What Sonority reads from `msd-musicnn-1.json`. */
export interface MusicnnMetadata {
  /** Model id stored with every result: `msd-musicnn-<version>`. */
  id: string;
  /** The 50 tag names in output order. */
  tags: string[];
}

/** What Sonority reads from a head's `<name>.json`. */
export interface HeadMetadata {
  name: MusicnnHeadName;
  /** The two softmax classes in output order. */
  classes: string[];
  /** Index of `POSITIVE_CLASS[name]` in `classes`. */
  positiveIndex: number;
}

/** Reads the tagger's metadata: its id and the 50 tag names (`model-invalid` if they are not 50 strings). */
export function readMusicnnMetadata(dir: string = DEFAULT_MUSICNN_DIR): MusicnnMetadata {
  const json = readModelJson<{ version?: string; classes?: unknown }>(dir, 'msd-musicnn-1.json', 'the MusiCNN model');
  const tags = json.classes;
  if (!Array.isArray(tags) || tags.length !== MUSICNN_TAG_COUNT || !tags.every((tag) => typeof tag === 'string')) throw new SonorityError('model-invalid', `msd-musicnn-1.json in ${dir} does not list the model's 50 tags`);
  return { id: `msd-musicnn-${json.version ?? '1'}`, tags: tags as string[] };
}

/** Reads a head's class order and finds its positive class (`model-invalid` when the JSON lacks it). */
export function readHeadMetadata(name: MusicnnHeadName, headsDir: string = DEFAULT_MUSICNN_HEADS_DIR): HeadMetadata {
  const dir = path.join(headsDir, name);
  const json = readModelJson<{ classes?: unknown }>(dir, `${name}.json`, `the ${name} head`);
  const classes = json.classes;
  const positiveIndex = Array.isArray(classes) ? classes.indexOf(POSITIVE_CLASS[name]) : -1;
  if (!Array.isArray(classes) || classes.length !== 2 || positiveIndex < 0) throw new SonorityError('model-invalid', `${name}.json in ${dir} does not list two classes including "${POSITIVE_CLASS[name]}"`);
  return { name, classes: classes as string[], positiveIndex };
}

/** What a stored MusiCNN analysis is versioned by: the model's id and the input's version. */
export interface MusicnnVersion {
  model: string;
  inputVersion: string;
}

/** The version of what the shipped model (or the one in `dir`) computes now: `msd-musicnn-1` + `musicnn-input-v1`. */
export function currentMusicnnVersion(dir: string = DEFAULT_MUSICNN_DIR): MusicnnVersion {
  return { model: readMusicnnMetadata(dir).id, inputVersion: MUSICNN_INPUT_VERSION };
}

/**
 * What the scan computes for one file that the out-of-distribution checks
 * read: the GTZAN model's descriptor OOD score and flag, and the MusiCNN
 * stage's patch embeddings and track-mean tags, each through the real stage
 * code (`analyseFile`, then `analyseMusicnn` on the same windows). Cached in
 * `.cache/musicnn-ood/` by file name and model versions, since MusiCNN on 108
 * files takes minutes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { analyseFile, descriptorRows } from '../src-main/core/analysis/analyse-file.ts';
import type { GenreModel } from '../src-main/core/model/genre-model.ts';
import { analyseMusicnn } from '../src-main/core/musicnn/analyse-musicnn.ts';
import type { MusicnnModels } from '../src-main/core/musicnn/load-models.ts';
import { currentMusicnnVersion } from '../src-main/core/musicnn/model-metadata.ts';
import { REPO_ROOT, SHARED_DATA } from './opinion-experts.ts';

const CACHE = path.join(REPO_ROOT, '.cache', 'musicnn-ood');

/** One file as the OOD checks see it. */
export interface OodInputs {
  descriptorScore: number;
  descriptorFlag: boolean;
  /** `patches × 200` MusiCNN embedding rows (float32, as the stage computes them). */
  embeddings: number[][];
  /** Track mean of the 50 tag probabilities (empty without a patch). */
  tags: number[];
}

/** The 70 GTZAN clips of `../shared/data/gtzan/clips`, by path. */
export function gtzanClips(): string[] {
  const dir = path.join(SHARED_DATA, 'gtzan', 'clips');
  return fs.readdirSync(dir).filter((f) => /\.(wav|flac)$/.test(f)).sort().map((f) => path.join(dir, f));
}

/** The OOD inputs of `file`, from the cache when the model versions match, else computed and cached. */
export async function oodInputs(file: string, gtzan: GenreModel, musicnn: () => Promise<MusicnnModels>): Promise<OodInputs> {
  const version = currentMusicnnVersion();
  const cached = path.join(CACHE, `${path.basename(file)}.${gtzan.metadata.id}.${version.model}.${version.inputVersion}.json`);
  if (fs.existsSync(cached)) return JSON.parse(fs.readFileSync(cached, 'utf8')) as OodInputs;
  const analysis = await analyseFile({ path: file });
  const [p] = gtzan.predictTracks([{ windows: descriptorRows(analysis.windows), frames: descriptorRows(analysis.frames) }]);
  const windows = Array.from(analysis.windows.starts, (start, i) => ({ start, length: analysis.windows.lengths[i]! }));
  const m = await analyseMusicnn(file, windows, { models: musicnn });
  const embeddings = Array.from({ length: m.patchStarts.length }, (_, i) => Array.from(m.embeddings.subarray(i * 200, (i + 1) * 200)));
  const inputs: OodInputs = { descriptorScore: p!.oodScore, descriptorFlag: p!.outOfDistribution, embeddings, tags: Array.from(m.tags) };
  fs.mkdirSync(CACHE, { recursive: true });
  fs.writeFileSync(cached, JSON.stringify(inputs));
  return inputs;
}

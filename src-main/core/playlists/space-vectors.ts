import { DESCRIPTOR_NAMES } from '../features/descriptors.ts';
import { fitStandardiser, standardise, zScoreColumns } from '../model/standardiser.ts';
import { SonorityError } from '../errors.ts';
import type { SpaceTrack, SpaceWeights } from './similarity-space.ts';

type Block = keyof SpaceWeights;

/** The descriptor standardiser is fitted on at most this many evenly spaced tracks (its means and deviations barely move beyond). */
const FIT_SAMPLE = 4096;

function descriptorBlock(name: string): Block | null {
  if (name === 'tempo') return null;
  if (name.startsWith('mfcc')) return 'timbre';
  return /^(chroma_stft|harmony|perceptr)_/.test(name) ? 'harmony' : 'spectrum';
}

/** Each descriptor column's destination column (−1: left out) and each destination column's block. */
const DESCRIPTOR_LAYOUT = (() => {
  const blocks: Block[] = [];
  const target = DESCRIPTOR_NAMES.map((name) => {
    const block = descriptorBlock(name);
    return block ? blocks.push(block) - 1 : -1;
  });
  return { target, blocks };
})();

/** The learned embeddings, each its own block: the genre model's and MusiCNN's mean patch embedding. */
const EMBEDDINGS: [Block, (track: SpaceTrack) => ArrayLike<number> | null | undefined][] = [
  ['embedding', (track) => track.embedding],
  ['musicnn', (track) => track.musicnn?.embedding],
];

function embeddingWidth(tracks: readonly SpaceTrack[], block: Block, of: (track: SpaceTrack) => ArrayLike<number> | null | undefined): number {
  let width: number | null = null;
  for (const track of tracks) {
    const values = of(track);
    if (!values) continue;
    if (width !== null && values.length !== width) throw new SonorityError('usage', `track ${track.trackId}'s ${block} block has ${values.length} values where others have ${width}: they come from different models`);
    width = values.length;
  }
  return width ?? 0;
}

/**
 * The weighted vectors of `tracks` (the recipe is in `similarity-space.ts`):
 * row-major, one row per track; columns are the descriptors but tempo, then
 * log₂ tempo, then the genre model's embedding, then MusiCNN's.
 */
export function weightedVectors(tracks: readonly SpaceTrack[], weights: SpaceWeights): { vectors: Float32Array; dimensions: number } {
  const n = tracks.length;
  const widths = EMBEDDINGS.map(([block, of]) => embeddingWidth(tracks, block, of));
  const blocks: Block[] = [...DESCRIPTOR_LAYOUT.blocks, 'tempo', ...EMBEDDINGS.flatMap(([block], e) => Array<Block>(widths[e]!).fill(block))];
  const d = blocks.length;
  const vectors = new Float32Array(n * d);
  if (n === 0) return { vectors, dimensions: d };
  const descriptors = tracks.map((t) => t.descriptors);
  const stride = Math.ceil(n / FIT_SAMPLE);
  standardise(fitStandardiser(descriptors.filter((_, row) => row % stride === 0)), descriptors).forEach((standardised, row) => {
    for (let k = 0; k < standardised.length; k++) {
      if (DESCRIPTOR_LAYOUT.target[k]! >= 0) vectors[row * d + DESCRIPTOR_LAYOUT.target[k]!] = standardised[k]!;
    }
  });
  const tempoColumn = DESCRIPTOR_LAYOUT.blocks.length;
  const hasTempo = Uint8Array.from(tracks, (t) => (t.tempo > 0 ? 1 : 0));
  const present: Uint8Array[] = [hasTempo];
  let column = tempoColumn + 1;
  EMBEDDINGS.forEach(([, of], e) => {
    const has = Uint8Array.from(tracks, (t) => (of(t) ? 1 : 0));
    tracks.forEach((track, row) => {
      const values = of(track);
      for (let k = 0; k < widths[e]! && values; k++) vectors[row * d + column + k] = values[k]!;
    });
    present.push(...Array<Uint8Array>(widths[e]!).fill(has));
    column += widths[e]!;
  });
  tracks.forEach((track, row) => {
    if (hasTempo[row] === 1) vectors[row * d + tempoColumn] = Math.log2(track.tempo);
  });
  zScoreColumns(vectors, d, tempoColumn, present);
  const squares = new Float64Array(d);
  for (let i = 0; i < vectors.length; i++) squares[i % d]! += vectors[i]! ** 2;
  const variance = new Map<Block, number>();
  blocks.forEach((block, j) => variance.set(block, (variance.get(block) ?? 0) + squares[j]! / n));
  const scale = blocks.map((block) => (variance.get(block)! > 0 ? Math.sqrt(weights[block] / variance.get(block)!) : 0));
  for (let i = 0; i < vectors.length; i++) vectors[i]! *= scale[i % d]!;
  return { vectors, dimensions: d };
}

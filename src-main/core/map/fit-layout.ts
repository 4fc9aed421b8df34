import { UMAP } from 'umap-js';
import { mulberry32 } from './seeded-random.ts';

/**
 * The UMAP parameters of a full fit. 15 neighbours (UMAP's default) keeps
 * both local neighbourhoods and the coarse arrangement of genres: fewer
 * fragments a small library into islands, more blurs subgenres together;
 * `minDist` 0.1 packs similar tracks tightly while leaving discs of one
 * cluster distinguishable. Epochs follow umap-js (500 up to 2,500 tracks,
 * falling to 200 above 7,500), which keeps 100,000 tracks to minutes.
 */
export const UMAP_PARAMS = { nNeighbors: 15, minDist: 0.1, spread: 1 } as const;

/** The seed of every fit unless told otherwise: the same library gives the same map. */
export const DEFAULT_SEED = 42;

/**
 * Lays `vectors` out in two dimensions with UMAP (umap-js) seeded by `seed`,
 * returning x, y interleaved. Libraries too small for UMAP's neighbour graph
 * (under 3 tracks) get fixed positions; under 16 tracks the neighbour count is
 * the library size less one.
 */
export function fitLayout(vectors: Float32Array[], seed: number = DEFAULT_SEED): Float32Array {
  const n = vectors.length;
  const xy = new Float32Array(n * 2);
  if (n < 3) {
    for (let i = 0; i < n; i++) xy[i * 2] = i * 2 - (n - 1);
    return xy;
  }
  const umap = new UMAP({ nComponents: 2, ...UMAP_PARAMS, nNeighbors: Math.min(UMAP_PARAMS.nNeighbors, n - 1), random: mulberry32(seed) });
  const embedding = umap.fit(vectors.map((vector) => Array.from(vector)));
  embedding.forEach(([x, y], i) => {
    xy[i * 2] = x!;
    xy[i * 2 + 1] = y!;
  });
  return xy;
}

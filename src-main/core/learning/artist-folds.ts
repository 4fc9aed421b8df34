import { createRandom, permutation } from '../model/prng.ts';

/**
 * The artist group of each track: tracks whose artists match case- and
 * space-insensitively share a group; a track with no artist (null or blank)
 * is a group of its own. Groups are numbered 0, 1, … in order of first use.
 */
export function artistGroups(artists: readonly (string | null)[]): Int32Array {
  const byKey = new Map<string, number>();
  let next = 0;
  return Int32Array.from(artists, (artist) => {
    const key = artist?.normalize('NFKC').toLowerCase().replace(/\s+/g, '') ?? '';
    if (!key) return next++;
    if (!byKey.has(key)) byKey.set(key, next++);
    return byKey.get(key)!;
  });
}

interface Group {
  rows: number[];
  classCounts: Map<number, number>;
}

function collectGroups(groups: ArrayLike<number>, labels: ArrayLike<number>): Group[] {
  const byId = new Map<number, Group>();
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]! < 0) continue;
    let group = byId.get(groups[i]!);
    if (!group) byId.set(groups[i]!, (group = { rows: [], classCounts: new Map() }));
    group.rows.push(i);
    group.classCounts.set(labels[i]!, (group.classCounts.get(labels[i]!) ?? 0) + 1);
  }
  return [...byId.values()];
}

/**
 * Artist-grouped, genre-stratified k-fold assignment of the labelled rows
 * (label ≥ 0; the others get fold −1). Every artist group lies in exactly one
 * fold, so no fold's held-out tracks share an artist with its training part.
 * Groups are placed largest first (ties in a seeded random order), each into
 * the fold where its genres and its size are least represented so far, which
 * balances the folds' sizes and genre mix as far as the groups allow.
 * Deterministic for a seed. Makes `requested` folds, or one per group when
 * there are fewer groups, none of them empty.
 */
export function assignFolds(groups: ArrayLike<number>, labels: ArrayLike<number>, requested: number, seed: number): Int32Array {
  const all = collectGroups(groups, labels);
  const k = Math.min(requested, all.length);
  const shuffled = Array.from(permutation(all.length, createRandom(seed)), (i) => all[i]!);
  const ordered = shuffled.sort((a, b) => b.rows.length - a.rows.length);
  const classTotals = new Map<number, number>();
  for (const group of all) for (const [c, n] of group.classCounts) classTotals.set(c, (classTotals.get(c) ?? 0) + n);
  const labelled = all.reduce((sum, group) => sum + group.rows.length, 0);
  const foldClass = Array.from({ length: k }, () => new Map<number, number>());
  const foldSize = new Array<number>(k).fill(0);
  const fold = new Int32Array(labels.length).fill(-1);
  for (const group of ordered) {
    const cost = (f: number) => foldSize[f]! * group.rows.length / labelled
      + [...group.classCounts].reduce((sum, [c, n]) => sum + n * (foldClass[f]!.get(c) ?? 0) / classTotals.get(c)!, 0);
    let best = 0;
    for (let f = 1; f < k; f++) if (cost(f) < cost(best)) best = f;
    for (const row of group.rows) fold[row] = best;
    foldSize[best]! += group.rows.length;
    for (const [c, n] of group.classCounts) foldClass[best]!.set(c, (foldClass[best]!.get(c) ?? 0) + n);
  }
  return fold;
}

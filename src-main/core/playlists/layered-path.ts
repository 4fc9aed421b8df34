/**
 * A layered graph for a Viterbi search: a fixed start, one layer of
 * candidates per step, a fixed end. Costs are non-negative; Infinity forbids.
 */
export interface Layers {
  /** Cost of each candidate of each layer itself. */
  nodes: Float64Array[];
  /**
   * Edge costs into each layer, row-major [previous candidate][candidate]; the
   * previous layer of layer 0 is the start alone.
   */
  edges: Float64Array[];
  /** Cost of the edge from each candidate of the last layer to the end. */
  exits: Float64Array;
  /** 1 for the candidates of each layer that may not be chosen. */
  banned: Uint8Array[];
}

/**
 * The cheapest start-to-end path choosing one candidate per layer (dynamic
 * programming, O(layers · candidates²)), as candidate indices; null when
 * every path is forbidden.
 */
export function cheapestPath(layers: Layers): Int32Array | null {
  const { nodes, edges, banned } = layers;
  if (nodes.length === 0) return new Int32Array(0);
  const back: Int32Array[] = [];
  let previous = Float64Array.of(0);
  nodes.forEach((node, layer) => {
    const size = node.length;
    const here = new Float64Array(size).fill(Infinity);
    const from = new Int32Array(size).fill(-1);
    const edge = edges[layer]!;
    for (let c = 0; c < size; c++) {
      if (banned[layer]![c] === 1) continue;
      for (let p = 0; p < previous.length; p++) {
        const total = previous[p]! + edge[p * size + c]!;
        if (total < here[c]!) {
          here[c] = total;
          from[c] = p;
        }
      }
      here[c]! += node[c]!;
    }
    back.push(from);
    previous = here;
  });
  let best = -1, bestCost = Infinity;
  previous.forEach((value, c) => {
    const total = value + layers.exits[c]!;
    if (total < bestCost) [best, bestCost] = [c, total];
  });
  if (best < 0) return null;
  const chosen = new Int32Array(nodes.length);
  for (let layer = nodes.length - 1; layer >= 0; layer--) {
    chosen[layer] = best;
    best = back[layer]![best]!;
  }
  return chosen;
}

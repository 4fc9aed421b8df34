/** How many placed tracks a new track's position is taken from. */
export const PLACEMENT_NEIGHBOURS = 5;

/**
 * Positions for new tracks without moving the placed ones: each new vector
 * goes to the mean of the positions of its `k` nearest placed vectors
 * (Euclidean, on unit vectors: cosine order), weighted by 1 / distance so a
 * near-duplicate lands on its twin. Returns x, y interleaved per new vector.
 * Throws when nothing is placed yet.
 */
export function placeByNeighbours(placedVectors: Float32Array[], placedXy: Float32Array, newVectors: Float32Array[], k: number = PLACEMENT_NEIGHBOURS): Float32Array {
  if (placedVectors.length === 0) throw new Error('placing by neighbours needs placed tracks');
  const xy = new Float32Array(newVectors.length * 2);
  newVectors.forEach((vector, n) => {
    const nearest: Array<{ index: number; distance: number }> = [];
    placedVectors.forEach((placed, index) => {
      let sum = 0;
      for (let d = 0; d < vector.length; d++) sum += (vector[d]! - placed[d]!) ** 2;
      const distance = Math.sqrt(sum);
      if (nearest.length < k || distance < nearest[nearest.length - 1]!.distance) {
        nearest.push({ index, distance });
        nearest.sort((a, b) => a.distance - b.distance);
        if (nearest.length > k) nearest.pop();
      }
    });
    let x = 0, y = 0, total = 0;
    for (const { index, distance } of nearest) {
      const weight = 1 / Math.max(distance, 1e-6);
      x += weight * placedXy[index * 2]!;
      y += weight * placedXy[index * 2 + 1]!;
      total += weight;
    }
    xy[n * 2] = x / total;
    xy[n * 2 + 1] = y / total;
  });
  return xy;
}

/** Float32 arrays one after another, in one new array. */
export function concatFloat32(arrays: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(arrays.reduce((sum, array) => sum + array.length, 0));
  arrays.reduce((at, array) => (out.set(array, at), at + array.length), 0);
  return out;
}

/** The bytes of a typed array, for a BLOB column (little-endian on every platform Sonority ships for). */
export function toBlob(array: Float32Array | Int32Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/** A float32 BLOB column back as an aligned Float32Array (copied: SQLite's buffer may be unaligned). */
export function float32FromBlob(blob: Uint8Array): Float32Array {
  return new Float32Array(new Uint8Array(blob).buffer);
}

/** An int32 BLOB column back as an Int32Array (copied). */
export function int32FromBlob(blob: Uint8Array): Int32Array {
  return new Int32Array(new Uint8Array(blob).buffer);
}

/**
 * Compact BLOB encodings for model outputs: probabilities as one byte each,
 * other values as IEEE 754 half precision (float16, little-endian).
 */

const single = new Float32Array(1);
const singleBits = new Uint32Array(single.buffer);
/** 0.5: adding it to a value under 2^-14 leaves that value's float16 subnormal mantissa, rounded to nearest even, in the low bits. */
const SUBNORMAL_MAGIC = 0.5;
const SUBNORMAL_MAGIC_BITS = 126 << 23;

/**
 * The float16 bits of a number, rounded to nearest even as the float32 it is
 * first rounded to (F. Giesen's `float_to_half_fast3_rtne`): ±65520 and
 * beyond become ±infinity, NaN stays NaN, values under 2^-14 become
 * subnormals.
 */
export function float16Bits(value: number): number {
  single[0] = value;
  const sign = (singleBits[0]! >>> 16) & 0x8000;
  single[0] = Math.abs(single[0]!);
  const bits = singleBits[0]!;
  if (bits >= (127 + 16) << 23) return sign | (bits > 0x7f800000 ? 0x7e00 : 0x7c00);
  if (bits < 113 << 23) {
    single[0] = single[0]! + SUBNORMAL_MAGIC;
    return sign | (singleBits[0]! - SUBNORMAL_MAGIC_BITS);
  }
  const odd = (bits >>> 13) & 1;
  return sign | ((bits + ((15 - 127) << 23) + 0xfff + odd) >>> 13);
}

/** The number float16 bits stand for. */
export function fromFloat16Bits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** Values as a BLOB of little-endian float16 (2 bytes each). */
export function float16Blob(values: ArrayLike<number>): Buffer {
  const blob = Buffer.alloc(values.length * 2);
  for (let i = 0; i < values.length; i++) blob.writeUInt16LE(float16Bits(values[i]!), 2 * i);
  return blob;
}

let float16Table: Float32Array | null = null;
/** Every float16 bit pattern's value (256 KB, built once): decoding by lookup is what makes reading 100,000 tracks' embeddings affordable. */
export function float16Values(): Float32Array {
  float16Table ??= Float32Array.from({ length: 65536 }, (_, bits) => fromFloat16Bits(bits));
  return float16Table;
}

/** A float16 BLOB back as float32 values. */
export function float16FromBlob(blob: Uint8Array): Float32Array {
  const table = float16Values();
  const values = new Float32Array(blob.length / 2);
  for (let k = 0; k < values.length; k++) values[k] = table[blob[2 * k]! | (blob[2 * k + 1]! << 8)]!;
  return values;
}

/** Probabilities as a BLOB of one byte each: `round(255·p)`, clamped to [0, 1] (error at most 1/510 ≈ 0.002). */
export function probabilityBlob(values: ArrayLike<number>): Buffer {
  return Buffer.from(Uint8Array.from({ length: values.length }, (_, i) => Math.round(255 * Math.min(1, Math.max(0, values[i]!)))));
}

/** A probability BLOB back as values in [0, 1]. */
export function probabilitiesFromBlob(blob: Uint8Array): Float32Array {
  const probabilities = new Float32Array(blob.length);
  for (let i = 0; i < blob.length; i++) probabilities[i] = blob[i]! / 255;
  return probabilities;
}

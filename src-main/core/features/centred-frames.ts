import { SonorityError } from '../errors.ts';
import { concatFloat32 } from '../typed-arrays.ts';

/** A batch of whole frames: frame `t` is `samples.subarray(t * hop, t * hop + nFft)`. */
export interface FrameBatch {
  count: number;
  samples: Float32Array;
}

/**
 * A stream of sample blocks reflect-padded by `pad` samples on both sides,
 * mirroring about the edge sample without repeating it (numpy 'reflect', as
 * `reflectPad` does), holding only the first block and the last `pad` + 1
 * samples. Throws `too-short` for a signal of `pad` samples or fewer.
 */
async function* reflectPadded(blocks: AsyncIterable<Float32Array>, pad: number): AsyncGenerator<Float32Array> {
  const tail = new Float32Array(pad + 1);
  let head: Float32Array | null = new Float32Array(0);
  for await (const block of blocks) {
    if (block.length > pad) tail.set(block.subarray(block.length - pad - 1));
    else {
      tail.copyWithin(0, block.length);
      tail.set(block, pad + 1 - block.length);
    }
    if (!head) {
      yield block;
      continue;
    }
    head = concatFloat32([head, block]);
    if (head.length <= pad) continue;
    const start = head;
    yield Float32Array.from({ length: pad }, (_, i) => start[pad - i]!);
    yield start;
    head = null;
  }
  if (head) throw new SonorityError('too-short', `too short to draw: ${head.length} samples of audio (more than ${pad} needed)`);
  yield Float32Array.from({ length: pad }, (_, i) => tail[pad - 1 - i]!);
}

/**
 * The frames of librosa's centred STFT (`stft` in `stft.ts`) over a stream of
 * sample blocks of any sizes: the signal reflect-padded by nFft/2 on both
 * sides and cut into `nFft`-sample frames every `hop` — 1 + ⌊n / hop⌋ frames
 * for n samples, the same as `stft` — unwindowed, in batches, so a track of
 * any length is framed in constant memory.
 */
export async function* centredFrames(blocks: AsyncIterable<Float32Array>, nFft: number, hop: number): AsyncGenerator<FrameBatch> {
  let pending: Float32Array = new Float32Array(0);
  for await (const block of reflectPadded(blocks, nFft / 2)) {
    const samples = concatFloat32([pending, block]);
    const count = samples.length >= nFft ? 1 + Math.floor((samples.length - nFft) / hop) : 0;
    if (count > 0) yield { count, samples };
    pending = samples.subarray(count * hop);
  }
}

import { spawn } from 'node:child_process';
import path from 'node:path';
import { SonorityError } from '../errors.ts';
import { resolveFfmpegPath } from './ffmpeg-path.ts';

/**
 * The one decoded-audio format of Sonority: mono (the mean of all channels),
 * 32-bit float, 22050 Hz — librosa's `load` defaults, which every descriptor
 * is defined against. Resampling uses soxr at very high precision.
 */
export const DECODE_SAMPLE_RATE = 22050;

export interface DecodeOptions {
  /** ffmpeg binary; default from `resolveFfmpegPath`. */
  ffmpegPath?: string;
  /** Start of the window to decode, in seconds (default 0). */
  startSec?: number;
  /** Length of the window in seconds (default: to the end). */
  durationSec?: number;
  /** Kills the decoder when aborted. */
  signal?: AbortSignal;
}

const AUDIO_FILTER = `aresample=osr=${DECODE_SAMPLE_RATE}:ocl=mono:rematrix_maxval=1:resampler=soxr:precision=28`;

/** The ffmpeg command line of a decode (exported for the benchmark's decode-only baseline). */
export function ffmpegArguments(filePath: string, options: DecodeOptions = {}): string[] {
  const window = [
    ...(options.startSec ? ['-ss', options.startSec.toFixed(6)] : []),
    ...(options.durationSec !== undefined ? ['-t', options.durationSec.toFixed(6)] : []),
  ];
  const input = `file:${path.resolve(filePath)}`;
  // -flush_packets 0: without it ffmpeg flushes the pipe after every packet (~4 KB reads), which costs Node more than the decode.
  return ['-nostdin', '-hide_banner', '-v', 'error', ...window, '-i', input, '-map', '0:a:0', '-vn', '-sn', '-dn', '-af', AUDIO_FILTER, '-flush_packets', '0', '-f', 'f32le', 'pipe:1'];
}

/** Rewrites ffmpeg's last error line as a sentence about the file. */
function decodeFailure(stderr: string, exitCode: number | null): SonorityError {
  const lines = stderr.trim().split('\n').filter(Boolean);
  const last = lines.at(-1) ?? `ffmpeg exited with code ${exitCode}`;
  if (/matches no streams/.test(stderr)) return new SonorityError('no-audio-stream', 'the file has no audio stream');
  if (/Invalid data found when processing input|could not find codec parameters|Failed to read frame size/i.test(stderr)) {
    return new SonorityError('undecodable', `cannot decode: the audio data is damaged or not in the format its header claims (${last.replace(/^.*?: /, '')})`);
  }
  return new SonorityError('decode-failed', `decoding failed: ${last}`);
}

/** Re-chunks a byte stream into Float32Array blocks of `blockSamples` samples (the last may be shorter). */
async function* floatBlocks(bytes: AsyncIterable<Buffer>, blockSamples: number): AsyncGenerator<Float32Array> {
  let block = new Float32Array(blockSamples);
  let view = new Uint8Array(block.buffer);
  let filled = 0;
  for await (const chunk of bytes) {
    for (let offset = 0; offset < chunk.length; ) {
      const take = Math.min(chunk.length - offset, view.length - filled);
      view.set(chunk.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === view.length) {
        yield block;
        block = new Float32Array(blockSamples);
        view = new Uint8Array(block.buffer);
        filled = 0;
      }
    }
  }
  if (filled >= 4) yield block.slice(0, Math.floor(filled / 4));
}

/**
 * Streams a file (or a window of it) as mono Float32 PCM at 22050 Hz, in
 * blocks of `blockSamples`, so any length decodes in constant memory; ffmpeg
 * waits while the consumer is busy. Throws a `SonorityError` saying why when
 * ffmpeg cannot decode it or yields no samples, `ffmpeg-missing` when the
 * binary cannot be started.
 */
export async function* decodeBlocks(filePath: string, blockSamples: number, options: DecodeOptions = {}): AsyncGenerator<Float32Array> {
  const binary = resolveFfmpegPath(options.ffmpegPath);
  // Own process group (POSIX): a terminal Ctrl-C reaches Sonority, which stops ffmpeg itself.
  const child = spawn(binary, ffmpegArguments(filePath, options), { stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal, detached: process.platform !== 'win32' });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 16_384) stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.name === 'AbortError') reject(options.signal?.reason ?? error);
      else if (error.code === 'ENOENT' || error.code === 'EACCES') reject(new SonorityError('ffmpeg-missing', `cannot run ffmpeg at ${binary} (${error.code}); reinstall, or point SONORITY_FFMPEG at a working ffmpeg`));
      else reject(error);
    });
    child.on('close', resolve);
  });
  exited.catch(() => {});
  let samples = 0;
  try {
    for await (const block of floatBlocks(child.stdout, blockSamples)) {
      samples += block.length;
      yield block;
    }
    const exitCode = await exited;
    if (exitCode !== 0) throw decodeFailure(stderr, exitCode);
    if (samples === 0) throw new SonorityError('no-audio', 'the file decodes to no audio at all (empty or cut off before the first frame)');
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

/** Decodes a whole file (or a window) into one Float32Array; see `decodeBlocks`. */
export async function decodeAudio(filePath: string, options: DecodeOptions = {}): Promise<Float32Array> {
  const blocks: Float32Array[] = [];
  let length = 0;
  for await (const block of decodeBlocks(filePath, 1 << 18, options)) {
    blocks.push(block);
    length += block.length;
  }
  const samples = new Float32Array(length);
  let offset = 0;
  for (const block of blocks) {
    samples.set(block, offset);
    offset += block.length;
  }
  return samples;
}

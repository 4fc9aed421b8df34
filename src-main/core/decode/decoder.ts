import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseFile } from 'music-metadata';
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

/**
 * The downmix to the mean of `channels` channels, as an explicit pan matrix
 * (gain 1/n on every channel). Neither of ffmpeg's own downmixes will do:
 * aresample's `ocl` is ignored from ffmpeg 5.1 on (the output stays
 * interleaved), and `-ac 1` mixes (L+R)/√2, not the mean.
 */
function downmixFilter(channels: number): string {
  const gain = String(1 / channels);
  return `pan=mono|c0=${Array.from({ length: channels }, (_, c) => `${gain}*c${c}`).join('+')}`;
}

/** To float first (pan mixes in the input's sample format, and a 16-bit mean would be rounded), then the mean, then soxr to 22050 Hz. */
function audioFilter(channels: number): string {
  return `aformat=sample_fmts=flt|fltp,${downmixFilter(channels)},aresample=osr=${DECODE_SAMPLE_RATE}:resampler=soxr:precision=28`;
}

/**
 * The ffmpeg command line of a decode of a file with `channels` channels
 * (exported for the benchmark's decode-only baseline). The output is a WAV
 * stream of 32-bit floats, so the decoder can check what ffmpeg produced.
 */
export function ffmpegArguments(filePath: string, channels: number, options: DecodeOptions = {}): string[] {
  const window = [
    ...(options.startSec ? ['-ss', options.startSec.toFixed(6)] : []),
    ...(options.durationSec !== undefined ? ['-t', options.durationSec.toFixed(6)] : []),
  ];
  const input = `file:${path.resolve(filePath)}`;
  // -flush_packets 0: without it ffmpeg flushes the pipe after every packet (~4 KB reads), which costs Node more than the decode.
  return ['-nostdin', '-hide_banner', '-v', 'error', ...window, '-i', input, '-map', '0:a:0', '-vn', '-sn', '-dn', '-af', audioFilter(channels), '-flush_packets', '0', '-c:a', 'pcm_f32le', '-f', 'wav', 'pipe:1'];
}

/**
 * The number of channels of a file's audio stream, read from its header
 * (music-metadata): the decoder builds its downmix from it. Throws
 * `undecodable` when no header names one, and the file-system error itself
 * when the file cannot be opened.
 */
export async function probeChannels(filePath: string): Promise<number> {
  const format = await parseFile(filePath, { skipCovers: true }).then(
    (metadata) => metadata.format,
    (error: NodeJS.ErrnoException) => {
      if (error.code) throw error;
      return undefined;
    },
  );
  const channels = format?.numberOfChannels;
  if (!channels || !Number.isInteger(channels)) throw new SonorityError('undecodable', 'cannot decode: no audio stream with a known channel count was found in the file');
  return channels;
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

interface WavFormat {
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** Where the samples begin. */
  dataOffset: number;
}

/**
 * The format of a WAV stream from its first bytes, or undefined while they
 * stop short of the `data` chunk. On a pipe ffmpeg cannot fill in the chunk
 * sizes of `RIFF` and `data`, so only the chunks before `data` are measured.
 */
function wavFormat(head: Buffer): WavFormat | undefined {
  if (head.length < 12) return undefined;
  if (head.toString('latin1', 0, 4) !== 'RIFF' || head.toString('latin1', 8, 12) !== 'WAVE') throw new SonorityError('decode-failed', 'decoding failed: ffmpeg did not write the WAV stream it was asked for');
  let format: Omit<WavFormat, 'dataOffset'> | undefined;
  for (let offset = 12; offset + 8 <= head.length; ) {
    const id = head.toString('latin1', offset, offset + 4);
    if (id === 'data') {
      if (!format) throw new SonorityError('decode-failed', "decoding failed: ffmpeg's WAV stream has no format chunk");
      return { ...format, dataOffset: offset + 8 };
    }
    const size = head.readUInt32LE(offset + 4);
    if (id === 'fmt ' && offset + 24 <= head.length) format = { channels: head.readUInt16LE(offset + 10), sampleRate: head.readUInt32LE(offset + 12), bitsPerSample: head.readUInt16LE(offset + 22) };
    offset += 8 + size + (size % 2);
  }
  return undefined;
}

/** Refuses output that is not the one decoded format: an ffmpeg that ignored the downmix or the resampling would otherwise be read as mono at the wrong length. */
function checkDecodedFormat(format: WavFormat, binary: string): void {
  const { channels, sampleRate, bitsPerSample } = format;
  if (channels === 1 && sampleRate === DECODE_SAMPLE_RATE && bitsPerSample === 32) return;
  throw new SonorityError('decode-mismatch', `decoding failed: the ffmpeg at ${binary} returned ${channels}-channel ${bitsPerSample}-bit audio at ${sampleRate} Hz where mono 32-bit float at ${DECODE_SAMPLE_RATE} Hz was asked for; point SONORITY_FFMPEG at another ffmpeg`);
}

/** The sample bytes of ffmpeg's WAV stream, after its header has been checked. */
async function* wavSamples(bytes: AsyncIterable<Buffer>, binary: string): AsyncGenerator<Buffer> {
  let head: Buffer | undefined = Buffer.alloc(0);
  for await (const chunk of bytes) {
    if (!head) {
      yield chunk;
      continue;
    }
    head = Buffer.concat([head, chunk]);
    const format = wavFormat(head);
    if (!format) continue;
    checkDecodedFormat(format, binary);
    yield head.subarray(format.dataOffset);
    head = undefined;
  }
}

/**
 * Streams a file (or a window of it) as mono Float32 PCM at 22050 Hz, in
 * blocks of `blockSamples`, so any length decodes in constant memory; ffmpeg
 * waits while the consumer is busy. The channels are mixed down to their
 * mean by a pan matrix built from the file's channel count, and ffmpeg's
 * output is checked to be mono at 22050 Hz (`decode-mismatch` if not).
 * Throws a `SonorityError` saying why when ffmpeg cannot decode it or yields
 * no samples, `ffmpeg-missing` when the binary cannot be started.
 */
export async function* decodeBlocks(filePath: string, blockSamples: number, options: DecodeOptions = {}): AsyncGenerator<Float32Array> {
  const binary = resolveFfmpegPath(options.ffmpegPath);
  const channels = await probeChannels(filePath);
  // Own process group (POSIX): a terminal Ctrl-C reaches Sonority, which stops ffmpeg itself.
  const child = spawn(binary, ffmpegArguments(filePath, channels, options), { stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal, detached: process.platform !== 'win32' });
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
    for await (const block of floatBlocks(wavSamples(child.stdout, binary), blockSamples)) {
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

import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import path from 'node:path';
import { SonorityError } from '../errors.ts';
import { concatFloat32 } from '../typed-arrays.ts';
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
  /**
   * Output rate in Hz (default `DECODE_SAMPLE_RATE`, 22050, which every
   * descriptor is defined against; MusiCNN reads 16000). The same soxr
   * resampling and the same mean of the channels at any rate.
   */
  sampleRate?: number;
}

/** The output rate of a decode: `options.sampleRate`, else 22050 Hz. */
function outputRate(options: DecodeOptions): number {
  const rate = options.sampleRate ?? DECODE_SAMPLE_RATE;
  if (!Number.isInteger(rate) || rate <= 0) throw new RangeError(`decode sample rate must be a positive integer number of Hz, not ${rate}`);
  return rate;
}

/**
 * Float first (so nothing is rounded to the input's sample format), then soxr
 * to the output rate (22050 Hz unless asked otherwise); every channel is kept,
 * and the mean is taken in `floatBlocks`.
 * Not ffmpeg's own downmixes: aresample's `ocl` is ignored from ffmpeg 5.1 on
 * (the output stays interleaved), `-ac 1` mixes (L+R)/√2, and a `pan` matrix
 * needs the channel count before decoding, which a header may get wrong.
 */
function audioFilter(sampleRate: number): string {
  return `aformat=sample_fmts=flt|fltp,aresample=osr=${sampleRate}:resampler=soxr:precision=28`;
}

/** ffmpeg's input options of a decode: the window (`-ss`/`-t`, seeking before decoding) and the file. */
function inputArguments(filePath: string, options: DecodeOptions): string[] {
  const window = [
    ...(options.startSec ? ['-ss', options.startSec.toFixed(6)] : []),
    ...(options.durationSec !== undefined ? ['-t', options.durationSec.toFixed(6)] : []),
  ];
  return ['-nostdin', '-hide_banner', '-v', 'error', ...window, '-i', `file:${path.resolve(filePath)}`];
}

// -flush_packets 0: without it ffmpeg flushes the pipe after every packet (~4 KB reads), which costs Node more than the decode.
const WAV_OUTPUT = ['-flush_packets', '0', '-c:a', 'pcm_f32le', '-f', 'wav'];

/**
 * The ffmpeg command line of a decode (exported for the benchmark's
 * decode-only baseline). The output is a WAV stream of 32-bit floats with
 * every channel, so the decoder reads the channel count and rate ffmpeg
 * really produced from its header.
 */
export function ffmpegArguments(filePath: string, options: DecodeOptions = {}): string[] {
  return [...inputArguments(filePath, options), '-map', '0:a:0', '-vn', '-sn', '-dn', '-af', audioFilter(outputRate(options)), ...WAV_OUTPUT, 'pipe:1'];
}

/** The file descriptor of the `i`-th output of a multi-rate decode: stdout, then 3, 4, … (fd 2 is stderr). */
const outputFd = (i: number) => (i === 0 ? 1 : i + 2);

/**
 * The command line of one decode at several rates: the first audio stream is
 * split, each branch goes through the same filter as `ffmpegArguments` at its
 * rate and is written as WAV to its own pipe (fd 1, then 3, 4, …).
 */
export function multiRateArguments(filePath: string, rates: readonly number[], options: DecodeOptions = {}): string[] {
  const split = `[0:a:0]asplit=${rates.length}${rates.map((_, i) => `[s${i}]`).join('')}`;
  const branches = rates.map((rate, i) => `[s${i}]${audioFilter(rate)}[o${i}]`);
  const outputs = rates.flatMap((_, i) => ['-map', `[o${i}]`, ...WAV_OUTPUT, `pipe:${outputFd(i)}`]);
  return [...inputArguments(filePath, options), '-filter_complex', [split, ...branches].join(';'), ...outputs];
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

/** Adds the mean of each of the `frames` interleaved frames of `channels` floats in `bytes` to `out` from `at`. */
function addMeans(bytes: Buffer, frames: number, channels: number, out: Float32Array, at: number): void {
  const interleaved = new Float32Array(frames * channels);
  new Uint8Array(interleaved.buffer).set(bytes.subarray(0, frames * channels * 4));
  if (channels === 1) return out.set(interleaved, at);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += interleaved[f * channels + c]!;
    out[at + f] = sum / channels;
  }
}

/**
 * Turns a stream of interleaved 32-bit float frames of `channels` channels
 * into mono Float32Array blocks of `blockSamples` samples (the last may be
 * shorter), each sample the mean of its frame's channels.
 */
async function* floatBlocks(bytes: AsyncIterable<Buffer> | Iterable<Buffer>, blockSamples: number, channels: number): AsyncGenerator<Float32Array> {
  const frameBytes = 4 * channels;
  let block = new Float32Array(blockSamples);
  let filled = 0;
  let carry = Buffer.alloc(0);
  for await (const chunk of bytes) {
    let data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    while (data.length >= frameBytes) {
      const frames = Math.min(Math.floor(data.length / frameBytes), blockSamples - filled);
      addMeans(data, frames, channels, block, filled);
      filled += frames;
      data = data.subarray(frames * frameBytes);
      if (filled === blockSamples) {
        yield block;
        block = new Float32Array(blockSamples);
        filled = 0;
      }
    }
    carry = Buffer.from(data);
  }
  if (filled > 0) yield block.slice(0, filled);
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

/** Refuses output that is not 32-bit float at the rate asked for (`expectedRate`): an ffmpeg that ignored the format or the resampling would otherwise be read at the wrong rate. */
function checkDecodedFormat(format: WavFormat, binary: string, expectedRate: number): void {
  const { channels, sampleRate, bitsPerSample } = format;
  if (channels >= 1 && sampleRate === expectedRate && bitsPerSample === 32) return;
  throw new SonorityError('decode-mismatch', `decoding failed: the ffmpeg at ${binary} returned ${channels}-channel ${bitsPerSample}-bit audio at ${sampleRate} Hz where 32-bit float at ${expectedRate} Hz was asked for; point SONORITY_FFMPEG at another ffmpeg`);
}

/**
 * Reads ffmpeg's WAV header off the front of its output and checks it: the
 * channel count ffmpeg really produced, and the sample bytes that follow (none
 * when the stream ends before its header: ffmpeg's exit code then says why).
 */
async function readWavStream(bytes: AsyncIterable<Buffer>, binary: string, expectedRate: number): Promise<{ channels: number; samples: AsyncIterable<Buffer> | Iterable<Buffer> }> {
  const chunks = bytes[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
    head = Buffer.concat([head, next.value]);
    const format = wavFormat(head);
    if (!format) continue;
    checkDecodedFormat(format, binary, expectedRate);
    const first = head.subarray(format.dataOffset);
    return { channels: format.channels, samples: (async function* () {
      yield first;
      for (let rest = await chunks.next(); !rest.done; rest = await chunks.next()) yield rest.value;
    })() };
  }
  return { channels: 1, samples: [] };
}

/** A running ffmpeg: its process, the exit code to come and the start of its error output. */
interface FfmpegRun {
  child: ChildProcess;
  binary: string;
  exited: Promise<number | null>;
  stderr(): string;
}

/** Starts ffmpeg with `args` and `pipes` output pipes (fd 1, then 3, 4, …); `ffmpeg-missing` (through `exited`) when it cannot start. */
function startFfmpeg(args: string[], pipes: number, options: DecodeOptions): FfmpegRun {
  const binary = resolveFfmpegPath(options.ffmpegPath);
  const stdio: Array<'ignore' | 'pipe'> = ['ignore', 'pipe', 'pipe', ...Array<'pipe'>(pipes - 1).fill('pipe')];
  // Own process group (POSIX): a terminal Ctrl-C reaches Sonority, which stops ffmpeg itself.
  const child = spawn(binary, args, { stdio, signal: options.signal, detached: process.platform !== 'win32' });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
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
  return { child, binary, exited, stderr: () => stderr };
}

/**
 * Stops ffmpeg if it still runs (a stop, or output refused mid-stream): its
 * pipes are closed first, so an ffmpeg blocked writing to one that is no
 * longer read fails its write and exits, then it is sent SIGTERM.
 */
function stopFfmpeg(run: FfmpegRun): void {
  if (run.child.exitCode !== null || run.child.signalCode !== null) return;
  for (const stream of run.child.stdio) stream?.destroy();
  run.child.kill();
}

/** Waits for ffmpeg to end and throws why it failed, or `no-audio` when it yielded no sample. */
async function checkFinished(run: FfmpegRun, samples: number): Promise<void> {
  const exitCode = await run.exited;
  if (exitCode !== 0) throw decodeFailure(run.stderr(), exitCode);
  if (samples === 0) throw new SonorityError('no-audio', 'the file decodes to no audio at all (empty or cut off before the first frame)');
}

/**
 * Streams a file (or a window of it) as mono Float32 PCM at 22050 Hz (or
 * `options.sampleRate`), in blocks of `blockSamples`, so any length decodes
 * in constant memory; ffmpeg waits while the consumer is busy. Each sample is
 * the mean of all the channels ffmpeg decoded (its WAV header says how many),
 * and the output is checked to be 32-bit float at that rate
 * (`decode-mismatch` if not). Throws a `SonorityError` saying why when ffmpeg
 * cannot decode it or yields no samples, `ffmpeg-missing` when the binary
 * cannot be started.
 */
export async function* decodeBlocks(filePath: string, blockSamples: number, options: DecodeOptions = {}): AsyncGenerator<Float32Array> {
  const run = startFfmpeg(ffmpegArguments(filePath, options), 1, options);
  let samples = 0;
  try {
    const wav = await readWavStream(run.child.stdout!, run.binary, outputRate(options));
    for await (const block of floatBlocks(wav.samples, blockSamples, wav.channels)) {
      samples += block.length;
      yield block;
    }
    await checkFinished(run, samples);
  } finally {
    stopFfmpeg(run);
  }
}

/** Decodes a whole file (or a window) into one Float32Array; see `decodeBlocks`. */
export async function decodeAudio(filePath: string, options: DecodeOptions = {}): Promise<Float32Array> {
  const blocks: Float32Array[] = [];
  for await (const block of decodeBlocks(filePath, 1 << 18, options)) blocks.push(block);
  return concatFloat32(blocks);
}

/** All the mono samples of one WAV pipe of a multi-rate decode. */
async function readPipe(stream: Readable, binary: string, rate: number): Promise<Float32Array> {
  const wav = await readWavStream(stream, binary, rate);
  const blocks: Float32Array[] = [];
  for await (const block of floatBlocks(wav.samples, 1 << 18, wav.channels)) blocks.push(block);
  return concatFloat32(blocks);
}

/**
 * Decodes a file (or a window of it) once and returns it at each of `rates`:
 * the same samples `decodeAudio` gives at each rate (the same filter on the
 * same decoded audio), for the cost of one decode. Errors as `decodeBlocks`.
 */
export async function decodeAtRates(filePath: string, rates: readonly number[], options: Omit<DecodeOptions, 'sampleRate'> = {}): Promise<Float32Array[]> {
  if (rates.length === 0) throw new RangeError('decodeAtRates needs at least one rate');
  for (const sampleRate of rates) outputRate({ sampleRate });
  const run = startFfmpeg(multiRateArguments(filePath, rates, options), rates.length, options);
  try {
    const streams = rates.map((_, i) => run.child.stdio[outputFd(i)] as Readable);
    const decoded = await Promise.all(rates.map((rate, i) => readPipe(streams[i]!, run.binary, rate)));
    await checkFinished(run, Math.min(...decoded.map((samples) => samples.length)));
    return decoded;
  } finally {
    stopFfmpeg(run);
  }
}

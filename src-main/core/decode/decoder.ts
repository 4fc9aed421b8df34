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

function ffmpegArguments(filePath: string, options: DecodeOptions): string[] {
  const window = [
    ...(options.startSec ? ['-ss', options.startSec.toFixed(6)] : []),
    ...(options.durationSec !== undefined ? ['-t', options.durationSec.toFixed(6)] : []),
  ];
  const input = `file:${path.resolve(filePath)}`;
  return ['-nostdin', '-hide_banner', '-v', 'error', ...window, '-i', input, '-map', '0:a:0', '-vn', '-sn', '-dn', '-af', AUDIO_FILTER, '-f', 'f32le', 'pipe:1'];
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

/** Copies the collected stdout chunks into one aligned Float32Array. */
function toSamples(chunks: Buffer[], byteLength: number): Float32Array {
  const usable = byteLength - (byteLength % 4);
  const samples = new Float32Array(usable / 4);
  const bytes = new Uint8Array(samples.buffer);
  let offset = 0;
  for (const chunk of chunks) {
    const take = Math.min(chunk.length, usable - offset);
    bytes.set(chunk.subarray(0, take), offset);
    offset += take;
  }
  return samples;
}

/**
 * Decodes a file (or a window of it) to mono Float32 PCM at 22050 Hz.
 * Throws a `SonorityError` saying why when ffmpeg cannot decode it or yields
 * no samples; `ffmpeg-missing` when the binary cannot be started.
 */
export function decodeAudio(filePath: string, options: DecodeOptions = {}): Promise<Float32Array> {
  const binary = resolveFfmpegPath(options.ffmpegPath);
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ffmpegArguments(filePath, options), { stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal });
    const chunks: Buffer[] = [];
    let byteLength = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      byteLength += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 16_384) stderr += chunk.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.name === 'AbortError') reject(options.signal?.reason ?? error);
      else if (error.code === 'ENOENT' || error.code === 'EACCES') reject(new SonorityError('ffmpeg-missing', `cannot run ffmpeg at ${binary} (${error.code}); reinstall, or point SONORITY_FFMPEG at a working ffmpeg`));
      else reject(error);
    });
    child.on('close', (exitCode) => {
      if (options.signal?.aborted) return;
      if (exitCode !== 0) return reject(decodeFailure(stderr, exitCode));
      if (byteLength < 4) return reject(new SonorityError('no-audio', 'the file decodes to no audio at all (empty or cut off before the first frame)'));
      resolve(toSamples(chunks, byteLength));
    });
  });
}

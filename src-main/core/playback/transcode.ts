import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { SonorityError } from '../errors.ts';
import { resolveFfmpegPath } from '../decode/ffmpeg-path.ts';

/** What a transcoded stream is sent as. */
export const TRANSCODED_TYPE = 'audio/ogg; codecs=opus';

/** How long ffmpeg may take to send its first bytes before it is stopped and the request answered with why. */
export const FIRST_BYTE_TIMEOUT_MS = 20_000;

/** How a conversion may be stopped before it is done: the request's signal (the client went away) and the wait for the first bytes. */
export interface TranscodeOptions {
  ffmpegPath?: string;
  signal?: AbortSignal;
  /** Default `FIRST_BYTE_TIMEOUT_MS`. */
  firstByteTimeoutMs?: number;
}

/** ffmpeg's command line: the first audio stream of the file as Ogg Opus at 160 kbit/s on stdout. */
function transcodeArguments(filePath: string): string[] {
  return ['-nostdin', '-hide_banner', '-v', 'error', '-i', `file:${path.resolve(filePath)}`, '-map', '0:a:0', '-vn', '-sn', '-dn', '-c:a', 'libopus', '-b:a', '160k', '-f', 'ogg', 'pipe:1'];
}

/** ffmpeg's last error line as the reason a file cannot be played. */
function transcodeFailure(stderr: string, exitCode: number | null): SonorityError {
  const last = stderr.trim().split('\n').filter(Boolean).at(-1)?.replace(/^.*?: /, '');
  if (/matches no streams/.test(stderr)) return new SonorityError('not-playable', 'the file has no audio stream to play');
  return new SonorityError('not-playable', `the file cannot be converted for playback: ${last ?? (exitCode === 0 ? 'it holds no audio' : `ffmpeg exited with code ${exitCode}`)}`);
}

/** Kills ffmpeg and anything it started (its whole process group on POSIX), unless it has already exited. */
function stop(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  try {
    if (process.platform === 'win32') child.kill('SIGKILL');
    else process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone between the check and the kill
  }
}

/**
 * Starts converting a file the browser cannot play into Ogg Opus with the
 * bundled ffmpeg (see `resolveFfmpegPath`) and resolves with ffmpeg's output
 * once its first bytes are there, so a file ffmpeg cannot read fails here
 * (`not-playable`, or `ffmpeg-missing`) rather than mid-stream. The stream
 * cannot be seeked by bytes. ffmpeg is killed when the stream is destroyed
 * or `signal` aborts, before or after the first bytes (rejecting with
 * `cancelled` before them), and when no bytes came within
 * `firstByteTimeoutMs` (rejecting with `convert-timeout`).
 */
export async function transcodeForPlayback(filePath: string, options: TranscodeOptions = {}): Promise<Readable> {
  const { signal, firstByteTimeoutMs = FIRST_BYTE_TIMEOUT_MS } = options;
  if (signal?.aborted) throw new SonorityError('cancelled', 'the request was cancelled before the conversion started');
  const binary = resolveFfmpegPath(options.ffmpegPath);
  // Own process group (POSIX), as the decoder's: a terminal Ctrl-C reaches Sonority, which stops ffmpeg itself, and so can kill it with all it started.
  const child = spawn(binary, transcodeArguments(filePath), { stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 16_384) stderr += chunk.toString('utf8');
  });
  const output = child.stdout;
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  const onAbort = () => stop(child);
  signal?.addEventListener('abort', onAbort, { once: true });
  void exited.then(() => signal?.removeEventListener('abort', onAbort));
  output.once('close', () => {
    if (!output.readableEnded) stop(child);
  });
  let timer: NodeJS.Timeout | undefined;
  const stopped = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => reject(new SonorityError('ffmpeg-missing', `cannot run ffmpeg at ${binary} (${error.code}); reinstall, or point SONORITY_FFMPEG at a working ffmpeg`)));
    signal?.addEventListener('abort', () => reject(new SonorityError('cancelled', 'the request was cancelled before the conversion sent anything')), { once: true });
    timer = setTimeout(() => {
      stop(child);
      reject(new SonorityError('convert-timeout', `ffmpeg sent nothing within ${firstByteTimeoutMs / 1000} s, so it was stopped; the machine may be busy, try again`));
    }, firstByteTimeoutMs);
  });
  stopped.catch(() => {});
  try {
    await Promise.race([new Promise((resolve) => output.once('readable', resolve)), stopped]);
    if (output.readableLength > 0) return output;
    // 'readable' without bytes: ffmpeg's output ended before any audio.
    throw transcodeFailure(stderr, await Promise.race([exited, stopped]));
  } catch (error) {
    stop(child);
    output.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { SonorityError } from '../errors.ts';
import { resolveFfmpegPath } from '../decode/ffmpeg-path.ts';

/** What a transcoded stream is sent as. */
export const TRANSCODED_TYPE = 'audio/ogg; codecs=opus';

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

/**
 * Starts converting a file the browser cannot play into Ogg Opus with the
 * bundled ffmpeg (see `resolveFfmpegPath`) and resolves with ffmpeg's output
 * once its first bytes are there, so a file ffmpeg cannot read fails here
 * (`not-playable`, or `ffmpeg-missing`) rather than mid-stream. The stream
 * cannot be seeked by bytes. Destroying it (the client went away) stops
 * ffmpeg: its pipe is closed, then it is killed.
 */
export async function transcodeForPlayback(filePath: string, options: { ffmpegPath?: string } = {}): Promise<Readable> {
  const binary = resolveFfmpegPath(options.ffmpegPath);
  // Own process group (POSIX), as the decoder's: a terminal Ctrl-C reaches Sonority, which stops ffmpeg itself.
  const child = spawn(binary, transcodeArguments(filePath), { stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 16_384) stderr += chunk.toString('utf8');
  });
  const output = child.stdout;
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => reject(new SonorityError('ffmpeg-missing', `cannot run ffmpeg at ${binary} (${error.code}); reinstall, or point SONORITY_FFMPEG at a working ffmpeg`)));
  });
  failed.catch(() => {});
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  output.once('close', () => {
    if (!output.readableEnded && child.exitCode === null && child.signalCode === null) child.kill();
  });
  await Promise.race([new Promise((resolve) => output.once('readable', resolve)), failed]);
  if (output.readableLength > 0) return output;
  // 'readable' without bytes: ffmpeg's output ended before any audio.
  throw transcodeFailure(stderr, await Promise.race([exited, failed]));
}

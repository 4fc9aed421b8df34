import { Readable } from 'node:stream';
import { answerAudioRequest, type AudioSource } from '../core/playback/audio-stream.ts';
import { APP_AUDIO_PATH, isAppUrl } from './app-origin.ts';

/** Whether an app-scheme request asks for a track's audio (`app://sonority/audio/…`) rather than a file of the renderer. */
export function isAudioUrl(url: string): boolean {
  return isAppUrl(url) && new URL(url).pathname.startsWith(APP_AUDIO_PATH);
}

/**
 * Answers an app-scheme request for a track's audio with the same answer as
 * `serve` (see `answerAudioRequest`): its `Range` and `If-Range` headers give
 * 206 and Content-Range, the body is a web stream over the file read or
 * ffmpeg's output, which Electron cancels (stopping the read, killing
 * ffmpeg) when the page stops listening; `request.signal` stops a
 * conversion that has not sent anything yet. An unexpected failure is 500
 * with its message, so the player can say what went wrong.
 */
export async function serveAppAudio(request: Request, source: AudioSource): Promise<Response> {
  try {
    const answer = await answerAudioRequest(source, {
      method: request.method,
      idSegment: new URL(request.url).pathname.slice(APP_AUDIO_PATH.length),
      range: request.headers.get('range'),
      ifRange: request.headers.get('if-range'),
      signal: request.signal,
    });
    const body = typeof answer.body === 'string' ? answer.body : (Readable.toWeb(answer.body) as ReadableStream<Uint8Array>);
    return new Response(body, { status: answer.status, headers: { ...answer.headers, 'x-content-type-options': 'nosniff' } });
  } catch (error) {
    return new Response(`Sonority could not answer: ${(error as Error).message}`, { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } });
  }
}

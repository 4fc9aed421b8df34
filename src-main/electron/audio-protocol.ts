import { Readable } from 'node:stream';
import { answerTrackAudio, trackIdFrom, type AudioSource } from '../core/playback/audio-stream.ts';
import { APP_AUDIO_PATH, isAppUrl } from './app-origin.ts';

/** Whether an app-scheme request asks for a track's audio (`app://sonority/audio/…`) rather than a file of the renderer. */
export function isAudioUrl(url: string): boolean {
  return isAppUrl(url) && new URL(url).pathname.startsWith(APP_AUDIO_PATH);
}

const notFound = (text: string) => new Response(text, { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });

/**
 * Answers an app-scheme request for a track's audio with the same answer as
 * `serve` (see `answerTrackAudio`): its `Range` header gives 206 and
 * Content-Range, the body is a web stream over the file read or ffmpeg's
 * output, which Electron cancels (stopping the read, killing ffmpeg) when
 * the page stops listening.
 */
export async function serveAppAudio(request: Request, source: AudioSource): Promise<Response> {
  if (request.method !== 'GET') return notFound('audio is fetched with GET');
  const trackId = trackIdFrom(new URL(request.url).pathname.slice(APP_AUDIO_PATH.length));
  if (trackId === null) return notFound('an audio address ends with a track id (a positive whole number)');
  const answer = await answerTrackAudio(source, trackId, request.headers.get('range'));
  const body = typeof answer.body === 'string' ? answer.body : (Readable.toWeb(answer.body) as ReadableStream<Uint8Array>);
  return new Response(body, { status: answer.status, headers: { ...answer.headers, 'x-content-type-options': 'nosniff' } });
}

import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';

/**
 * The ffmpeg binary to run: an explicit path (`--ffmpeg`), else `SONORITY_FFMPEG`
 * (e.g. a system ffmpeg), else the binary shipped in `@ffmpeg-installer/ffmpeg`.
 * A replacement must include libsoxr (Debian's and most distributions' do).
 */
export function resolveFfmpegPath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return explicit || env.SONORITY_FFMPEG || ffmpegInstaller.path;
}

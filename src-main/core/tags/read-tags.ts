import { parseFile } from 'music-metadata';
import { SonorityError } from '../errors.ts';

/** The tags and stream facts Sonority keeps for a track. Genres keep every value, in order. */
export interface TrackTags {
  artist: string | null;
  albumArtist: string | null;
  album: string | null;
  title: string | null;
  trackNo: number | null;
  discNo: number | null;
  year: number | null;
  genres: string[];
  durationSec: number | null;
  codec: string | null;
  sampleRate: number | null;
  channels: number | null;
  bitrate: number | null;
}

/** Splits, trims and de-duplicates genre values (case-insensitively), keeping their order. */
export function normaliseGenres(values: readonly string[] | undefined): string[] {
  const seen = new Set<string>();
  const genres: string[] = [];
  for (const value of values ?? []) {
    for (const part of value.split('\0')) {
      const genre = part.trim();
      if (genre && !seen.has(genre.toLowerCase())) {
        seen.add(genre.toLowerCase());
        genres.push(genre);
      }
    }
  }
  return genres;
}

/**
 * The exact duration of a file in seconds, measured by reading it through
 * (music-metadata's `duration: true`: 2–45 ms), or null. For containers whose
 * header declares none (Ogg) and to confirm a suspected truncation.
 */
export async function measureDuration(filePath: string): Promise<number | null> {
  const { format } = await parseFile(filePath, { skipCovers: true, duration: true });
  return format.duration ?? null;
}

/**
 * Reads a file's tags with music-metadata (covers skipped). The duration is
 * the container's (measured when it declares none); it places the windows of
 * long tracks and reveals truncated files. Throws `unreadable-tags` on a
 * damaged container.
 */
export async function readTags(filePath: string): Promise<TrackTags> {
  let metadata;
  try {
    metadata = await parseFile(filePath, { skipCovers: true });
    if (metadata.format.duration === undefined) metadata = await parseFile(filePath, { skipCovers: true, duration: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code) throw error;
    throw new SonorityError('unreadable-tags', `cannot read the file's tags: ${(error as Error).message}`, { cause: error });
  }
  const { common, format } = metadata;
  return {
    artist: common.artists && common.artists.length > 1 ? common.artists.join('; ') : (common.artist ?? null),
    albumArtist: common.albumartist ?? null,
    album: common.album ?? null,
    title: common.title ?? null,
    trackNo: common.track.no ?? null,
    discNo: common.disk.no ?? null,
    year: common.year ?? null,
    genres: normaliseGenres(common.genre),
    durationSec: format.duration ?? null,
    codec: format.codec ?? null,
    sampleRate: format.sampleRate ?? null,
    channels: format.numberOfChannels ?? null,
    bitrate: format.bitrate ? Math.round(format.bitrate) : null,
  };
}

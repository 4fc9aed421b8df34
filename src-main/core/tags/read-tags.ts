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
 * Reads a file's tags with music-metadata (covers skipped). The duration is
 * measured, not estimated (Ogg and VBR MP3 without a Xing header declare
 * none): it places the analysis windows and reveals truncated files.
 * Throws `unreadable-tags` on a damaged container.
 */
export async function readTags(filePath: string): Promise<TrackTags> {
  let metadata;
  try {
    metadata = await parseFile(filePath, { skipCovers: true, duration: true });
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

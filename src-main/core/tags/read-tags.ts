import { parseFile, type IAudioMetadata } from 'music-metadata';
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
  /** The tag the genres were read from (`ID3v2.3`, `APEv2`, `Vorbis comment`, …; see `readGenreTags`), or null when no tag holds any. */
  genreSource: string | null;
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

/** The genres one tag of a file holds. */
export interface GenreTag {
  /** `ID3v2.4`, `ID3v2.3`, `ID3v2.2`, `APEv2`, `ID3v1`, `Vorbis comment`, `Vorbis STYLE`, `MP4` or `RIFF INFO`. */
  tag: string;
  genres: string[];
}

/**
 * Where each kind of tag keeps its genres (music-metadata's tag type and
 * native ids, matched case-insensitively), in the order Sonority reads them:
 * a container's own tag first (FLAC and Ogg comments, MP4 items, an MP3's
 * ID3v2), then APEv2, then ID3v1, as Picard and foobar2000 do. Not
 * music-metadata's `common`: it puts APEv2 first and merges Vorbis `STYLE`
 * into the genres, and since Sonority writes neither, a file would not read
 * back the genres just written to it. `STYLE` counts only where no `GENRE` is.
 */
const GENRE_ORDER: ReadonlyArray<{ tagType: string; tag: string; ids: readonly string[] }> = [
  { tagType: 'vorbis', tag: 'Vorbis comment', ids: ['genre'] },
  { tagType: 'vorbis', tag: 'Vorbis STYLE', ids: ['style'] },
  { tagType: 'iTunes', tag: 'MP4', ids: ['©gen', 'gnre'] },
  { tagType: 'ID3v2.4', tag: 'ID3v2.4', ids: ['tcon'] },
  { tagType: 'ID3v2.3', tag: 'ID3v2.3', ids: ['tcon'] },
  { tagType: 'ID3v2.2', tag: 'ID3v2.2', ids: ['tco'] },
  { tagType: 'exif', tag: 'RIFF INFO', ids: ['ignr', 'gnre'] },
  { tagType: 'APEv2', tag: 'APEv2', ids: ['genre'] },
  { tagType: 'ID3v1', tag: 'ID3v1', ids: ['genre'] },
];

/**
 * Every tag of a file that holds genres, first the one Sonority reads them
 * from (see `GENRE_ORDER`: ID3v2 over APEv2 over ID3v1), from
 * music-metadata's native tags.
 */
export function readGenreTags(native: IAudioMetadata['native']): GenreTag[] {
  return GENRE_ORDER.flatMap(({ tagType, tag, ids }) => {
    const values = (native[tagType] ?? []).filter((t) => ids.includes(t.id.toLowerCase()) && typeof t.value === 'string').map((t) => t.value as string);
    const genres = normaliseGenres(values);
    return genres.length > 0 ? [{ tag, genres }] : [];
  });
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
 * long tracks and reveals truncated files. The genres come from one tag,
 * chosen by `readGenreTags`. Throws `unreadable-tags` on a damaged container.
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
  const [genreTag] = readGenreTags(metadata.native);
  return {
    artist: common.artists && common.artists.length > 1 ? common.artists.join('; ') : (common.artist ?? null),
    albumArtist: common.albumartist ?? null,
    album: common.album ?? null,
    title: common.title ?? null,
    trackNo: common.track.no ?? null,
    discNo: common.disk.no ?? null,
    year: common.year ?? null,
    genres: genreTag?.genres ?? [],
    genreSource: genreTag?.tag ?? null,
    durationSec: format.duration ?? null,
    codec: format.codec ?? null,
    sampleRate: format.sampleRate ?? null,
    channels: format.numberOfChannels ?? null,
    bitrate: format.bitrate ? Math.round(format.bitrate) : null,
  };
}

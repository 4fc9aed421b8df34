import fs from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { parseBuffer } from 'music-metadata';
import { describeWriteError, SonorityError } from '../errors.ts';
import { sniffAudio, id3v2Length, type AudioContainer } from '../scan/sniff.ts';
import { normaliseGenres, readGenreTags, type GenreTag } from './read-tags.ts';
import { audioPayloadHash } from './audio-payload.ts';
import { withId3Genres, type Id3GenreOptions } from './id3-genres.ts';
import { withFlacGenres } from './flac-genres.ts';
import { withOggGenres } from './ogg-genres.ts';
import { withMp4Genres } from './mp4-genres.ts';
import { withWavGenres } from './wav-genres.ts';
import { withAiffGenres } from './aiff-genres.ts';
import { statForWriting, type ScannedState } from './writable-file.ts';
import { replaceFileAtomically, type ReplacementPlan } from './atomic-file.ts';

export interface WriteGenresOptions {
  id3: Id3GenreOptions;
  /** Keep the file's modification time (default), or let it be now. */
  mtime: 'keep' | 'update';
  /** Size and mtime the library last saw: a file that differs has changed since the scan and is not written. */
  expected?: ScannedState;
  /** Compute and check the change, write nothing. */
  dryRun?: boolean;
  /** Called with both versions and the temporary file's name just before the file is replaced (the journal records them here); throwing stops the write. */
  beforeReplace?: (change: { before: Buffer; after: Uint8Array; mtimeMs: number; oldGenres: string[]; newGenres: string[] } & ReplacementPlan) => void;
}

/** What a write did (or, in a dry run, would do) to one file. */
export interface WriteGenresResult {
  path: string;
  container: AudioContainer;
  /** The genres the file had: those of the first tag in the reading order (`readGenreTags`). */
  oldGenres: string[];
  /** The tag `oldGenres` were read from, or null when no tag held any. */
  genreSource: string | null;
  /** Tags holding genres that Sonority does not write (APEv2, ID3v1, an ID3v2 tag in front of a FLAC…): left as they are, and read after the written one. */
  untouchedGenreTags: GenreTag[];
  newGenres: string[];
  /** False when the file already had exactly these genres (nothing written). */
  changed: boolean;
  /** SHA-256 of the audio payload, identical before and after. */
  audioHash: string;
}

const isId3v2 = (tag: string) => tag.startsWith('ID3v2');
const isVorbisComment = (tag: string) => tag === 'Vorbis comment';
const isRiffInfo = (tag: string) => tag === 'RIFF INFO';
/** Tags holding one text value, where Sonority joins several genres with the ID3v2.3 separator (and splits them the same way when reading). */
const joinsGenres = (tag: string) => isId3v2(tag) || isRiffInfo(tag);

interface Writer {
  /** The container as people name it. */
  name: string;
  write: (bytes: Uint8Array, genres: readonly string[], options: WriteGenresOptions) => Uint8Array;
  /** Whether it sets this tag (named as `readGenreTags` names them); every other tag is left as it is. */
  sets: (tag: string) => boolean;
  /** Whether the file may start with an ID3v2 tag: an MP3's own; one in front of a FLAC, kept byte for byte (music-metadata reads the FLAC behind it, not Ogg or MP4). */
  id3InFront: boolean;
}

/** Each container's writer: its native tag, an MP3's ID3v2 and FLAC's, Ogg's and MP4's own tags, WAV's INFO list (and ID3 chunk), AIFF's ID3 chunk. */
const WRITERS: Partial<Record<AudioContainer, Writer>> = {
  'mp3': { name: 'MP3', write: (bytes, genres, options) => withId3Genres(bytes, genres, options.id3), sets: isId3v2, id3InFront: true },
  'flac': { name: 'FLAC', write: (bytes, genres) => withFlacGenres(bytes, genres), sets: isVorbisComment, id3InFront: true },
  'ogg-vorbis': { name: 'Ogg Vorbis', write: (bytes, genres) => withOggGenres(bytes, genres), sets: isVorbisComment, id3InFront: false },
  'ogg-opus': { name: 'Opus', write: (bytes, genres) => withOggGenres(bytes, genres), sets: isVorbisComment, id3InFront: false },
  'mp4': { name: 'MP4/M4A', write: (bytes, genres) => withMp4Genres(bytes, genres), sets: (tag) => tag === 'MP4', id3InFront: false },
  'wav': { name: 'WAV', write: (bytes, genres, options) => withWavGenres(bytes, genres, options.id3), sets: joinsGenres, id3InFront: false },
  'aiff': { name: 'AIFF', write: (bytes, genres, options) => withAiffGenres(bytes, genres, options.id3), sets: isId3v2, id3InFront: false },
};

/** Containers Sonority reads but does not write, as people name them. */
const UNWRITTEN_NAMES: Partial<Record<AudioContainer, string>> = { 'aac-adts': 'raw AAC (ADTS)', 'ogg-flac': 'FLAC in Ogg' };

/**
 * Why Sonority cannot write genres into files of this container (as
 * `sniffAudio` names it, and the library stores it), or null when it can.
 * The one list of writable containers: the writers' own.
 */
export function containerWriteRefusal(container: string): string | null {
  if (WRITERS[container as AudioContainer]) return null;
  const names = Object.values(WRITERS).map((writer) => writer.name);
  const name = UNWRITTEN_NAMES[container as AudioContainer] ?? container.toUpperCase();
  return `Sonority writes genres into ${names.slice(0, -1).join(', ')} and ${names.at(-1)} files, not ${name}`;
}

/** The container's writer, or why this file cannot be written. */
function writerFor(file: string, bytes: Buffer, container: AudioContainer): Writer {
  const writer = WRITERS[container];
  if (!writer) throw new SonorityError('tag-unsupported', `${file}: ${containerWriteRefusal(container)}`);
  if (!writer.id3InFront && id3v2Length(bytes) > 0) throw new SonorityError('tag-unsupported', `${file}: an ID3v2 tag stands in front of this ${writer.name} file, and its own tags cannot be read behind it, so genres written there could not be checked; the file is left as it is`);
  return writer;
}

async function readChecked(file: string, expected: WriteGenresOptions['expected']): Promise<{ bytes: Buffer; stat: Stats }> {
  const stat = await statForWriting(file, expected);
  return { bytes: await fs.readFile(file), stat };
}

/**
 * The one place that writes genres into files. Reads the file (refusing one
 * that is read-only or changed since the scan), reads its genres as
 * `readGenreTags` orders the tags, builds the new bytes with the container's
 * writer (its native tag only: APEv2 and ID3v1 tags, and an ID3v2 tag in
 * front of a FLAC, keep their bytes), checks the audio payload is unchanged, and replaces the
 * file atomically (temporary file in the same folder, fsync, rename), keeping
 * its permissions and, by default, its modification time. `dryRun` stops
 * before writing. Every failure is a `SonorityError` naming the file; the
 * original is never left half-written.
 */
export async function writeGenres(file: string, genres: readonly string[], options: WriteGenresOptions): Promise<WriteGenresResult> {
  const { bytes, stat } = await readChecked(file, options.expected).catch((error) => {
    throw describeWriteError(error, file);
  });
  const sniffed = sniffAudio(bytes);
  if (!sniffed.audio) throw new SonorityError(sniffed.code, `${file}: ${sniffed.reason}`);
  const writer = writerFor(file, bytes, sniffed.container);
  const genreTags = readGenreTags((await parseBuffer(bytes, { size: bytes.length }, { skipCovers: true })).native);
  const source = genreTags[0] ?? null;
  // ID3v2.3 and RIFF INFO hold one value: Sonority joins several genres with the separator, and reads them back the same way.
  const genresOf = (tag: GenreTag) => (joinsGenres(tag.tag) ? normaliseGenres(tag.genres.flatMap((value) => value.split(options.id3.v23Separator))) : tag.genres);
  const oldGenres = source ? genresOf(source) : [];
  const newGenres = normaliseGenres(genres);
  const holds = (values: string[]) => values.length === newGenres.length && values.every((g, i) => g === newGenres[i]);
  const audioHash = audioPayloadHash(bytes);
  const untouchedGenreTags = genreTags.filter((genreTag) => !writer.sets(genreTag.tag));
  const result = { path: file, container: sniffed.container, oldGenres, genreSource: source?.tag ?? null, untouchedGenreTags, newGenres, audioHash };
  // Unchanged only when every tag the writer sets already holds them (a WAV's ID3 chunk and INFO list may disagree).
  if (holds(oldGenres) && genreTags.filter((tag) => writer.sets(tag.tag)).every((tag) => holds(genresOf(tag)))) return { ...result, changed: false };
  let written: Uint8Array;
  try {
    written = writer.write(bytes, newGenres, options);
  } catch (error) {
    throw error instanceof SonorityError ? new SonorityError(error.code, `${file}: ${error.message}`, { cause: error }) : describeWriteError(error, file);
  }
  if (audioPayloadHash(written) !== audioHash) throw new SonorityError('audio-would-change', `${file}: writing the tags would change the audio; nothing was written`);
  if (options.dryRun) return { ...result, changed: true };
  await replaceFileAtomically(file, written, stat, {
    mtime: options.mtime,
    beforeWrite: (plan) => options.beforeReplace?.({ before: bytes, after: written, mtimeMs: stat.mtimeMs, oldGenres, newGenres, ...plan }),
  });
  return { ...result, changed: true };
}

import fs from 'node:fs/promises';
import { parseBuffer } from 'music-metadata';
import { describeWriteError, SonorityError } from '../errors.ts';
import { sniffAudio, id3v2Length, type AudioContainer } from '../scan/sniff.ts';
import { normaliseGenres } from './read-tags.ts';
import { audioPayloadHash } from './audio-payload.ts';
import { withId3Genres, type Id3GenreOptions } from './id3-genres.ts';
import { withFlacGenres } from './flac-genres.ts';
import { withOggGenres } from './ogg-genres.ts';
import { withMp4Genres } from './mp4-genres.ts';
import { replaceFileAtomically } from './atomic-file.ts';

export interface WriteGenresOptions {
  id3: Id3GenreOptions;
  /** Keep the file's modification time (default), or let it be now. */
  mtime: 'keep' | 'update';
  /** Size and mtime the library last saw: a file that differs has changed since the scan and is not written. */
  expected?: { size: number; mtimeMs: number };
  /** Compute and check the change, write nothing. */
  dryRun?: boolean;
  /** Called with both versions just before the file is replaced (the journal records them here); throwing stops the write. */
  beforeReplace?: (change: { before: Buffer; after: Uint8Array; mtimeMs: number; oldGenres: string[]; newGenres: string[] }) => void;
}

/** What a write did (or, in a dry run, would do) to one file. */
export interface WriteGenresResult {
  path: string;
  container: AudioContainer;
  oldGenres: string[];
  newGenres: string[];
  /** False when the file already had exactly these genres (nothing written). */
  changed: boolean;
  /** SHA-256 of the audio payload, identical before and after. */
  audioHash: string;
}

const WRITERS: Partial<Record<AudioContainer, (bytes: Uint8Array, genres: readonly string[], options: WriteGenresOptions) => Uint8Array>> = {
  'mp3': (bytes, genres, options) => withId3Genres(bytes, genres, options.id3),
  'flac': (bytes, genres) => withFlacGenres(bytes, genres),
  'ogg-vorbis': (bytes, genres) => withOggGenres(bytes, genres),
  'ogg-opus': (bytes, genres) => withOggGenres(bytes, genres),
  'mp4': (bytes, genres) => withMp4Genres(bytes, genres),
};

async function readChecked(file: string, expected: WriteGenresOptions['expected']): Promise<{ bytes: Buffer; stat: import('node:fs').Stats }> {
  const stat = await fs.stat(file);
  if (!stat.isFile()) throw new SonorityError('not-a-file', `${file}: not a file`);
  if ((stat.mode & 0o222) === 0 || !(await fs.access(file, fs.constants.W_OK).then(() => true, () => false))) throw new SonorityError('read-only', `${file}: the file is read-only for you; make it writable to tag it`);
  if (stat.nlink > 1) throw new SonorityError('hard-linked', `${file}: the file has ${stat.nlink} hard links; rewriting it would separate them, so it is left alone`);
  if (expected && (stat.size !== expected.size || Math.abs(stat.mtimeMs - expected.mtimeMs) > 1)) {
    throw new SonorityError('changed-since-scan', `${file}: the file changed since it was scanned (size or modification time differ); scan again before writing`);
  }
  return { bytes: await fs.readFile(file), stat };
}

/**
 * The one place that writes genres into files. Reads the file (refusing one
 * that is read-only or changed since the scan), builds the new bytes with the
 * container's writer, checks the audio payload is unchanged, and replaces the
 * file atomically (temporary file in the same folder, fsync, rename), keeping
 * its permissions and, by default, its modification time. `dryRun` stops
 * before writing. Every failure is a `SonorityError` naming the file; the
 * original is never left half-written.
 */
export async function writeGenres(file: string, genres: readonly string[], options: WriteGenresOptions): Promise<WriteGenresResult> {
  const { bytes, stat } = await readChecked(file, options.expected).catch((error) => {
    throw describeWriteError(error, file);
  });
  const sniffed = sniffAudio(bytes.subarray(0, 65536), bytes.subarray(id3v2Length(bytes)));
  if (!sniffed.audio) throw new SonorityError(sniffed.code, `${file}: ${sniffed.reason}`);
  const writer = WRITERS[sniffed.container];
  if (!writer) throw new SonorityError('tag-unsupported', `${file}: Sonority writes genres into MP3, FLAC, Ogg Vorbis, Opus and MP4/M4A files, not ${sniffed.container.toUpperCase()}`);
  const read = normaliseGenres((await parseBuffer(bytes, { size: bytes.length }, { skipCovers: true })).common.genre);
  // ID3v2.3 holds one value: Sonority joins several genres with the separator, and reads them back the same way.
  const oldGenres = sniffed.container === 'mp3' ? normaliseGenres(read.flatMap((value) => value.split(options.id3.v23Separator))) : read;
  const newGenres = normaliseGenres(genres);
  const audioHash = audioPayloadHash(bytes);
  const result = { path: file, container: sniffed.container, oldGenres, newGenres, audioHash };
  if (oldGenres.length === newGenres.length && oldGenres.every((g, i) => g === newGenres[i])) return { ...result, changed: false };
  let written: Uint8Array;
  try {
    written = writer(bytes, newGenres, options);
  } catch (error) {
    throw error instanceof SonorityError ? new SonorityError(error.code, `${file}: ${error.message}`, { cause: error }) : describeWriteError(error, file);
  }
  if (audioPayloadHash(written) !== audioHash) throw new SonorityError('audio-would-change', `${file}: writing the tags would change the audio; nothing was written`);
  if (options.dryRun) return { ...result, changed: true };
  options.beforeReplace?.({ before: bytes, after: written, mtimeMs: stat.mtimeMs, oldGenres, newGenres });
  await replaceFileAtomically(file, written, stat, options.mtime === 'keep' ? stat.mtime : null);
  return { ...result, changed: true };
}

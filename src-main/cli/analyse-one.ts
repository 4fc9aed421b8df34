import fs from 'node:fs/promises';
import path from 'node:path';
import { SonorityError } from '../core/errors.ts';
import { analyseFile, type TrackAnalysis } from '../core/analysis/analyse-file.ts';
import { readTags } from '../core/tags/read-tags.ts';
import { sniffFile } from '../core/scan/sniff.ts';

/** The path as a regular file, read without opening it: opening a FIFO would wait for a writer forever. */
async function requireRegularFile(file: string): Promise<void> {
  const stat = await fs.stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new SonorityError('file-unreadable', `cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  if (stat.isFile()) return;
  const kind = stat.isDirectory() ? 'a folder' : stat.isFIFO() ? 'a named pipe (FIFO)' : stat.isSocket() ? 'a socket' : 'a device or other special file';
  throw new SonorityError('not-a-file', `${file}: not a regular file but ${kind}; give an audio file`);
}

/** Analyses one audio file given on the command line (with its 3-second frames when `frames`), with a readable error when it is missing, not a regular file or not audio. */
export async function analyseOneFile(given: string, ffmpegPath?: string, frames = false): Promise<{ file: string; analysis: TrackAnalysis; genres: string[] }> {
  const file = path.resolve(given);
  await requireRegularFile(file);
  const sniffed = await sniffFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new SonorityError('file-unreadable', `cannot read ${file}: ${error.message}`);
  });
  if (!sniffed.audio) throw new SonorityError(sniffed.code, `${file}: ${sniffed.reason}`);
  const tags = await readTags(file);
  return { file, analysis: await analyseFile({ path: file, declaredDurationSec: tags.durationSec, ffmpegPath, frames }), genres: tags.genres };
}

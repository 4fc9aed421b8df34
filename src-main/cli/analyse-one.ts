import path from 'node:path';
import { SonorityError } from '../core/errors.ts';
import { analyseFile, type TrackAnalysis } from '../core/analysis/analyse-file.ts';
import { readTags } from '../core/tags/read-tags.ts';
import { sniffFile } from '../core/scan/sniff.ts';

/** Analyses one audio file given on the command line, with a readable error when it is missing or not audio. */
export async function analyseOneFile(given: string, ffmpegPath?: string): Promise<{ file: string; analysis: TrackAnalysis; genres: string[] }> {
  const file = path.resolve(given);
  const sniffed = await sniffFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new SonorityError('file-unreadable', `cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  if (!sniffed.audio) throw new SonorityError(sniffed.code, `${file}: ${sniffed.reason}`);
  const tags = await readTags(file);
  return { file, analysis: await analyseFile({ path: file, declaredDurationSec: tags.durationSec, ffmpegPath }), genres: tags.genres };
}

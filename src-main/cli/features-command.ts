import { parseArgs } from 'node:util';
import { SonorityError } from '../core/errors.ts';
import type { DescriptorMatrix } from '../core/analysis/analyse-file.ts';
import { DECODE_SAMPLE_RATE } from '../core/decode/decoder.ts';
import { DESCRIPTOR_NAMES } from '../core/features/descriptors.ts';
import { analyseOneFile } from './analyse-one.ts';
import { writeJsonLine, type CliIo } from './io.ts';

interface Segment {
  kind: 'window' | 'frame';
  index: number;
  startSec: number;
  length: number;
  descriptors: Record<string, number>;
}

function segments(kind: Segment['kind'], matrix: DescriptorMatrix): Segment[] {
  return Array.from(matrix.starts, (start, index) => ({
    kind,
    index,
    startSec: start / DECODE_SAMPLE_RATE,
    length: matrix.lengths[index]!,
    descriptors: Object.fromEntries(DESCRIPTOR_NAMES.map((name, j) => [name, matrix.values[index * DESCRIPTOR_NAMES.length + j]!])),
  }));
}

export const FEATURES_USAGE = 'sonority features <file> [--json] [--ffmpeg PATH]';

/**
 * `sonority features <file> [--json]`: the 57 descriptors of each analysed
 * 30-second window and 3-second frame, named as the GTZAN table's columns
 * (CSV by default, so it lines up with librosa's output).
 */
export async function featuresCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, ffmpeg: { type: 'string' } } });
  if (positionals.length !== 1) throw new SonorityError('usage', `give exactly one audio file\nusage: ${FEATURES_USAGE}`);
  const { file, analysis } = await analyseOneFile(positionals[0]!, values.ffmpeg, true);
  const rows = [...segments('window', analysis.windows), ...segments('frame', analysis.frames)];
  if (values.json) {
    writeJsonLine(io, { file, featureSet: analysis.featureSet, durationSec: analysis.durationSec, tempo: analysis.tempo, windows: rows.filter((r) => r.kind === 'window'), frames: rows.filter((r) => r.kind === 'frame') });
    return 0;
  }
  io.stdout.write(`kind,index,start_sec,length,${DESCRIPTOR_NAMES.join(',')}\n`);
  for (const row of rows) io.stdout.write(`${row.kind},${row.index},${row.startSec.toFixed(3)},${row.length},${DESCRIPTOR_NAMES.map((n) => row.descriptors[n]).join(',')}\n`);
  return 0;
}

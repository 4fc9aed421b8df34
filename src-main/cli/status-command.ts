import { parseArgs } from 'node:util';
import { summariseLibrary } from '../core/db/library-summary.ts';
import { withDatabase, writeJsonLine, type CliIo } from './io.ts';

export const STATUS_USAGE = 'sonority status [--db FILE] [--json]';

/** `sonority status [--json]`: library totals. */
export async function statusCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { db: { type: 'string' }, json: { type: 'boolean' } } });
  return withDatabase(values.db, io.env, (db, file) => {
    const s = summariseLibrary(db);
    if (values.json) return writeJsonLine(io, { database: file, ...s }), 0;
    const lines = [
      `Library      ${file}`,
      `Tracks       ${s.tracks.total} (${s.tracks.analysed} analysed, ${s.tracks.failedTracks} failed, ${s.tracks.pending} pending; ${s.tracks.gone} gone from disk)`,
      `Audio        ${s.hoursOfAudio.toFixed(1)} hours`,
      `Formats      ${s.containers.map((c) => `${c.container} ${c.count}`).join(' · ') || '—'}`,
      `Genre tags   ${s.tagged.tracksWithGenre} tracks tagged, ${s.tagged.distinctGenres} distinct genres`,
      `Failures     ${s.failures}${s.failures ? ' (sonority failures lists them)' : ''}`,
      `Last scan    ${s.lastScan ? `${s.lastScan.root} — ${s.lastScan.status}, started ${s.lastScan.startedAt}: ${s.lastScan.found} found, ${s.lastScan.analysed} analysed, ${s.lastScan.skipped} unchanged, ${s.lastScan.failed} failed` : 'never'}`,
    ];
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  }, 'read');
}

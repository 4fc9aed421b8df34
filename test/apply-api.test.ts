import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseFile } from 'music-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent, ApplyPlan, WriteBatch } from '../src-main/api/contract.ts';
import { DEFAULT_TAXONOMY } from '../src-main/core/taxonomy/default-taxonomy.ts';
import { hashFile, jsonLines, runCli } from './helpers/fixtures.ts';
import { scannedLibrary, serviceFor } from './helpers/service.ts';

type Service = Awaited<ReturnType<typeof serviceFor>>;
/** The helper's library, its files named. */
type Library = Omit<Awaited<ReturnType<typeof scannedLibrary>>, 'files'> & { files: Record<'disputed' | 'untagged' | 'folk' | 'thrash' | 'whale', string> };
const THRESHOLDS = [1, 0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.3, 0];
/** mutagen's view of a file's tags: an independent reader. */
const mutagen = (file: string) => execFileSync('mutagen-inspect', [file], { encoding: 'utf8' });

describe('batch apply through the API', () => {
  let service: Service;
  let library: Library;
  let originals: Map<string, string>;
  const idOf = (file: string) => (service.context.db.prepare('SELECT id FROM tracks WHERE path = ?').get(file) as { id: number }).id;
  const plan = async (scope: 'decisions' | 'all' | 'untagged' | 'disputed', minConfidence: number) => (await service.handlers.applyPlan({ scope, minConfidence })) as ApplyPlan;
  const writeEvents = () => service.events.filter((e): e is Extract<ApiEvent, { type: 'write' }> => e.type === 'write');
  const unchangedFiles = () => Object.values(library.files).filter((file) => hashFile(file) === originals.get(file));

  beforeAll(async () => {
    library = (await scannedLibrary()) as Library;
    service = await serviceFor(library.dbPath, library.root);
    originals = new Map(Object.values(library.files).map((file) => [file, hashFile(file)]));
  }, 300_000);
  afterAll(() => service?.close());

  it('plans more tracks as the threshold falls, exactly as `sonority apply` would, and never the out-of-distribution one', async () => {
    const plans = await Promise.all(THRESHOLDS.map((threshold) => plan('all', threshold)));
    for (const [i, current] of plans.entries()) {
      const ids = current.writes.map((row) => row.trackId);
      if (i > 0) expect(ids).toEqual(expect.arrayContaining(plans[i - 1]!.writes.map((row) => row.trackId)));
      for (const row of current.writes) expect(row.confidence).toBeGreaterThanOrEqual(THRESHOLDS[i]!);
      expect(ids).not.toContain(idOf(library.files.whale));
    }
    expect(plans.at(-1)!.writes.length).toBeGreaterThan(plans[0]!.writes.length);
    const disputed = plans.at(-1)!.writes.find((row) => row.trackId === idOf(library.files.disputed));
    expect(disputed).toMatchObject({ title: 'Classical Piece', artist: 'Orchestra', oldGenres: ['Metal'], newGenres: ['Classical'], source: 'prediction' });
    const cli = await runCli(['apply', '--dry-run', '--json', '--min-confidence', '0.3', '--db', library.dbPath]);
    const cliIds = jsonLines(cli.stdout).filter((l) => l.type === 'file').map((l) => idOf(l.path));
    expect((await plan('all', 0.3)).writes.map((row) => row.trackId).sort()).toEqual(cliIds.sort());
    expect((await plan('untagged', 0)).writes.map((row) => row.trackId)).toEqual([idOf(library.files.untagged)]);
    // Disputed by the combined opinion: classical tagged Metal, and the country clip tagged Folk (MusiCNN knows Folk and hears pop).
    expect((await plan('disputed', 0)).writes.map((row) => row.trackId).sort()).toEqual([idOf(library.files.disputed), idOf(library.files.folk)].sort());
    expect(await plan('decisions', 0)).toEqual({ writes: [], refused: [] });
  });

  it('refuses what the taxonomy whitelist does not allow, with its reason', async () => {
    fs.writeFileSync(service.context.taxonomyPath!, JSON.stringify({ ...DEFAULT_TAXONOMY, policy: { whitelist: ['Jazz', 'Blues'], outside: 'refuse' } }));
    try {
      const refusing = await plan('all', 0);
      expect(refusing.writes.map((row) => row.trackId)).not.toContain(idOf(library.files.disputed));
      expect(refusing.refused).toContainEqual({
        trackId: idOf(library.files.disputed), title: 'Classical Piece', fileName: path.basename(library.files.disputed), folder: '', kind: 'policy',
        message: expect.stringMatching(/^"Classical" is not in your genre whitelist/),
      });
    } finally {
      fs.rmSync(service.context.taxonomyPath!);
    }
    expect((await plan('all', 0)).refused).toEqual([]);
  });

  it('shows in a dry run the exact change each file would get, and writes nothing', async () => {
    const rows = (await plan('all', 0)).writes;
    const before = writeEvents().length;
    const result = await service.handlers.applyRun({ query: { scope: 'all', minConfidence: 0 }, trackIds: rows.map((r) => r.trackId), dryRun: true });
    expect(result).toMatchObject({ batchId: null, dryRun: true, written: rows.length, failed: 0 });
    expect(result.outcomes.find((o) => o.trackId === idOf(library.files.disputed))).toMatchObject({ ok: true, changed: true, oldGenres: ['Metal'], newGenres: ['Classical'] });
    expect(unchangedFiles()).toHaveLength(Object.keys(library.files).length);
    expect(writeEvents().length - before).toBe(rows.length);
    expect(service.handlers.writeBatches({})).toEqual([]);
  });

  let batchId: number;
  let written: number;
  it('writes only the chosen rows of the plan, with a write event per file, and lists the batch', async () => {
    const query = { scope: 'all' as const, minConfidence: 0 };
    const chosen = (await plan('all', 0)).writes.map((r) => r.trackId).filter((id) => id !== idOf(library.files.untagged));
    const outside = idOf(library.files.whale);
    const before = writeEvents().length;
    const result = await service.handlers.applyRun({ query, trackIds: [...chosen, outside], dryRun: false });
    expect(result).toMatchObject({ dryRun: false, written: chosen.length, failed: 1 });
    expect(result.outcomes.at(-1)).toMatchObject({ trackId: outside, title: null, ok: false, message: expect.stringContaining('no longer among the changes') });
    batchId = result.batchId!;
    written = chosen.length;
    const events = writeEvents().slice(before);
    expect(events.map((e) => [e.done, e.total, e.outcome.trackId])).toEqual(chosen.map((id, i) => [i + 1, chosen.length, id]));
    expect((await parseFile(library.files.disputed)).common.genre).toEqual(['Classical']);
    expect(mutagen(library.files.disputed)).toMatch(/^TCON=Classical$/m);
    expect(unchangedFiles()).toEqual(expect.arrayContaining([library.files.untagged, library.files.whale, library.files.thrash]));
    expect(service.events.at(-1)).toEqual({ type: 'library-changed' });
    expect((service.handlers.writeBatches({}) as WriteBatch[])[0]).toMatchObject({ id: batchId, command: 'apply', files: chosen.length, written: chosen.length, undone: false, undoes: null });
    expect((await plan('all', 0)).writes.map((r) => r.trackId)).toEqual([idOf(library.files.untagged)]);
    const nothing = await service.handlers.applyRun({ query, trackIds: [outside], dryRun: false });
    expect(nothing).toMatchObject({ batchId: null, written: 0, failed: 1 });
    expect(service.handlers.writeBatches({})).toHaveLength(1);
  });

  it('undoes the batch byte for byte and marks it undone', async () => {
    const result = await service.handlers.undoBatch({ batchId });
    expect(result).toMatchObject({ restored: written, failed: [] });
    expect(unchangedFiles()).toHaveLength(Object.keys(library.files).length);
    const [undo, undone] = service.handlers.writeBatches({}) as WriteBatch[];
    expect(undo).toMatchObject({ id: result.undoBatchId, command: 'undo', undoes: batchId, undone: false });
    expect(undone).toMatchObject({ id: batchId, undone: true });
    await expect(service.handlers.undoBatch({ batchId })).rejects.toThrow(/no written file left to undo/);
  });

  it('shows a file changed since the scan as not writable in the plan and the dry run, in words, and writes the others', async () => {
    const file = library.files.disputed;
    const { mtime } = fs.statSync(file);
    fs.utimesSync(file, new Date(), new Date(Date.now() + 60_000));
    try {
      const current = await plan('all', 0);
      expect(current.writes.map((r) => r.trackId)).not.toContain(idOf(file));
      expect(current.refused).toContainEqual(expect.objectContaining({ trackId: idOf(file), title: 'Classical Piece', kind: 'unwritable', message: expect.stringContaining('cannot be written: the file changed since it was scanned') }));
      const rows = current.writes;
      const result = await service.handlers.applyRun({ query: { scope: 'all', minConfidence: 0 }, trackIds: rows.map((r) => r.trackId), dryRun: true });
      expect(result).toMatchObject({ written: rows.length, failed: 1 });
      expect(result.outcomes.find((o) => !o.ok)).toMatchObject({ trackId: idOf(file), title: 'Classical Piece', message: expect.stringContaining('the file changed since it was scanned') });
      // The CLI counts it among the failures: exit 1, whether other files remain to write or none does.
      const some = await runCli(['apply', '--dry-run', '--json', '--min-confidence', '0', '--db', library.dbPath]);
      expect(some.code, some.stderr).toBe(1);
      const lines = jsonLines(some.stdout);
      expect(lines.find((l) => l.type === 'refused')).toMatchObject({ path: file, kind: 'unwritable' });
      expect(lines.find((l) => l.type === 'summary')).toMatchObject({ written: rows.length, failed: 1 });
      const none = await runCli(['apply', '--dry-run', '--min-confidence', '0', '--artist', 'Orchestra', '--db', library.dbPath]);
      expect(none.code, none.stderr).toBe(1);
      expect(none.stdout).toContain('Nothing written: 1 file cannot be written (above).');
    } finally {
      fs.utimesSync(file, new Date(), mtime);
    }
  });
});

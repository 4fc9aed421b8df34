/**
 * How tracks are named and found through the API, on a real scanned library:
 * the file's name and its folder relative to the library root wherever a
 * track is named, the genre text as written beside the taxonomy's name,
 * search over paths and written genres, any track tagged by a decision, the
 * library's decision column and filter, and the genre names to complete.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryRow } from '../src-main/api/contract.ts';
import { convertReal, runCli, SHARED_DATA, tempDir } from './helpers/fixtures.ts';
import { gtzanClip, serviceFor } from './helpers/service.ts';
import { locate } from '../src-main/core/review/track-location.ts';

type Service = Awaited<ReturnType<typeof serviceFor>>;

describe('a track\'s folder relative to the library root', () => {
  it('takes the innermost root holding the file, a filesystem root too, and the whole folder outside every root', () => {
    expect(locate('/music/a/b/song.mp3', ['/music/a', '/music'])).toEqual({ fileName: 'song.mp3', folder: 'b' });
    expect(locate('/music/song.mp3', ['/music'])).toEqual({ fileName: 'song.mp3', folder: '' });
    expect(locate('/usb/Live/song.mp3', ['/'])).toEqual({ fileName: 'song.mp3', folder: path.join('usb', 'Live') });
    expect(locate('/music2/song.mp3', ['/music'])).toEqual({ fileName: 'song.mp3', folder: '/music2' });
    expect(locate('/music/..hidden/song.mp3', ['/music'])).toEqual({ fileName: 'song.mp3', folder: '..hidden' });
  });
});

describe('track names, written genres and search', () => {
  const root = tempDir('sonority-names-');
  const dbPath = path.join(tempDir(), 'names.db');
  const files = {
    gig: path.join(root, 'Punks', 'Live', 'gig.mp3'),
    untitled: path.join(root, 'untitled.flac'),
    whale: path.join(root, 'Field', 'whale.ogg'),
  };
  let service: Service;
  const rows = (query: Record<string, unknown> = {}) => (service.handlers.library({ offset: 0, limit: 100, ...query }) as { rows: LibraryRow[] }).rows;
  const row = (file: string) => rows().find((r) => r.fileName === path.basename(file))!;

  beforeAll(async () => {
    await convertReal(gtzanClip('metal.00000'), files.gig, 'mp3', { genre: 'Punk Rock' });
    await convertReal(gtzanClip('jazz.00000'), files.untitled, 'flac');
    fs.mkdirSync(path.dirname(files.whale));
    fs.copyFileSync(path.join(SHARED_DATA, 'recordings', 'glacier-bay-humpback.hq.ogg'), files.whale);
    fs.chmodSync(files.whale, 0o644);
    const scan = await runCli(['scan', root, '--db', dbPath]);
    expect(scan.code, scan.stderr).toBe(0);
    service = await serviceFor(dbPath, root);
  }, 300_000);
  afterAll(() => service?.close());

  it('names each track by its file and its folder relative to the library root', () => {
    expect(row(files.gig)).toMatchObject({ title: null, fileName: 'gig.mp3', folder: path.join('Punks', 'Live') });
    expect(row(files.untitled)).toMatchObject({ title: null, fileName: 'untitled.flac', folder: '' });
    const detail = service.handlers.trackDetail({ trackId: row(files.whale).id }) as { fileName: string; folder: string };
    expect(detail).toMatchObject({ fileName: 'whale.ogg', folder: 'Field' });
    for (const item of service.handlers.reviewQueue({}) as { title: string | null; fileName: string; folder: string }[]) {
      expect(item.fileName).toMatch(/\.(mp3|flac|ogg)$/);
      expect(Object.values(files)).toContain(path.join(root, item.folder, item.fileName));
    }
  });

  it('keeps the genre text as written beside the name the taxonomy gives it', () => {
    const gig = row(files.gig);
    expect(gig.genres).toEqual(['Punk']);
    expect(gig.writtenGenres).toEqual([{ written: 'Punk Rock', canonical: 'Punk' }]);
    expect(row(files.untitled).writtenGenres).toEqual([]);
  });

  it('finds tracks by the genre as written, the file name and the folder, in any case', () => {
    const found = (search: string) => rows({ search }).map((r) => r.fileName);
    expect(found('punk rock')).toEqual(['gig.mp3']);
    expect(found('PUNK ROCK')).toEqual(['gig.mp3']);
    expect(found('live')).toEqual(['gig.mp3']);
    expect(found('untitled')).toEqual(['untitled.flac']);
    expect(found('field whale')).toEqual(['whale.ogg']);
    expect(found('reggae')).toEqual([]);
  });

  it('tags a track outside the queue by a decision, shown in the library, its filter and the apply plan by file name', async () => {
    const whale = row(files.whale);
    expect(whale.status).toBe('out-of-distribution');
    expect((service.handlers.reviewQueue({}) as { trackId: number }[]).map((item) => item.trackId)).not.toContain(whale.id);
    expect(whale.decision).toBeNull();
    expect(rows({ decision: 'to-write' })).toEqual([]);
    const decided = service.handlers.decide({ trackId: whale.id, action: 'custom', genres: ['field recording'] }) as { genres: string[] };
    expect(decided.genres).toEqual(['field recording']);
    expect(row(files.whale).decision).toBe('to-write');
    expect(rows({ decision: 'to-write' }).map((r) => r.fileName)).toEqual(['whale.ogg']);
    expect(rows({ decision: 'undecided' }).map((r) => r.fileName).sort()).toEqual(['gig.mp3', 'untitled.flac']);
    const plan = await service.handlers.applyPlan({ scope: 'decisions', minConfidence: 0.5 });
    expect(plan.writes).toEqual([expect.objectContaining({ trackId: whale.id, title: null, fileName: 'whale.ogg', folder: 'Field', newGenres: ['field recording'] })]);
    const dry = await service.handlers.applyRun({ query: { scope: 'decisions', minConfidence: 0.5 }, trackIds: [whale.id], dryRun: true });
    expect(dry.outcomes).toEqual([expect.objectContaining({ fileName: 'whale.ogg', folder: 'Field', ok: true, changed: true })]);
    const applied = await service.handlers.applyRun({ query: { scope: 'decisions', minConfidence: 0.5 }, trackIds: [whale.id], dryRun: false });
    expect(applied.outcomes[0]).toMatchObject({ ok: true, changed: true });
    expect(row(files.whale).decision).toBe('written');
    expect(row(files.whale).writtenGenres).toEqual([{ written: 'field recording', canonical: null }]);
    fs.appendFileSync(files.whale, 'changed by someone else'); // undo refuses a file no longer as Sonority left it
    const undone = await service.handlers.undoBatch({ batchId: applied.batchId! });
    expect(undone.failed).toEqual([expect.objectContaining({ title: null, fileName: 'whale.ogg', folder: 'Field' })]);
  });

  it('takes typed genres without a genre model, and refuses only accepting or choosing a model genre then', async () => {
    const bare = await serviceFor(dbPath, root, { model: null });
    try {
      const untitled = (bare.handlers.library({ offset: 0, limit: 10, search: 'untitled' }) as { rows: LibraryRow[] }).rows[0]!;
      expect(bare.handlers.decide({ trackId: untitled.id, action: 'custom', genres: ['Bebop'] })).toMatchObject({ genres: ['Bebop'] });
      expect(() => bare.handlers.decide({ trackId: untitled.id, action: 'accept' })).toThrow(/no genre model is loaded/);
      expect(bare.handlers.undoDecision({ decisionId: (bare.handlers.trackDetail({ trackId: untitled.id }) as { decisions: { id: number }[] }).decisions[0]!.id })).toEqual({ trackId: untitled.id });
    } finally {
      bare.close();
    }
  });

  it('offers the taxonomy\'s genres and the library\'s own to complete, once each', () => {
    const names = service.handlers.genreNames({}) as string[];
    expect(names).toContain('Classical');
    expect(names).toContain('Punk');
    expect(names).toContain('field recording');
    expect(names.filter((name) => name.toLowerCase() === 'punk')).toHaveLength(1);
    expect(names).toEqual([...names].sort(new Intl.Collator(undefined, { sensitivity: 'base', numeric: true }).compare));
  });
});

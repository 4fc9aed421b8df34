/**
 * Genres written into WAV (RIFF INFO `IGNR`, and an `id3 ` chunk where there
 * is one) and AIFF/AIFF-C (`ID3 ` chunk) files made with ffmpeg from a real
 * clip, checked with independent readers (ffprobe for INFO, mutagen for ID3,
 * a chunk walker written here), the audio decoded by ffmpeg, the journal's
 * undo byte for byte, and an apply plan that shows what cannot be written
 * before anything is.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { parseFile } from 'music-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplyPlan } from '../src-main/api/contract.ts';
import { openDatabase } from '../src-main/core/db/open-database.ts';
import { audioPayloadHash } from '../src-main/core/tags/audio-payload.ts';
import { containerWriteRefusal, writeGenres, type WriteGenresOptions } from '../src-main/core/tags/write-genres.ts';
import { writeGenreBatch } from '../src-main/core/writeback/genre-writes.ts';
import { undoWriteBatch } from '../src-main/core/writeback/undo-writes.ts';
import { ffmpeg, hashFile, runCli, tempDir } from './helpers/fixtures.ts';
import { gtzanClip, serviceFor } from './helpers/service.ts';

const OPTIONS: WriteGenresOptions = { id3: { newTagVersion: 3, v23Separator: '; ' }, mtime: 'keep' };
const EXCERPT = ['-i', gtzanClip('blues.00000'), '-t', '5'];
const sha = (bytes: Uint8Array) => crypto.createHash('sha256').update(bytes).digest('hex');

interface StoredChunk { id: string; sha: string }

/** Walks the chunks of `bytes[start, end)` here, not with Sonority's code: each one's id and body; fails unless they, pad bytes included, fill the range exactly. */
function walk(bytes: Buffer, start: number, end: number, little: boolean): Array<{ id: string; body: Buffer }> {
  const chunks: Array<{ id: string; body: Buffer }> = [];
  let at = start;
  while (at < end) {
    const size = little ? bytes.readUInt32LE(at + 4) : bytes.readUInt32BE(at + 4);
    chunks.push({ id: bytes.toString('latin1', at, at + 4), body: bytes.subarray(at + 8, at + 8 + size) });
    at += 8 + size + (size & 1);
  }
  expect(at, 'the chunks fill their range').toBe(end);
  return chunks;
}

/** The top-level chunks of a WAV or AIFF file, each with a hash of its body; fails unless the form's size is the file's. */
function chunksOf(file: string): StoredChunk[] {
  const bytes = fs.readFileSync(file);
  const little = bytes.toString('latin1', 0, 4) === 'RIFF';
  expect(8 + (little ? bytes.readUInt32LE(4) : bytes.readUInt32BE(4)), `${file}: form size`).toBe(bytes.length);
  return walk(bytes, 12, bytes.length, little).map((chunk) => ({ id: chunk.id, sha: sha(chunk.body) }));
}

/** The items of a WAV file's LIST/INFO chunk, in order (none without one). */
function infoItems(file: string): Array<{ id: string; value: string }> {
  const bytes = fs.readFileSync(file);
  const list = walk(bytes, 12, bytes.length, true).find((chunk) => chunk.id === 'LIST' && chunk.body.toString('latin1', 0, 4) === 'INFO');
  return list ? walk(list.body, 4, list.body.length, true).map((item) => ({ id: item.id, value: item.body.toString('latin1').replace(/\0+$/, '') })) : [];
}

/** ffprobe's view of the container's tags (for WAV: the INFO list). */
const ffprobeTags = (file: string): Record<string, string> => JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format_tags', '-of', 'json', file], { encoding: 'utf8' })).format.tags ?? {};
/** mutagen's view of the file's ID3 frames: each text frame's values. */
const mutagenFrames = (file: string): Record<string, string[]> => JSON.parse(execFileSync('/usr/bin/python3', ['-c',
  'import json, sys, mutagen\nf = mutagen.File(sys.argv[1])\nprint(json.dumps({k: [str(v) for v in f.tags[k].text] for k in f.tags.keys() if hasattr(f.tags[k], "text")} if f.tags else {}))', file], { encoding: 'utf8' }));
/** SHA-256 of the audio as ffmpeg decodes it (fails if it cannot). */
const decodedAudio = (file: string) => sha(execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 's16le', '-'], { maxBuffer: 64 << 20 }));

/** Appends a chunk (odd-sized: it takes a pad byte) after the audio of a WAV file, and fixes the RIFF size. */
function appendChunk(file: string, id: string, body: Buffer): void {
  const header = Buffer.alloc(8);
  header.write(id, 0, 'latin1');
  header.writeUInt32LE(body.length, 4);
  const bytes = Buffer.concat([fs.readFileSync(file), header, body, Buffer.alloc(body.length & 1)]);
  bytes.writeUInt32LE(bytes.length - 8, 4);
  fs.writeFileSync(file, bytes);
}

/** The body of a LIST/INFO chunk holding these items (each text NUL-terminated, odd ones padded). */
function infoList(items: Record<string, string>): Buffer {
  return Buffer.concat([Buffer.from('INFO', 'latin1'), ...Object.entries(items).map(([id, value]) => {
    const text = Buffer.from(`${value}\0`, 'latin1');
    const header = Buffer.alloc(8);
    header.write(id, 0, 'latin1');
    header.writeUInt32LE(text.length, 4);
    return Buffer.concat([header, text, Buffer.alloc(text.length & 1)]);
  })]);
}

/** Adds an ID3v2.4 `id3 ` chunk with a title and a genre to a WAV file, through mutagen. */
function addId3Chunk(file: string): void {
  execFileSync('/usr/bin/python3', ['-c', [
    'import sys, mutagen.wave', 'from mutagen.id3 import TIT2, TCON',
    'f = mutagen.wave.WAVE(sys.argv[1]); f.add_tags()', 'f.tags.add(TIT2(encoding=3, text="Blues Walk")); f.tags.add(TCON(encoding=3, text="Rock")); f.save()',
  ].join('\n'), file]);
}

/** The test files, all from the same five seconds of a real blues clip. */
async function makeFiles(dir: string) {
  const file = (name: string) => path.join(dir, name);
  const files = {
    /** INFO with title, artist, genre and encoder, before `data` (as ffmpeg writes it). */
    info: file('info.wav'),
    /** No LIST chunk at all (ffmpeg's bit-exact mode writes none). */
    bare: file('bare.wav'),
    /** No LIST chunk, and a chunk of its own after `data`. */
    trailing: file('trailing.wav'),
    /** An INFO list and an `id3 ` chunk after `data`, added by mutagen. */
    id3: file('id3.wav'),
    /** AIFF without an ID3 chunk. */
    aiff: file('plain.aiff'),
    /** AIFF with ffmpeg's ID3 chunk after `SSND`. */
    aiffTagged: file('tagged.aiff'),
    /** AIFF-C (32-bit float) with a NAME chunk. */
    aifc: file('float.aifc'),
  };
  await ffmpeg([...EXCERPT, '-c:a', 'pcm_s16le', '-metadata', 'title=Blues Walk', '-metadata', 'artist=Muddy', '-metadata', 'genre=Rock', files.info]);
  await ffmpeg([...EXCERPT, '-c:a', 'pcm_s16le', '-fflags', '+bitexact', '-flags:a', '+bitexact', files.bare]);
  fs.copyFileSync(files.bare, files.trailing);
  appendChunk(files.trailing, 'xtra', Buffer.from('kept!', 'latin1'));
  await ffmpeg([...EXCERPT, '-c:a', 'pcm_s16le', files.id3]);
  addId3Chunk(files.id3);
  await ffmpeg([...EXCERPT, '-c:a', 'pcm_s16be', files.aiff]);
  await ffmpeg([...EXCERPT, '-c:a', 'pcm_s16be', '-write_id3v2', '1', '-metadata', 'title=Blues Walk', '-metadata', 'genre=Rock', files.aiffTagged]);
  await ffmpeg([...EXCERPT, '-c:a', 'pcm_f32be', '-metadata', 'title=Blues Walk', files.aifc]);
  return files;
}

type Files = Awaited<ReturnType<typeof makeFiles>>;
const TAG_CHUNKS = new Set(['LIST', 'id3 ', 'ID3 ']);
const withoutTags = (chunks: StoredChunk[]) => chunks.filter((chunk) => !TAG_CHUNKS.has(chunk.id));

describe('writing genres into WAV and AIFF files', () => {
  const dir = tempDir();
  let files: Files;
  const before = new Map<string, { hash: string; chunks: StoredChunk[]; payload: string; decoded: string; ffprobe: Record<string, string>; info: Array<{ id: string; value: string }> }>();

  beforeAll(async () => {
    files = await makeFiles(dir);
    for (const file of Object.values(files)) {
      const bytes = fs.readFileSync(file);
      before.set(file, { hash: sha(bytes), chunks: chunksOf(file), payload: audioPayloadHash(bytes), decoded: decodedAudio(file), ffprobe: ffprobeTags(file), info: file.endsWith('.wav') ? infoItems(file) : [] });
    }
  }, 120_000);

  /** Checks what must never change: every chunk but the tags, in order and byte for byte, the audio payload and the decoded audio. */
  const expectAudioAndChunksKept = (file: string) => {
    const old = before.get(file)!;
    expect(withoutTags(chunksOf(file)), file).toEqual(withoutTags(old.chunks));
    expect(audioPayloadHash(fs.readFileSync(file)), file).toBe(old.payload);
    expect(decodedAudio(file), file).toBe(old.decoded);
  };

  it('writes IGNR into an existing INFO list in place, keeping its other items and every chunk', async () => {
    const result = await writeGenres(files.info, ['Blues', 'Soul'], OPTIONS);
    expect(result).toMatchObject({ container: 'wav', changed: true, oldGenres: ['Rock'], genreSource: 'RIFF INFO', newGenres: ['Blues', 'Soul'] });
    expect(ffprobeTags(files.info)).toEqual({ ...before.get(files.info)!.ffprobe, genre: 'Blues; Soul' });
    expect(infoItems(files.info)).toEqual(before.get(files.info)!.info.map((item) => (item.id === 'IGNR' ? { id: 'IGNR', value: 'Blues; Soul' } : item)));
    expect(chunksOf(files.info).map((chunk) => chunk.id)).toEqual(before.get(files.info)!.chunks.map((chunk) => chunk.id));
    expectAudioAndChunksKept(files.info);
  });

  it('creates the INFO list before the audio when there is none, and keeps a chunk after the audio where it was', async () => {
    for (const file of [files.bare, files.trailing]) {
      expect(await writeGenres(file, ['Blues'], OPTIONS)).toMatchObject({ changed: true, oldGenres: [], genreSource: null });
      expect(ffprobeTags(file).genre).toBe('Blues');
      expect(infoItems(file)).toEqual([{ id: 'IGNR', value: 'Blues' }]);
      expectAudioAndChunksKept(file);
    }
    expect(chunksOf(files.bare).map((chunk) => chunk.id)).toEqual(['fmt ', 'LIST', 'data']);
    expect(chunksOf(files.trailing).map((chunk) => chunk.id)).toEqual(['fmt ', 'LIST', 'data', 'xtra']);
    expect(fs.readFileSync(files.trailing).subarray(-6).toString('latin1')).toBe('kept!\0');
  });

  it('updates an id3 chunk a WAV already has, and its INFO list too', async () => {
    const result = await writeGenres(files.id3, ['Blues', 'Soul'], OPTIONS);
    expect(result).toMatchObject({ changed: true, oldGenres: ['Rock'], genreSource: 'ID3v2.4', untouchedGenreTags: [] });
    // mutagen's tag stays ID3v2.4: the two genres are two values.
    expect(mutagenFrames(files.id3)).toMatchObject({ TCON: ['Blues', 'Soul'], TIT2: ['Blues Walk'] });
    expect(infoItems(files.id3).find((item) => item.id === 'IGNR')).toEqual({ id: 'IGNR', value: 'Blues; Soul' });
    expect(chunksOf(files.id3).map((chunk) => chunk.id)).toEqual(before.get(files.id3)!.chunks.map((chunk) => chunk.id));
    expectAudioAndChunksKept(files.id3);
  });

  it('writes the genres into a GNRE INFO item as well as IGNR, so the file reads back only the new ones', async () => {
    const file = path.join(dir, 'gnre.wav');
    await ffmpeg([...EXCERPT, '-c:a', 'pcm_s16le', '-fflags', '+bitexact', '-flags:a', '+bitexact', file]);
    appendChunk(file, 'LIST', infoList({ INAM: 'Blues Walk', GNRE: 'Rock' }));
    const audio = audioPayloadHash(fs.readFileSync(file));
    expect(await writeGenres(file, ['Blues', 'Soul'], OPTIONS)).toMatchObject({ changed: true, oldGenres: ['Rock'], genreSource: 'RIFF INFO' });
    expect(infoItems(file)).toEqual([{ id: 'INAM', value: 'Blues Walk' }, { id: 'GNRE', value: 'Blues; Soul' }, { id: 'IGNR', value: 'Blues; Soul' }]);
    expect(chunksOf(file).map((chunk) => chunk.id)).toEqual(['fmt ', 'data', 'LIST']);
    expect(audioPayloadHash(fs.readFileSync(file))).toBe(audio);
    const hash = hashFile(file);
    expect(await writeGenres(file, ['Blues', 'Soul'], OPTIONS)).toMatchObject({ changed: false, oldGenres: ['Blues', 'Soul'] });
    expect(hashFile(file)).toBe(hash);
  });

  it('rewrites an AIFF ID3 chunk stored as `id3 ` where it stands, as `ID3 `, instead of adding a second one', async () => {
    const file = path.join(dir, 'lowercase.aiff');
    await ffmpeg([...EXCERPT, '-c:a', 'pcm_s16be', '-write_id3v2', '1', '-metadata', 'title=Blues Walk', '-metadata', 'genre=Rock', file]);
    const bytes = fs.readFileSync(file);
    const tag = walk(bytes, 12, bytes.length, false).find((chunk) => chunk.id === 'ID3 ')!;
    bytes.write('id3 ', tag.body.byteOffset - bytes.byteOffset - 8, 'latin1');
    fs.writeFileSync(file, bytes);
    const decoded = decodedAudio(file);
    expect(chunksOf(file).map((chunk) => chunk.id)).toEqual(['NAME', 'COMM', 'SSND', 'id3 ']);
    expect(await writeGenres(file, ['Blues'], OPTIONS)).toMatchObject({ container: 'aiff', changed: true });
    expect(chunksOf(file).map((chunk) => chunk.id)).toEqual(['NAME', 'COMM', 'SSND', 'ID3 ']);
    expect(mutagenFrames(file)).toMatchObject({ TCON: ['Blues'], TIT2: ['Blues Walk'] });
    expect(decodedAudio(file)).toBe(decoded);
    const hash = hashFile(file);
    expect(await writeGenres(file, ['Blues'], OPTIONS)).toMatchObject({ changed: false, oldGenres: ['Blues'] });
    expect(hashFile(file)).toBe(hash);
  });

  it('writes a WAV whose ID3 chunk and INFO list disagree, even when the ID3 chunk already holds the genres', async () => {
    const file = path.join(dir, 'disagree.wav');
    await ffmpeg([...EXCERPT, '-c:a', 'pcm_s16le', '-metadata', 'genre=Jazz', file]);
    addId3Chunk(file); // TCON Rock
    expect(await writeGenres(file, ['Rock'], OPTIONS)).toMatchObject({ changed: true, oldGenres: ['Rock'], genreSource: 'ID3v2.4' });
    expect(ffprobeTags(file).genre).toBe('Rock');
    expect(mutagenFrames(file).TCON).toEqual(['Rock']);
    const hash = hashFile(file);
    expect(await writeGenres(file, ['Rock'], OPTIONS)).toMatchObject({ changed: false });
    expect(hashFile(file)).toBe(hash);
  });

  it('writes the ID3 chunk of AIFF and AIFF-C files: created before SSND, or rewritten where it stands', async () => {
    expect(await writeGenres(files.aiff, ['Blues', 'Soul'], OPTIONS)).toMatchObject({ container: 'aiff', changed: true, oldGenres: [] });
    expect(chunksOf(files.aiff).map((chunk) => chunk.id)).toEqual(['COMM', 'ID3 ', 'SSND']);
    expect(mutagenFrames(files.aiff)).toEqual({ TCON: ['Blues; Soul'] });
    expect(await writeGenres(files.aiffTagged, ['Blues'], OPTIONS)).toMatchObject({ changed: true, oldGenres: ['Rock'], genreSource: 'ID3v2.4' });
    expect(chunksOf(files.aiffTagged).map((chunk) => chunk.id)).toEqual(['NAME', 'COMM', 'SSND', 'ID3 ']);
    expect(mutagenFrames(files.aiffTagged)).toMatchObject({ TCON: ['Blues'], TIT2: ['Blues Walk'] });
    expect(await writeGenres(files.aifc, ['Blues'], OPTIONS)).toMatchObject({ changed: true, oldGenres: [] });
    expect(chunksOf(files.aifc).map((chunk) => chunk.id)).toEqual(['FVER', 'NAME', 'COMM', 'ID3 ', 'SSND']);
    expect(mutagenFrames(files.aifc)).toEqual({ TCON: ['Blues'] });
    expect(ffprobeTags(files.aifc).genre).toBe('Blues');
    for (const file of [files.aiff, files.aiffTagged, files.aifc]) expectAudioAndChunksKept(file);
  });

  it('reads the genres back as written, so writing them again changes nothing', async () => {
    const written = { [files.info]: ['Blues', 'Soul'], [files.bare]: ['Blues'], [files.id3]: ['Blues', 'Soul'], [files.aiff]: ['Blues', 'Soul'], [files.aifc]: ['Blues'] };
    for (const [file, genres] of Object.entries(written)) {
      const hash = hashFile(file);
      expect(await writeGenres(file, genres, OPTIONS), file).toMatchObject({ changed: false, oldGenres: genres });
      expect(hashFile(file)).toBe(hash);
    }
  });

  it('writes INFO text as ISO 8859-1, and refuses text it cannot hold, leaving the file as it was', async () => {
    const file = path.join(dir, 'latin.wav');
    await ffmpeg([...EXCERPT, '-c:a', 'pcm_s16le', '-fflags', '+bitexact', '-flags:a', '+bitexact', file]);
    await writeGenres(file, ['Música Popular'], OPTIONS);
    expect((await parseFile(file)).native.exif).toContainEqual({ id: 'IGNR', value: 'Música Popular' });
    expect(fs.readFileSync(file).includes(Buffer.from('IGNR\x0f\0\0\0Música Popular\0', 'latin1'))).toBe(true);
    const hash = hashFile(file);
    await expect(writeGenres(file, ['J-Pop 日本'], { ...OPTIONS, dryRun: true })).rejects.toMatchObject({ code: 'tag-unsupported', message: expect.stringContaining('INFO text is ISO 8859-1, which cannot hold "J-Pop 日本"') });
    await expect(writeGenres(file, ['J-Pop 日本'], OPTIONS)).rejects.toMatchObject({ code: 'tag-unsupported' });
    expect(hashFile(file)).toBe(hash);
  });

  it('refuses a WAV written as a stream (no sizes filled in) with a clear error', async () => {
    const file = path.join(dir, 'stream.wav');
    fs.writeFileSync(file, execFileSync('ffmpeg', ['-v', 'error', ...EXCERPT, '-c:a', 'pcm_s16le', '-f', 'wav', 'pipe:1'], { maxBuffer: 64 << 20 }));
    const hash = hashFile(file);
    await expect(writeGenres(file, ['Blues'], OPTIONS)).rejects.toMatchObject({ code: 'tag-unsupported', message: expect.stringMatching(/stream\.wav: the file's chunks cannot be rewritten safely: its RIFF size says \d+ bytes, but the file has \d+ \(was it written as a stream\?\)/) });
    expect(hashFile(file)).toBe(hash);
  });

  it('names the containers it cannot write, from the writers themselves', () => {
    for (const container of ['mp3', 'flac', 'ogg-vorbis', 'ogg-opus', 'mp4', 'wav', 'aiff']) expect(containerWriteRefusal(container), container).toBeNull();
    expect(containerWriteRefusal('aac-adts')).toBe('Sonority writes genres into MP3, FLAC, Ogg Vorbis, Opus, MP4/M4A, WAV and AIFF files, not raw AAC (ADTS)');
    expect(containerWriteRefusal('ogg-flac')).toMatch(/, not FLAC in Ogg$/);
  });
});

describe('journaled writes of WAV and AIFF files', () => {
  const dir = tempDir();
  let files: Files;
  let originals: Map<string, string>;
  const dbPath = path.join(tempDir(), 'library.db');

  beforeAll(async () => {
    files = await makeFiles(dir);
    originals = new Map(Object.values(files).map((file) => [file, hashFile(file)]));
  }, 120_000);

  it('writes every file in one batch and undoes it byte for byte; the journal keeps only the bytes of the tag, before the audio or after it', async () => {
    const db = openDatabase(dbPath);
    try {
      // Genres that outgrow the padding of the ID3 tags after the audio: their chunks, and the form size at byte 4, grow.
      const sizes = new Map(Object.values(files).map((file) => [file, fs.statSync(file).size]));
      const items = Object.values(files).map((file) => ({ path: file, genres: ['Blues', 'Rhythm and Blues', 'Soul', 'Gospel'] }));
      const { batchId, outcomes } = await writeGenreBatch(items, { db, command: 'tag', write: OPTIONS });
      expect(outcomes.map((o) => [path.basename(o.path), o.ok && o.changed])).toEqual(items.map((item) => [path.basename(item.path), true]));
      for (const file of Object.values(files)) expect(hashFile(file), file).not.toBe(originals.get(file));
      for (const file of [files.id3, files.aiffTagged]) expect(fs.statSync(file).size, file).toBeGreaterThan(sizes.get(file)!);
      const journal = new Database(dbPath, { readonly: true });
      const kept = new Map((journal.prepare('SELECT path, length(old_middle) + COALESCE(length(old_head), 0) AS bytes FROM journal WHERE batch_id = ?').all(batchId) as { path: string; bytes: number }[]).map((row) => [row.path, row.bytes]));
      journal.close();
      for (const file of Object.values(files)) expect(kept.get(file), file).toBeLessThan(4096);
      const undo = await undoWriteBatch(db, batchId);
      expect(undo.outcomes.every((o) => o.ok)).toBe(true);
      for (const file of Object.values(files)) expect(hashFile(file), file).toBe(originals.get(file));
      const undoJournal = new Database(dbPath, { readonly: true });
      const undoKept = undoJournal.prepare('SELECT path, length(old_middle) + COALESCE(length(old_head), 0) AS bytes FROM journal WHERE batch_id = ?').all(undo.undoBatchId) as { path: string; bytes: number }[];
      undoJournal.close();
      expect(undoKept).toHaveLength(Object.values(files).length);
      for (const row of undoKept) expect(row.bytes, row.path).toBeLessThan(4096);
    } finally {
      db.close();
    }
  });
});

describe('an apply plan shows the files it cannot write before anything is written', () => {
  const root = tempDir('sonority-lib-');
  const dbPath = path.join(tempDir(), 'library.db');
  const files = { wav: path.join(root, 'song.wav'), adts: path.join(root, 'raw.aac'), locked: path.join(root, 'locked.aiff') };
  let service: Awaited<ReturnType<typeof serviceFor>>;
  const originals = new Map<string, string>();

  beforeAll(async () => {
    await ffmpeg([...EXCERPT, '-c:a', 'pcm_s16le', '-metadata', 'title=Walk', files.wav]);
    await ffmpeg([...EXCERPT, '-c:a', 'aac', '-b:a', '96k', '-f', 'adts', files.adts]);
    await ffmpeg([...EXCERPT, '-c:a', 'pcm_s16be', files.locked]);
    fs.chmodSync(files.locked, 0o444);
    for (const file of Object.values(files)) originals.set(file, hashFile(file));
    const scan = await runCli(['scan', root, '--db', dbPath]);
    expect(scan.code, scan.stderr).toBe(0);
    service = await serviceFor(dbPath, root);
    const ids = service.context.db.prepare('SELECT id FROM tracks ORDER BY path').all() as { id: number }[];
    expect(ids).toHaveLength(3);
    for (const { id } of ids) await service.handlers.decide({ trackId: id, action: 'custom', genres: ['Soul'] });
  }, 300_000);
  afterAll(() => service?.close());

  it('lists the ADTS file and the read-only one as refused, with the reason, and the dry run and the run too', async () => {
    const idOf = (file: string) => (service.context.db.prepare('SELECT id FROM tracks WHERE path = ?').get(file) as { id: number }).id;
    const plan = (await service.handlers.applyPlan({ scope: 'decisions', minConfidence: 0 })) as ApplyPlan;
    expect(plan.writes.map((row) => row.trackId)).toEqual([idOf(files.wav)]);
    const refusals = Object.fromEntries(plan.refused.map((r) => [r.trackId, r.message]));
    expect(refusals).toEqual({
      [idOf(files.adts)]: 'cannot be written: Sonority writes genres into MP3, FLAC, Ogg Vorbis, Opus, MP4/M4A, WAV and AIFF files, not raw AAC (ADTS)',
      [idOf(files.locked)]: 'cannot be written: the file is read-only for you; make it writable to tag it',
    });
    const query = { scope: 'decisions' as const, minConfidence: 0 };
    const dryRun = await service.handlers.applyRun({ query, trackIds: plan.writes.map((row) => row.trackId), dryRun: true });
    expect(dryRun).toMatchObject({ dryRun: true, written: 1, unchanged: 0, failed: 2 });
    expect(dryRun.outcomes.filter((o) => !o.ok).map((o) => [o.trackId, o.message])).toEqual(plan.refused.map((r) => [r.trackId, r.message]));
    for (const file of Object.values(files)) expect(hashFile(file), file).toBe(originals.get(file));
    const run = await service.handlers.applyRun({ query, trackIds: [idOf(files.wav), idOf(files.adts)], dryRun: false });
    expect(run).toMatchObject({ written: 1, failed: 2 });
    expect(ffprobeTags(files.wav)).toMatchObject({ genre: 'Soul', title: 'Walk' });
    expect([hashFile(files.adts), hashFile(files.locked)]).toEqual([originals.get(files.adts), originals.get(files.locked)]);
  });
});

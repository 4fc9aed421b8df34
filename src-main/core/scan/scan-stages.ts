import fs from 'node:fs/promises';
import path from 'node:path';
import { SonorityError } from '../errors.ts';
import { fingerprintFile } from './fingerprint.ts';
import { hasAudioExtension, sniffFile } from './sniff.ts';
import type { FoundFile } from './walk.ts';
import type { TracksStore } from '../db/tracks-store.ts';
import { TRANSIENT_FAILURES, type FailuresStore } from '../db/failures-store.ts';
import { readTags, type TrackTags } from '../tags/read-tags.ts';
import type { TrackAnalysis } from '../analysis/analyse-file.ts';
import type { Outcome } from './progress.ts';

/** A file that needs (re)analysis, on its way through the stages. */
export interface Candidate extends FoundFile {
  container: string;
  fingerprint: string;
  /** Set when the file is a stored track that moved here. */
  movedTrackId?: number;
  tags?: TrackTags;
  analysis?: TrackAnalysis;
}

export interface StageContext {
  scanId: number;
  tracks: TracksStore;
  failures: FailuresStore;
  retryFailed: boolean;
  /** Counts a file that leaves the pipeline early. */
  settle(file: FoundFile, outcome: Outcome): void;
}

/** Extensions that are never audio; such files are ignored without being opened. */
const NEVER_AUDIO = new Set(['.jpg', '.jpeg', '.png', '.gif', '.bmp', '.webp', '.tif', '.tiff', '.txt', '.nfo', '.cue', '.log', '.m3u', '.m3u8', '.pls', '.pdf', '.db', '.ini', '.url', '.sfv', '.md5', '.accurip', '.xml', '.json', '.lrc', '.html', '.md']);

/** Stage 1 (cheap, no decoding): skips unchanged tracks and known failures, sniffs content, recognises moves. */
export async function triage(file: FoundFile, context: StageContext): Promise<Candidate | undefined> {
  const { tracks, failures, scanId } = context;
  const known = tracks.findByPath(file.path);
  const unchanged = known && known.size === file.size && known.mtimeMs === file.mtimeMs;
  if (unchanged && known.status !== 'failed' && known.analysedWithCurrentFeatures) {
    tracks.markSeen(known.id, scanId);
    return context.settle(file, 'skipped'), undefined;
  }
  const failure = failures.find(file.path);
  if (failure && !context.retryFailed && failure.size === file.size && failure.mtimeMs === file.mtimeMs && !TRANSIENT_FAILURES.has(failure.code)) {
    failures.markSeen(file.path, scanId);
    return context.settle(file, 'failed'), undefined;
  }
  if (!known && NEVER_AUDIO.has(path.extname(file.path).toLowerCase())) return context.settle(file, 'ignored'), undefined;
  const sniffed = await sniffFile(file.path);
  if (!sniffed.audio) {
    if (known || hasAudioExtension(file.path)) throw new SonorityError(sniffed.code, sniffed.reason);
    return context.settle(file, 'ignored'), undefined;
  }
  const fingerprint = await fingerprintFile(file.path, file.size);
  const moved = known ? undefined : await findMoveSource(tracks.findSameContent(file.size, fingerprint, file.path));
  if (moved?.analysedWithCurrentFeatures) {
    tracks.relocate(moved.id, file.path, file.mtimeMs, scanId);
    return context.settle(file, 'moved'), undefined;
  }
  return { ...file, container: sniffed.container, fingerprint, ...(moved ? { movedTrackId: moved.id } : {}) };
}

/** The first same-content track whose stored path no longer exists: the file was moved from there. */
async function findMoveSource<T extends { path: string }>(sameContent: T[]): Promise<T | undefined> {
  for (const track of sameContent) {
    const stillThere = await fs.access(track.path).then(() => true, () => false);
    if (!stillThere) return track;
  }
  return undefined;
}

/** Stage 2: reads the existing tags (all genre values). */
export async function attachTags(candidate: Candidate): Promise<Candidate> {
  return { ...candidate, tags: await readTags(candidate.path) };
}

/** Fails a file whose size or mtime changed since the walk saw it (it is re-analysed next scan). */
export async function assertUnchangedSinceWalk(candidate: Candidate): Promise<void> {
  const now = await fs.stat(candidate.path);
  if (now.size !== candidate.size || now.mtimeMs !== candidate.mtimeMs) {
    throw new SonorityError('changed-during-scan', 'the file changed while it was being scanned; it will be analysed again on the next scan');
  }
}

/** Stage 4: stores the analysed file and clears any earlier failure of its path. */
export function storeAnalysed(candidate: Candidate, context: StageContext): undefined {
  const { tags, analysis } = candidate;
  if (!tags || !analysis) throw new Error(`internal: ${candidate.path} reached the store stage without tags or analysis`);
  context.tracks.saveAnalysed({ ...candidate, tags, analysis }, context.scanId, candidate.movedTrackId);
  context.failures.clear(candidate.path);
  context.settle(candidate, 'analysed');
  return undefined;
}

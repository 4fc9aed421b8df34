import fs from 'node:fs/promises';
import path from 'node:path';
import { SonorityError } from '../errors.ts';
import { fingerprintFile } from './fingerprint.ts';
import { hasAudioExtension, sniffFile } from './sniff.ts';
import type { FoundFile } from './walk.ts';
import type { KnownTrack, TracksStore } from '../db/tracks-store.ts';
import { TRANSIENT_FAILURES, type FailuresStore } from '../db/failures-store.ts';
import type { MusicnnStore } from '../db/musicnn-store.ts';
import { readTags, type TrackTags } from '../tags/read-tags.ts';
import type { TrackAnalysis } from '../analysis/analyse-file.ts';
import type { MusicnnOutcome, TrackRequest, TrackResult } from '../analysis/analyse-track.ts';
import { DECODE_SAMPLE_RATE } from '../decode/decoder.ts';
import { planWindows, type SampleRange } from '../features/track-windows.ts';
import type { Outcome } from './progress.ts';

/** A file that needs (re)analysis, on its way through the stages. */
export interface Candidate extends FoundFile {
  container: string;
  fingerprint: string;
  /** Set when the file is a stored track that moved here. */
  movedTrackId?: number;
  tags?: TrackTags;
  analysis?: TrackAnalysis;
  musicnn?: MusicnnOutcome;
}

/**
 * A stored track whose descriptors are current but whose MusiCNN analysis is
 * missing or of another version: MusiCNN alone runs again, on the windows
 * its descriptors were computed on.
 */
export interface MusicnnRefresh extends FoundFile {
  refresh: { trackId: number; windows: SampleRange[] };
  musicnn?: MusicnnOutcome;
}

/** What travels through the stages after triage. */
export type ScanItem = Candidate | MusicnnRefresh;

export interface StageContext {
  scanId: number;
  tracks: TracksStore;
  failures: FailuresStore;
  musicnn: MusicnnStore;
  retryFailed: boolean;
  /** Runs `work` in one transaction. */
  atomically(work: () => void): void;
  /** Counts a file that leaves the pipeline early. */
  settle(file: FoundFile, outcome: Outcome): void;
  /** Reports the failure of one part of a file whose other part was stored (the file counts as analysed). */
  reportPartialFailure(file: FoundFile, stage: string, failure: { code: string; message: string }): void;
}

/** Extensions that are never audio; such files are ignored without being opened. */
const NEVER_AUDIO: ReadonlySet<string> = new Set(['.jpg', '.jpeg', '.png', '.gif', '.bmp', '.webp', '.tif', '.tiff', '.txt', '.nfo', '.cue', '.log', '.m3u', '.m3u8', '.pls', '.pdf', '.db', '.ini', '.url', '.sfv', '.md5', '.accurip', '.xml', '.json', '.lrc', '.html', '.md']);

/** Whether the walk ignores a file unopened: its extension is never audio's and it is no stored track. */
export function ignoredByName(file: FoundFile, tracks: TracksStore): boolean {
  return NEVER_AUDIO.has(path.extname(file.path).toLowerCase()) && !tracks.findByPath(file.path);
}

/** Keeps the stored failure of an unchanged file for this scan, unless it is transient or failures are retried; true when kept. */
function keepsFailure(file: FoundFile, context: StageContext): boolean {
  const failure = context.failures.find(file.path);
  if (!failure || context.retryFailed || failure.size !== file.size || failure.mtimeMs !== file.mtimeMs || TRANSIENT_FAILURES.has(failure.code)) return false;
  context.failures.markSeen(file.path, context.scanId);
  return true;
}

/** MusiCNN alone for a stored track, on the windows of its current descriptors (placed on the duration stored with them). */
function musicnnRefresh(file: FoundFile, known: KnownTrack): MusicnnRefresh {
  return { ...file, refresh: { trackId: known.id, windows: planWindows(Math.round(known.analysedDurationSec! * DECODE_SAMPLE_RATE)) } };
}

/** An unchanged track with current descriptors: skipped when its MusiCNN analysis is current too (or failed for good), else refreshed. */
function skipOrRefresh(file: FoundFile, known: KnownTrack, context: StageContext): MusicnnRefresh | undefined {
  context.tracks.markSeen(known.id, context.scanId);
  if (known.musicnnCurrent || keepsFailure(file, context)) return context.settle(file, 'skipped'), undefined;
  return musicnnRefresh(file, known);
}

/** Stage 1 (cheap, no decoding): skips unchanged tracks and known failures, sniffs content, recognises moves. */
export async function triage(file: FoundFile, context: StageContext): Promise<ScanItem | undefined> {
  const { tracks, scanId } = context;
  const known = tracks.findByPath(file.path);
  const unchanged = known && known.size === file.size && known.mtimeMs === file.mtimeMs;
  if (unchanged && known.status !== 'failed' && known.analysedWithCurrentFeatures) return skipOrRefresh(file, known, context);
  if (keepsFailure(file, context)) return context.settle(file, 'failed'), undefined;
  const sniffed = await sniffFile(file.path);
  if (!sniffed.audio) {
    if (known || hasAudioExtension(file.path)) throw new SonorityError(sniffed.code, sniffed.reason);
    return context.settle(file, 'ignored'), undefined;
  }
  const fingerprint = await fingerprintFile(file.path, file.size);
  const moved = known ? undefined : await findMoveSource(tracks.findSameContent(file.size, fingerprint, file.path));
  if (moved?.analysedWithCurrentFeatures) {
    tracks.relocate(moved.id, file.path, file.mtimeMs, scanId);
    return moved.musicnnCurrent ? (context.settle(file, 'moved'), undefined) : musicnnRefresh(file, moved);
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

/** Stage 2: reads the existing tags (all genre values) of a file to analyse; a MusiCNN refresh keeps its stored ones. */
export async function attachTags(item: ScanItem): Promise<ScanItem> {
  return 'refresh' in item ? item : { ...item, tags: await readTags(item.path) };
}

/** What the analysis worker is asked for an item: both parts, or MusiCNN alone on a refresh's windows. */
export function analysisRequest(item: ScanItem, ffmpegPath?: string): TrackRequest {
  if ('refresh' in item) return { path: item.path, ffmpegPath, parts: 'musicnn', windows: item.refresh.windows };
  return { path: item.path, declaredDurationSec: item.tags?.durationSec ?? null, ffmpegPath, parts: 'all' };
}

/** An item with the worker's result attached. */
export function withResult(item: ScanItem, result: TrackResult): ScanItem {
  return 'refresh' in item ? { ...item, musicnn: result.musicnn } : { ...item, analysis: result.descriptors, musicnn: result.musicnn };
}

/** Fails a file whose size or mtime changed since the walk saw it (it is re-analysed next scan). */
export async function assertUnchangedSinceWalk(file: FoundFile): Promise<void> {
  const now = await fs.stat(file.path);
  if (now.size !== file.size || now.mtimeMs !== file.mtimeMs) {
    throw new SonorityError('changed-during-scan', 'the file changed while it was being scanned; it will be analysed again on the next scan');
  }
}

/** Stores the descriptor part of a new or changed file (tags, genres, analysis); returns its track id. */
function saveDescriptors(candidate: Candidate, context: StageContext): number {
  const { tags, analysis } = candidate;
  if (!tags || !analysis) throw new Error(`internal: ${candidate.path} reached the store stage without tags or analysis`);
  return context.tracks.saveAnalysed({ ...candidate, tags, analysis }, context.scanId, candidate.movedTrackId);
}

/** Stores the MusiCNN part: its analysis, or its failure (stage `musicnn`), which leaves the track analysed. */
function saveMusicnn(file: FoundFile, trackId: number, outcome: MusicnnOutcome, context: StageContext): void {
  if (outcome.ok) return context.musicnn.save(trackId, outcome.analysis);
  context.failures.record({ path: file.path, stage: 'musicnn', code: outcome.code, message: outcome.message, size: file.size, mtimeMs: file.mtimeMs }, context.scanId);
}

/**
 * Stage 4: stores what was analysed in one transaction — the descriptors of
 * a new or changed file (not for a MusiCNN refresh) and the MusiCNN outcome
 * — clearing any earlier failure of its path.
 */
export function storeAnalysed(item: ScanItem, context: StageContext): undefined {
  const outcome = item.musicnn;
  if (!outcome) throw new Error(`internal: ${item.path} reached the store stage without its MusiCNN outcome`);
  context.atomically(() => {
    const trackId = 'refresh' in item ? item.refresh.trackId : saveDescriptors(item, context);
    context.failures.clear(item.path);
    saveMusicnn(item, trackId, outcome, context);
  });
  if (!outcome.ok) context.reportPartialFailure(item, 'musicnn', outcome);
  context.settle(item, 'analysed');
  return undefined;
}

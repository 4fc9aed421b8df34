import type { Db } from './open-database.ts';
import { nowIso, pathsUnder } from './time.ts';
import { toBlob } from './blobs.ts';
import type { TrackTags } from '../tags/read-tags.ts';
import type { TrackAnalysis } from '../analysis/analyse-file.ts';
import type { MusicnnVersion } from '../musicnn/model-metadata.ts';

/** What the scan needs to know about a track it meets again. */
export interface KnownTrack {
  id: number;
  path: string;
  size: number;
  mtimeMs: number;
  status: 'pending' | 'analysed' | 'failed' | 'gone';
  analysedWithCurrentFeatures: boolean;
  /** The duration the current descriptor analysis placed its windows on; null without one. */
  analysedDurationSec: number | null;
  /** Whether a MusiCNN analysis of the current model and input version is stored. */
  musicnnCurrent: boolean;
}

/** Everything stored for a freshly analysed file. */
export interface AnalysedFile {
  path: string;
  size: number;
  mtimeMs: number;
  fingerprint: string;
  container: string;
  tags: TrackTags;
  analysis: TrackAnalysis;
}

/**
 * Track persistence for the scan: lookups by path and content, saving,
 * relocating, marking gone. A track is current when it has descriptors of
 * `featureSet` and, apart, a MusiCNN analysis of `musicnn`.
 */
export function createTracksStore(db: Db, featureSet: string, musicnn: MusicnnVersion) {
  const selectColumns = `SELECT t.id, t.path, t.size, t.mtime_ms AS mtimeMs, t.status,
      (SELECT a.duration_sec FROM analyses a WHERE a.track_id = t.id AND a.feature_set = @featureSet) AS analysedDurationSec,
      EXISTS (SELECT 1 FROM musicnn m WHERE m.track_id = t.id AND m.model = @model AND m.input_version = @inputVersion) AS musicnnCurrent
    FROM tracks t`;
  const byPath = db.prepare(`${selectColumns} WHERE t.path = @path`);
  const byContent = db.prepare(`${selectColumns} WHERE t.size = @size AND t.fingerprint = @fingerprint AND t.path <> @path`);
  const markSeen = db.prepare(`UPDATE tracks SET last_seen_scan = @scanId, status = CASE status WHEN 'gone' THEN 'analysed' ELSE status END WHERE id = @id`);
  const relocate = db.prepare(`UPDATE tracks SET path = @path, mtime_ms = @mtimeMs, last_seen_scan = @scanId, status = CASE status WHEN 'gone' THEN 'analysed' ELSE status END, updated_at = @now WHERE id = @id`);
  const setStatus = db.prepare(`UPDATE tracks SET status = @status, last_seen_scan = @scanId, updated_at = @now WHERE path = @path`);
  const upsert = db.prepare(`INSERT INTO tracks (path, size, mtime_ms, fingerprint, container, codec, sample_rate, channels, bitrate, artist, album_artist, album, title, track_no, disc_no, year, tag_duration_sec, status, last_seen_scan, added_at, updated_at)
    VALUES (@path, @size, @mtimeMs, @fingerprint, @container, @codec, @sampleRate, @channels, @bitrate, @artist, @albumArtist, @album, @title, @trackNo, @discNo, @year, @durationSec, 'analysed', @scanId, @now, @now)
    ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms, fingerprint = excluded.fingerprint, container = excluded.container,
      codec = excluded.codec, sample_rate = excluded.sample_rate, channels = excluded.channels, bitrate = excluded.bitrate, artist = excluded.artist,
      album_artist = excluded.album_artist, album = excluded.album, title = excluded.title, track_no = excluded.track_no, disc_no = excluded.disc_no,
      year = excluded.year, tag_duration_sec = excluded.tag_duration_sec, status = 'analysed', last_seen_scan = excluded.last_seen_scan, updated_at = excluded.updated_at
    RETURNING id`);
  const clearGenres = db.prepare('DELETE FROM track_genres WHERE track_id = ?');
  const clearPredictions = db.prepare('DELETE FROM predictions WHERE track_id = ?');
  const clearMusicnn = db.prepare('DELETE FROM musicnn WHERE track_id = ?');
  const addGenre = db.prepare('INSERT INTO track_genres (track_id, position, genre) VALUES (?, ?, ?)');
  const saveAnalysis = db.prepare(`INSERT OR REPLACE INTO analyses (track_id, feature_set, analysed_at, sample_rate, sample_count, duration_sec, rms, peak)
    VALUES (@trackId, @featureSet, @now, @sampleRate, @sampleCount, @durationSec, @rms, @peak)`);
  const saveDescriptors = db.prepare(`INSERT OR REPLACE INTO descriptors (track_id, feature_set, window_starts, windows, frame_starts, frames, tempo)
    VALUES (@trackId, @featureSet, @windowStarts, @windows, @frameStarts, @frames, @tempo)`);
  const markGone = db.prepare(`UPDATE tracks SET status = 'gone', updated_at = @now
    WHERE path > @from AND path < @to AND status <> 'gone' AND (last_seen_scan IS NULL OR last_seen_scan <> @scanId)`);

  const toKnown = (row: any): KnownTrack | undefined => (row ? { ...row, analysedWithCurrentFeatures: row.analysedDurationSec !== null, musicnnCurrent: row.musicnnCurrent === 1 } : undefined);
  const versions = { featureSet, model: musicnn.model, inputVersion: musicnn.inputVersion };

  return {
    /** The track stored at `path`, if any. */
    findByPath: (path: string): KnownTrack | undefined => toKnown(byPath.get({ path, ...versions })),
    /** Tracks elsewhere with identical size and fingerprint (candidates for a move). */
    findSameContent: (size: number, fingerprint: string, path: string): KnownTrack[] =>
      byContent.all({ size, fingerprint, path, ...versions }).map((row) => toKnown(row)!),
    /** Records that an unchanged track was seen by this scan. */
    markSeen: (id: number, scanId: number): void => void markSeen.run({ id, scanId }),
    /** Gives a moved track its new path, keeping its id and history. */
    relocate: (id: number, path: string, mtimeMs: number, scanId: number): void => void relocate.run({ id, path, mtimeMs, scanId, now: nowIso() }),
    /** Marks the track at `path` (if stored) as failed in this scan. */
    markFailed: (path: string, scanId: number): void => void setStatus.run({ path, status: 'failed', scanId, now: nowIso() }),
    /** Stores tags, genres and analysis of a file in one transaction (dropping predictions and MusiCNN analyses made from older audio); returns the track id. */
    saveAnalysed: db.transaction((file: AnalysedFile, scanId: number, trackId?: number): number => {
      if (trackId !== undefined) relocate.run({ id: trackId, path: file.path, mtimeMs: file.mtimeMs, scanId, now: nowIso() });
      const now = nowIso();
      const { id } = upsert.get({ ...file, ...file.tags, scanId, now }) as { id: number };
      clearGenres.run(id);
      clearPredictions.run(id);
      clearMusicnn.run(id);
      file.tags.genres.forEach((genre, position) => addGenre.run(id, position, genre));
      const { analysis } = file;
      saveAnalysis.run({ trackId: id, ...analysis, now });
      saveDescriptors.run({
        trackId: id,
        featureSet: analysis.featureSet,
        windowStarts: toBlob(analysis.windows.starts),
        windows: toBlob(analysis.windows.values),
        frameStarts: toBlob(analysis.frames.starts),
        frames: toBlob(analysis.frames.values),
        tempo: analysis.tempo,
      });
      return id;
    }),
    /** Marks every track under `root` not seen by this (completed) scan as gone; returns how many. */
    markGoneUnder: (root: string, scanId: number): number => markGone.run({ ...pathsUnder(root), scanId, now: nowIso() }).changes,
  };
}

export type TracksStore = ReturnType<typeof createTracksStore>;

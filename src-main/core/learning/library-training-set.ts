import type { Db } from '../db/open-database.ts';
import { createDecisionsStore } from '../db/decisions-store.ts';
import { createTrustStore } from '../db/trust-store.ts';
import type { TrackFeatures } from '../db/track-features.ts';
import { canonicalGenres, type Taxonomy } from '../taxonomy/taxonomy.ts';
import { trustJudge } from './trust-rules.ts';
import type { LearningTrack } from './learn-library.ts';

/** The tracks to learn from, with how many carried a trusted genre. */
export interface TrainingSet {
  tracks: LearningTrack[];
  /** Tracks with a genre (tag or decision), trusted or not. */
  tagged: number;
  /** Tagged tracks left out by a trust rule. */
  distrusted: number;
  /** Tracks whose genre comes from a review decision rather than the file's tag. */
  decided: number;
}

/**
 * A track's genre as learning sees it, in the user's vocabulary: the genres a
 * review decision set (always trusted: the user chose them), else the file's
 * tag (through the taxonomy) when the trust rules allow: its first genre,
 * and the others as further genres.
 * `sequences` are the tracks' MusiCNN patch embeddings, where analysed.
 */
export function buildTrainingSet(db: Db, tracks: readonly TrackFeatures[], taxonomy: Taxonomy, sequences: ReadonlyMap<number, Float32Array> = new Map()): TrainingSet {
  const decisions = createDecisionsStore(db);
  const latest = decisions.latestActions();
  const judge = trustJudge(createTrustStore(db).list());
  const set: TrainingSet = { tracks: [], tagged: 0, distrusted: 0, decided: 0 };
  for (const track of tracks) {
    const action = latest.get(track.trackId);
    const decided = action === 'accept' || action === 'choose' || action === 'custom' ? decisions.latest(track.trackId)!.genres : null;
    const genres = decided ?? canonicalGenres(taxonomy, track.tagGenres);
    const trusted = decided !== null || action === 'keep' || judge({ id: track.trackId, path: track.path, genres }).trusted;
    if (genres.length > 0) set.tagged++;
    if (genres.length > 0 && !trusted) set.distrusted++;
    if (decided?.length) set.decided++;
    set.tracks.push({
      trackId: track.trackId, artist: track.artist, descriptors: track.descriptors, embedding: track.embedding, genre: trusted ? genres[0] ?? null : null, alsoGenres: trusted ? genres.slice(1) : [],
      sequence: sequences.get(track.trackId) ?? null, outOfDistribution: track.outOfDistribution,
    });
  }
  return set;
}

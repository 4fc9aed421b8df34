import type { Db } from '../db/open-database.ts';
import { locator } from './track-location.ts';
import { writtenGenres } from './written-genres.ts';
import { readAnalysis, readPrediction, readTrack, type StoredAnalysis, type StoredPrediction } from '../db/track-records.ts';
import { libraryOpinionOf } from './library-opinion.ts';
import { createDecisionsStore } from '../db/decisions-store.ts';
import type { TrackDetail } from '../shapes.ts';
import { DECODE_SAMPLE_RATE } from '../decode/decoder.ts';
import { DESCRIPTOR_NAMES, type DescriptorName } from '../features/descriptors.ts';
import { FEATURE_SET_VERSION } from '../analysis/analyse-file.ts';
import { matrixRows, meanRows } from '../features/stats.ts';
import { canonicalGenres, type Taxonomy } from '../taxonomy/taxonomy.ts';
import { genreProbabilities } from './review-list.ts';
import { judgeStoredTrack, musicnnModelId } from './track-opinion.ts';
import { createMusicnnStore } from '../db/musicnn-store.ts';
import { musicnnView } from './musicnn-view.ts';

/** The descriptors the track view shows: timbre, loudness and the harmonic/percussive split. */
export const SHOWN_DESCRIPTORS: readonly DescriptorName[] = [
  'spectral_centroid_mean', 'spectral_bandwidth_mean', 'rolloff_mean', 'zero_crossing_rate_mean',
  'rms_mean', 'chroma_stft_mean', 'harmony_var', 'perceptr_var',
];

/** Means over the analysed windows of `SHOWN_DESCRIPTORS`. */
function descriptorMeans(analysis: StoredAnalysis): { name: string; value: number }[] {
  const means = meanRows(matrixRows(analysis.windows, DESCRIPTOR_NAMES.length));
  return SHOWN_DESCRIPTORS.map((name) => ({ name, value: means[DESCRIPTOR_NAMES.indexOf(name)]! }));
}

function predictionView(stored: StoredPrediction, modelId: string, taxonomy: Taxonomy): NonNullable<TrackDetail['prediction']> {
  const count = stored.labels.length;
  return {
    modelId, labels: stored.labels,
    probabilities: genreProbabilities(taxonomy, stored.labels, stored.probabilities),
    windows: Array.from(stored.windowStarts, (start, w) => ({ startSec: start / DECODE_SAMPLE_RATE, probabilities: Array.from(stored.windowProbabilities.subarray(w * count, (w + 1) * count)) })),
    ambiguous: stored.ambiguous === 1, confident: stored.confident === 1, outOfDistribution: stored.ood === 1,
  };
}

/**
 * One track as the track view shows it: tags, genres (display names through
 * the taxonomy), review status and combined opinion (the review lists'
 * rule; `not-predicted` without `model`, or without its prediction and a
 * MusiCNN analysis), the analysis (feature set, the stored
 * track tempo, `SHOWN_DESCRIPTORS` as means over the windows), the model's
 * prediction with its per-window timeline, MusiCNN's heads, facets and
 * genre timeline (`musicnn-view.ts`), and the decisions, newest first.
 * Throws `not-in-library` for an unknown id.
 */
export function describeTrack(db: Db, trackId: number, model: { id: string; featureSet: string } | null, taxonomy: Taxonomy): TrackDetail {
  const track = readTrack(db, trackId);
  const analysis = readAnalysis(db, trackId, model?.featureSet ?? FEATURE_SET_VERSION);
  const stored = model ? readPrediction(db, trackId, model.id) : null;
  const genres = canonicalGenres(taxonomy, track.genres);
  const judged = model ? judgeStoredTrack(db, trackId, model.id, taxonomy, genres) : null;
  const musicnnId = musicnnModelId();
  const musicnn = musicnnId === null ? undefined : createMusicnnStore(db).find(trackId, musicnnId);
  return {
    id: track.id, path: track.path, ...locator(db)(track.path), title: track.title, artist: track.artist, album: track.album,
    durationSec: track.tagDurationSec ?? analysis?.durationSec ?? null,
    format: track.codec ? `${track.container} (${track.codec})` : track.container,
    genres,
    writtenGenres: writtenGenres(taxonomy, track.genres),
    status: judged?.status ?? 'not-predicted',
    featureSet: analysis?.featureSet ?? null,
    tempo: analysis?.tempo ?? null,
    descriptors: analysis ? descriptorMeans(analysis) : [],
    prediction: stored && model ? predictionView(stored, model.id, taxonomy) : null,
    library: model ? libraryOpinionOf(db, model.id, trackId) : null,
    opinion: judged && { dispute: judged.dispute, suggestedGenre: judged.suggestion?.genre ?? null, confidence: judged.suggestion?.confidence ?? null, ...judged.explain() },
    musicnn: musicnn ? musicnnView(taxonomy, musicnn) : null,
    decisions: createDecisionsStore(db).ofTrack(trackId),
  };
}

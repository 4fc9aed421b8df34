import type { Db } from '../db/open-database.ts';
import { float16FromBlob } from '../db/compact-blobs.ts';
import { readTrackFeatures } from '../db/track-features.ts';
import { createLibraryModelsStore, type StoredOpinion } from '../db/library-models-store.ts';
import { currentMusicnnVersion } from '../musicnn/model-metadata.ts';
import type { Taxonomy } from '../taxonomy/taxonomy.ts';
import { buildTrainingSet } from './library-training-set.ts';
import { networkProbabilities } from './library-network.ts';
import { confidentlyMislabelled, selfConfidenceDoubt } from './confident-learning.ts';
import { learnedClasses } from './genre-vocabulary.ts';

/**
 * Gives every track the stored CRNN has no opinion of yet (added since
 * training) the library's opinion, from its MusiCNN patch
 * embeddings and the base model's OOD check (it abstains on a track out of
 * distribution or without a patch), without retraining: a
 * suggestion, and for a track whose trusted genre the model learned a doubt
 * (honestly out of sample: the track was not in training). Nothing happens
 * without a stored network or when it reads another MusiCNN model than the
 * current one; the taxonomy is read only when there is something to score.
 * Returns how many tracks it scored.
 */
export function scoreNewTracks(db: Db, base: { id: string; featureSet: string }, taxonomy: () => Taxonomy): number {
  const store = createLibraryModelsStore(db);
  const model = store.current(base.id);
  const network = model && store.network(model);
  const musicnn = currentMusicnnVersion();
  if (!model || !network || network.musicnnModel !== musicnn.model) return 0;
  const pending = db.prepare(`SELECT m.track_id AS trackId, m.embeddings, p.out_of_distribution AS ood FROM musicnn m
      JOIN predictions p ON p.track_id = m.track_id AND p.model_id = @baseModel
      LEFT JOIN library_opinions o ON o.track_id = m.track_id AND o.library_model_id = @libraryModel
    WHERE m.model = @musicnnModel AND m.input_version = @inputVersion AND o.track_id IS NULL`)
    .all({ baseModel: base.id, libraryModel: model.id, musicnnModel: musicnn.model, inputVersion: musicnn.inputVersion }) as { trackId: number; embeddings: Uint8Array | null; ood: number }[];
  if (pending.length === 0) return 0;
  const trusted = new Map(buildTrainingSet(db, readTrackFeatures(db, base, pending.map((row) => row.trackId)), taxonomy()).tracks.map((t) => [t.trackId, t]));
  const opinions = pending.map((row): StoredOpinion => {
    const probabilities = networkProbabilities(network, row.embeddings ? float16FromBlob(row.embeddings) : new Float32Array(0));
    const track = trusted.get(row.trackId);
    const learned = (genres: readonly string[]) => learnedClasses(genres, model.genres, model.summary.rolledUp);
    // As in training: a doubt needs the track's first genre learned; its other genres join it.
    const given = track?.genre && learned([track.genre]).length > 0 ? learned([track.genre, ...(track.alsoGenres ?? [])]) : [];
    const label = given[0] ?? -1;
    const top = probabilities.indexOf(Math.max(...probabilities));
    const abstained = row.ood === 1 || !row.embeddings;
    return {
      trackId: row.trackId, givenGenre: label >= 0 ? model.genres[label]! : null, probabilities, outOfFold: false,
      doubt: label >= 0 && !abstained ? selfConfidenceDoubt(probabilities, given) : null,
      flagged: label >= 0 && !abstained && confidentlyMislabelled(probabilities, given, network.thresholds),
      suggested: model.genres[top]!, suggestedProbability: probabilities[top]!, abstained,
    };
  });
  store.saveScanOpinions(model, opinions);
  return opinions.length;
}

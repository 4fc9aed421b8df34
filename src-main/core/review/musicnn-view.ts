import type { StoredMusicnn } from '../db/musicnn-store.ts';
import { MUSICNN_SAMPLE_RATE } from '../musicnn/input-definition.ts';
import { MUSICNN_HEAD_KEYS, MUSICNN_TAG_COUNT } from '../musicnn/model-metadata.ts';
import { broadGenreEvidence } from '../opinion/expert.ts';
import { musicnnOpinion } from '../opinion/experts.ts';
import { groupMusicnnTags, type MusicnnScore } from '../taxonomy/musicnn-facets.ts';
import type { Taxonomy } from '../taxonomy/taxonomy.ts';
import type { FacetScore, MoodName, MusicnnHeads, MusicnnView } from '../shapes.ts';

/** The moods a head names, and the probability from which a track has it (the classifiers' own boundary). */
export const MOOD_NAMES: readonly MoodName[] = ['aggressive', 'happy', 'relaxed'];
export const MOOD_THRESHOLD = 0.5;

/**
 * A track's four head probabilities (`MUSICNN_HEAD_KEYS` order) by name; null
 * for an empty array (MusiCNN abstained). Throws on any other length.
 */
export function headsFrom(values: ArrayLike<number>): MusicnnHeads | null {
  if (values.length === 0) return null;
  if (values.length !== MUSICNN_HEAD_KEYS.length) throw new Error(`MusiCNN has ${MUSICNN_HEAD_KEYS.length} heads, not ${values.length}`);
  return { danceability: values[0]!, aggressive: values[1]!, happy: values[2]!, relaxed: values[3]! };
}

/** The moods a track has by its heads (each at `MOOD_THRESHOLD` or more), in `MOOD_NAMES` order. */
export function moodsOf(heads: MusicnnHeads | null): MoodName[] {
  return heads ? MOOD_NAMES.filter((mood) => heads[mood] >= MOOD_THRESHOLD) : [];
}

const scoresOf = (scores: readonly MusicnnScore[]): FacetScore[] => scores.map(({ name, probability }) => ({ name, probability }));

/** One window's genre evidence per broad genre (as the combined opinion reads MusiCNN), largest first. */
function windowGenres(taxonomy: Taxonomy, tags: Float32Array): MusicnnView['windows'][number]['genres'] {
  return broadGenreEvidence(taxonomy, musicnnOpinion(taxonomy, tags)).map((e) => ({ genre: e.broadGenre, named: e.named, probability: e.score, share: e.share }));
}

/**
 * A stored MusiCNN analysis as the Track page shows it: the heads, every
 * facet (genres named through `taxonomy`), and per window with patches its
 * genre evidence per broad genre, the timeline. An abstaining analysis
 * (no patch) has no heads, facets or windows.
 */
export function musicnnView(taxonomy: Taxonomy, stored: StoredMusicnn): MusicnnView {
  const empty = { model: stored.model, heads: null, headMoods: [], genres: [], moods: [], eras: [], voice: [], instrumentation: [], windows: [] };
  if (stored.tags.length === 0) return empty;
  const facets = groupMusicnnTags(taxonomy, stored.tags);
  const windows = Array.from(stored.windowStarts, (start, w) => ({ start, w })).filter(({ w }) => stored.windowPatches[w]! > 0).map(({ start, w }) => ({
    startSec: start / MUSICNN_SAMPLE_RATE,
    genres: windowGenres(taxonomy, stored.windowTags.subarray(w * MUSICNN_TAG_COUNT, (w + 1) * MUSICNN_TAG_COUNT)),
  }));
  const heads = headsFrom(stored.heads);
  return {
    ...empty, heads, headMoods: moodsOf(heads), windows,
    genres: scoresOf(facets.genre), moods: scoresOf(facets.mood), eras: scoresOf(facets.era), voice: scoresOf(facets.voice), instrumentation: scoresOf(facets.instrumentation),
  };
}

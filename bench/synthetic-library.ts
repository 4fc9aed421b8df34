import type { Db } from '../src-main/core/db/open-database.ts';
import { toBlob } from '../src-main/core/db/blobs.ts';
import type { GenreModelMetadata } from '../src-main/core/model/model-files.ts';

const GENRES = ['Rock', 'Jazz', 'Metal', 'Blues', 'Pop', 'Classical', 'Reggae', 'Country', 'Disco', 'Hip-Hop', 'House', 'Folk'];

/** A small deterministic generator (mulberry32), so every run fills the same library. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fills a database with `count` analysed tracks (titles, artists, albums, 0–2
 * genre tags) and a prediction by `model` for each: rows for measuring the
 * interface at library scale. Nothing here is audio; it measures the table,
 * not the analysis.
 */
export function fillSyntheticLibrary(db: Db, count: number, model: GenreModelMetadata): void {
  const next = random(count);
  const now = new Date().toISOString();
  const track = db.prepare(`INSERT INTO tracks (path, size, mtime_ms, fingerprint, container, artist, album, title, status, added_at, updated_at)
    VALUES (?, 1000, 0, 'synthetic', 'mp3', ?, ?, ?, 'analysed', ?, ?) RETURNING id`);
  const genre = db.prepare('INSERT INTO track_genres (track_id, position, genre) VALUES (?, ?, ?)');
  const prediction = db.prepare(`INSERT INTO predictions (track_id, model_id, feature_set, labels, probabilities, window_starts, window_probabilities, embedding,
      top_label, top_probability, ambiguous, ood_score, out_of_distribution, confident, predicted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0, ?, ?)`);
  const labels = JSON.stringify(model.labels);
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const artist = `Artist ${Math.floor(next() * count / 10)}`;
      const id = (track.get(`/music/${artist}/${i}.mp3`, artist, `Album ${Math.floor(next() * count / 12)}`, `Song ${i} ${GENRES[i % GENRES.length]}`, now, now) as { id: number }).id;
      const tags = Math.floor(next() * 3);
      for (let position = 0; position < tags; position++) genre.run(id, position, GENRES[Math.floor(next() * GENRES.length)]);
      const probabilities = new Float32Array(model.labels.length).map(() => next());
      const sum = probabilities.reduce((a, b) => a + b, 0);
      probabilities.forEach((p, k) => (probabilities[k] = p / sum));
      const top = probabilities.indexOf(Math.max(...probabilities));
      prediction.run(id, model.id, model.featureSet, labels, toBlob(probabilities), toBlob(new Float32Array([0])), toBlob(probabilities), toBlob(new Float32Array(64)),
        model.labels[top], probabilities[top], next() < 0.2 ? 1 : 0, next() < 0.5 ? 1 : 0, now);
    }
  })();
}

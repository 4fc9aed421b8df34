/**
 * Benchmark stand-in for the analysis worker: decodes every file through the
 * decoder interface like the real stage, but computes no descriptors and
 * runs no MusiCNN (it answers an abstaining MusiCNN analysis). A scan with
 * it measures what the engine adds to decoding (walk, tags, database,
 * scheduling).
 */
import { serveWorkerTasks } from '../src-main/core/pipeline/worker-tasks.ts';
import { DECODE_SAMPLE_RATE, decodeBlocks } from '../src-main/core/decode/decoder.ts';
import { FEATURE_SET_VERSION } from '../src-main/core/analysis/analyse-file.ts';
import type { TrackRequest, TrackResult } from '../src-main/core/analysis/analyse-track.ts';
import { currentMusicnnVersion } from '../src-main/core/musicnn/model-metadata.ts';

const empty = () => ({ starts: new Int32Array(0), lengths: new Int32Array(0), values: new Float32Array(0) });
const none = () => new Float32Array(0);
const abstaining = () => ({ ...currentMusicnnVersion(), runtime: null, windowStarts: new Int32Array(0), windowPatches: new Int32Array(0), patchStarts: new Int32Array(0), tags: none(), windowTags: none(), heads: none(), patchHeads: none(), embeddings: none() });

serveWorkerTasks<TrackRequest, TrackResult>(async (request, signal) => {
  const started = performance.now();
  let sampleCount = 0;
  for await (const block of decodeBlocks(request.path, 1 << 18, { ffmpegPath: request.ffmpegPath, signal })) sampleCount += block.length;
  const durationSec = sampleCount / DECODE_SAMPLE_RATE;
  const descriptors = { featureSet: FEATURE_SET_VERSION, sampleRate: DECODE_SAMPLE_RATE, sampleCount, durationSec, rms: 0, peak: 0, windows: empty(), frames: empty(), tempo: 0 };
  return { value: { descriptors, musicnn: { ok: true, analysis: abstaining() }, timings: { decodeMs: performance.now() - started, descriptorsMs: 0, musicnnMs: 0 } } };
});

/**
 * The analysis worker with MusiCNN models that cannot load: descriptors are
 * computed as usual, and the MusiCNN stage fails on every file with a patch.
 * For testing that such a failure is data.
 */
import { serveWorkerTasks } from '../../src-main/core/pipeline/worker-tasks.ts';
import { SonorityError } from '../../src-main/core/errors.ts';
import { analyseTrack, resultBuffers, type TrackRequest, type TrackResult } from '../../src-main/core/analysis/analyse-track.ts';

const brokenModels = () => Promise.reject(new SonorityError('model-invalid', 'the MusiCNN model is damaged (test)'));

serveWorkerTasks<TrackRequest, TrackResult>(async (request, signal) => {
  const value = await analyseTrack(request, signal, brokenModels);
  return { value, transfer: resultBuffers(value) };
});

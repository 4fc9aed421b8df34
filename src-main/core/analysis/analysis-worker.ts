import { serveWorkerTasks } from '../pipeline/worker-tasks.ts';
import { loadMusicnnForAnalysis, type MusicnnModels } from '../musicnn/load-models.ts';
import { analyseTrack, resultBuffers, type TrackRequest, type TrackResult } from './analyse-track.ts';

/** The MusiCNN models of this worker: loaded on the first patch it meets, then kept (a failed load fails every later patch alike). */
let models: Promise<MusicnnModels> | undefined;
const loadModels = () => (models ??= loadMusicnnForAnalysis(process.env));

serveWorkerTasks<TrackRequest, TrackResult>(async (request, signal) => {
  const value = await analyseTrack(request, signal, loadModels);
  return { value, transfer: resultBuffers(value) };
});

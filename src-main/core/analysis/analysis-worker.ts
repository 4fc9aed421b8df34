import { serveWorkerTasks } from '../pipeline/worker-tasks.ts';
import { analyseFile, type AnalyseRequest, type TrackAnalysis } from './analyse-file.ts';

serveWorkerTasks<AnalyseRequest, TrackAnalysis>(async (request, signal) => {
  const value = await analyseFile(request, signal);
  const buffers = [value.windows.starts, value.windows.values, value.frames.starts, value.frames.values].map((a) => a.buffer as ArrayBuffer);
  return { value, transfer: buffers };
});

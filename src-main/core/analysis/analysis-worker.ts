import { serveWorkerTasks } from '../pipeline/worker-tasks.ts';
import { analyseFile, type AnalyseRequest, type TrackAnalysis } from './analyse-file.ts';

serveWorkerTasks<AnalyseRequest, TrackAnalysis>(async (request, signal) => {
  const value = await analyseFile(request, signal);
  const buffers = [value.windows, value.frames].flatMap((m) => [m.starts.buffer, m.lengths.buffer, m.values.buffer] as ArrayBuffer[]);
  return { value, transfer: buffers };
});

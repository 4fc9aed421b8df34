import { serveWorkerTasks } from '../pipeline/worker-tasks.ts';
import { analyseFile, type AnalyseRequest, type TrackAnalysis } from './analyse-file.ts';

serveWorkerTasks<AnalyseRequest, TrackAnalysis>(async (request, signal) => ({ value: await analyseFile(request, signal) }));

/**
 * A first scan and a rescan of one library in a process of their own, so
 * their peak RSS is a scan's alone (RSS never shrinks, so phases run before
 * them in the same process would count). As the app scans: the GTZAN model
 * loaded, as many workers as cores.
 *
 *   node bench/scan-child.ts <library root> <database file>
 *
 * Prints one JSON line: each scan's phase (`phases.ts`) and summary, and the
 * failures reported.
 */
import os from 'node:os';
import { openDatabase } from '../src-main/core/db/open-database.ts';
import { loadGenreModel } from '../src-main/core/model/genre-model.ts';
import { loadTensorFlow } from '../src-main/core/model/tf-runtime.ts';
import { scanLibrary } from '../src-main/core/scan/scan-library.ts';
import { measure, rssSampler } from './phases.ts';

const [root, databaseFile] = process.argv.slice(2);
if (!root || !databaseFile) throw new Error('usage: node bench/scan-child.ts <library root> <database file>');
const sampler = rssSampler();
const db = openDatabase(databaseFile);
const model = await loadGenreModel(await loadTensorFlow());
const failures: string[] = [];
const scan = () => scanLibrary({ root, db, workers: os.availableParallelism(), model, onEvent: (e) => void (e.type === 'failure' && failures.push(`${e.path}: ${e.message}`)) });
const print = console.log;
console.log = () => {}; // the phases' progress lines: the parent prints its own; stdout carries the JSON
try {
  const first = await measure('first scan', 0, sampler, scan);
  const rescan = await measure('rescan', 0, sampler, scan);
  print(JSON.stringify({ first, rescan, failures }));
} finally {
  sampler.stop();
  model.dispose();
  db.close();
}

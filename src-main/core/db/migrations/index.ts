import { sql as library001 } from './001-library.ts';
import { sql as descriptors002 } from './002-descriptors.ts';
import { sql as predictions003 } from './003-predictions.ts';
import { sql as tagWrites004 } from './004-tag-writes.ts';
import { sql as decisions005 } from './005-decisions.ts';
import { sql as learningAndPlaylists006 } from './006-library-learning-and-playlists.ts';
import { sql as journalTempAndMtimeNs007 } from './007-journal-temp-and-mtime-ns.ts';
import { sql as musicnn008 } from './008-musicnn.ts';
import { sql as musicnnMeans009 } from './009-musicnn-means.ts';
import { sql as libraryNetworks010 } from './010-library-networks.ts';
import { sql as journalOldHead011 } from './011-journal-old-head.ts';
import { sql as libraryMap012 } from './012-library-map.ts';

/** Every migration in order; the position + 1 is the schema version it produces. */
export const MIGRATIONS: readonly string[] = [library001, descriptors002, predictions003, tagWrites004, decisions005, learningAndPlaylists006, journalTempAndMtimeNs007, musicnn008, musicnnMeans009, libraryNetworks010, journalOldHead011, libraryMap012];

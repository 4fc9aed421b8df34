import { EXIT_CODES, SonorityError } from '../core/errors.ts';
import type { CliIo } from './io.ts';
import { SCAN_USAGE, scanCommand } from './scan-command.ts';
import { statusCommand } from './status-command.ts';
import { failuresCommand } from './failures-command.ts';
import { featuresCommand } from './features-command.ts';
import { PREDICT_USAGE, predictCommand } from './predict-command.ts';
import { REVIEW_USAGE, reviewCommand } from './review-command.ts';
import { TRAIN_USAGE, trainCommand } from './train-command.ts';
import { EVAL_USAGE, evalCommand } from './eval-command.ts';
import { TAXONOMY_USAGE, taxonomyCommand } from './taxonomy-command.ts';
import { TAG_USAGE, tagCommand } from './tag-command.ts';
import { UNDO_USAGE, undoCommand } from './undo-command.ts';
import { APPLY_USAGE, applyCommand } from './apply-command.ts';
import { SETTINGS_USAGE, settingsCommand } from './settings-command.ts';
import { SERVE_USAGE, serveCommand } from './serve-command.ts';
import { LEARN_USAGE, learnCommand } from './learn-command.ts';
import { TRUST_USAGE, trustCommand } from './trust-command.ts';
import { PLAYLIST_USAGE, playlistCommand } from './playlist-command.ts';
import { DOCTOR_USAGE, doctorCommand } from './doctor-command.ts';

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  scan: scanCommand,
  status: statusCommand,
  failures: failuresCommand,
  features: featuresCommand,
  predict: predictCommand,
  review: reviewCommand,
  train: trainCommand,
  eval: evalCommand,
  taxonomy: taxonomyCommand,
  tag: tagCommand,
  undo: undoCommand,
  apply: applyCommand,
  settings: settingsCommand,
  serve: serveCommand,
  learn: learnCommand,
  trust: trustCommand,
  playlist: playlistCommand,
  doctor: doctorCommand,
};

const USAGE = `Sonority — genre tagging for your music library

usage:
  ${SCAN_USAGE}
  sonority status   [--db FILE] [--json]
  sonority failures [--db FILE] [--json]
  sonority features <file> [--json] [--ffmpeg PATH]   descriptors of each analysed window and 3-second frame
  ${PREDICT_USAGE}   genres, probabilities and timeline of one file
  ${REVIEW_USAGE}
                    predicted tracks (--disputed: tags a confident prediction disagrees with); decide per file
  ${TAXONOMY_USAGE}   genre names, aliases and parents (--init: write it out to edit)
  ${TAG_USAGE}
                    set genres in files (atomic, journaled; --dry-run shows the change)
  ${APPLY_USAGE}
                    write the review decisions and, with --min-confidence, confident predictions
  ${UNDO_USAGE}   restore the files a write batch changed, byte for byte
  ${SETTINGS_USAGE}
                    how genres are written: ID3v2 version of new tags, v2.3 separator, mtime
  ${SERVE_USAGE}
                    the app's interface in a browser, on this computer only (address with a token)
  ${LEARN_USAGE}
                    learn your own genres from the tags you trust; list the tags it doubts
  ${TRUST_USAGE}
                    which tags learning trusts (default: every tagged track)
  ${PLAYLIST_USAGE}
                    similar tracks, or a smooth path from one track to another, filtered by genre, tempo,
                    energy, duration, danceability and mood; M3U8 export, saved playlists
  ${DOCTOR_USAGE}   check the library database for damage (SQLite integrity_check)

model development:
  ${TRAIN_USAGE}
  ${EVAL_USAGE}

The library database is --db, else $SONORITY_DB, else the per-user data folder. The genre model is
--model, else $SONORITY_MODEL, else the shipped one; $SONORITY_TF_BACKEND=wasm|cpu forces a backend.
Exit codes: 0 all good · 1 finished with failures · 2 could not run · 130 stopped.
`;

/** Runs one CLI invocation and returns its exit code; every error ends as a readable message. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(USAGE);
    return name ? EXIT_CODES.ok : EXIT_CODES.couldNotRun;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`sonority: unknown command "${name}"\n\n${USAGE}`);
    return EXIT_CODES.couldNotRun;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    const known = error instanceof SonorityError;
    const argError = (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
    const message = known || argError ? (error as Error).message : `unexpected error: ${(error as Error).stack ?? String(error)}`;
    if (rest.includes('--json')) io.stdout.write(`${JSON.stringify({ type: 'error', code: known ? error.code : 'unexpected', message })}\n`);
    io.stderr.write(`sonority: ${message}\n`);
    return EXIT_CODES.couldNotRun;
  }
}

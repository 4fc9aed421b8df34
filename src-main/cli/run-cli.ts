import { EXIT_CODES, SonorityError } from '../core/errors.ts';
import type { CliIo } from './io.ts';
import { SCAN_USAGE, scanCommand } from './scan-command.ts';
import { STATUS_USAGE, statusCommand } from './status-command.ts';
import { FAILURES_USAGE, failuresCommand } from './failures-command.ts';
import { FEATURES_USAGE, featuresCommand } from './features-command.ts';
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
import { MAP_USAGE, mapCommand } from './map-command.ts';

interface Command {
  run: (args: string[], io: CliIo) => Promise<number>;
  usage: string;
  /** What it does, in a line or two. */
  about: string;
}

const COMMANDS: Record<string, Command> = {
  scan: { run: scanCommand, usage: SCAN_USAGE, about: 'scan a folder into the library: tags, analysis and predicted genres' },
  status: { run: statusCommand, usage: STATUS_USAGE, about: 'library totals and the last scan' },
  failures: { run: failuresCommand, usage: FAILURES_USAGE, about: 'every file that could not be analysed, with the reason' },
  features: { run: featuresCommand, usage: FEATURES_USAGE, about: 'descriptors of each analysed window and 3-second frame' },
  predict: { run: predictCommand, usage: PREDICT_USAGE, about: 'genres, probabilities and timeline of one file' },
  review: { run: reviewCommand, usage: REVIEW_USAGE, about: 'predicted tracks (--disputed: tags a confident prediction disagrees with); decide per file' },
  taxonomy: { run: taxonomyCommand, usage: TAXONOMY_USAGE, about: 'genre names, aliases and parents (--init: write it out to edit)' },
  tag: { run: tagCommand, usage: TAG_USAGE, about: 'set genres in files (atomic, journaled; --dry-run shows the change)' },
  apply: { run: applyCommand, usage: APPLY_USAGE, about: 'write the review decisions and, with --min-confidence, confident predictions' },
  undo: { run: undoCommand, usage: UNDO_USAGE, about: 'restore the files a write batch changed, byte for byte' },
  settings: { run: settingsCommand, usage: SETTINGS_USAGE, about: 'how genres are written: ID3v2 version of new tags, v2.3 separator, mtime' },
  serve: { run: serveCommand, usage: SERVE_USAGE, about: "the app's interface in a browser, on this computer only (address with a token)" },
  learn: { run: learnCommand, usage: LEARN_USAGE, about: 'learn your own genres from the tags you trust; list the tags it doubts' },
  trust: { run: trustCommand, usage: TRUST_USAGE, about: 'which tags learning trusts (default: every tagged track)' },
  playlist: { run: playlistCommand, usage: PLAYLIST_USAGE, about: 'similar tracks, or a smooth path from one track to another, filtered by genre, tempo,\nenergy, duration, danceability and mood; M3U8 export, saved playlists' },
  map: { run: mapCommand, usage: MAP_USAGE, about: 'lay the library out in 2-D by how tracks sound (MusiCNN, UMAP); render it to a PNG' },
  doctor: { run: doctorCommand, usage: DOCTOR_USAGE, about: 'check the library database for damage (SQLite integrity_check)' },
  train: { run: trainCommand, usage: TRAIN_USAGE, about: 'train the genre model on a feature table (model development)' },
  eval: { run: evalCommand, usage: EVAL_USAGE, about: 'evaluate the genre model on a feature table (model development)' },
};

const MODEL_DEVELOPMENT = new Set(['train', 'eval']);
const ABOUT_INDENT = ' '.repeat(20);

/** A command's usage lines, then what it does, indented under them. */
function describe({ usage, about }: Command): string {
  return `  ${usage}\n${about.split('\n').map((line) => `${ABOUT_INDENT}${line}`).join('\n')}`;
}

const USAGE = `Sonority — genre tagging for your music library

usage:
${Object.entries(COMMANDS).filter(([name]) => !MODEL_DEVELOPMENT.has(name)).map(([, command]) => describe(command)).join('\n')}

model development:
${[...MODEL_DEVELOPMENT].map((name) => `  ${COMMANDS[name]!.usage}`).join('\n')}

\`sonority <command> --help\` describes one command.
The library database is --db, else $SONORITY_DB, else the per-user data folder. The genre model is
--model, else $SONORITY_MODEL, else the shipped one; $SONORITY_TF_BACKEND=wasm|cpu forces a backend.
Exit codes: 0 all good · 1 finished with failures · 2 could not run · 130 stopped.
`;

/** The help of one command: its usage and what it does. */
function commandHelp(command: Command): string {
  return `usage:\n${describe(command)}\n`;
}

/** Whether the arguments ask for help (`--help` or `-h` before any `--`). */
function asksForHelp(args: string[]): boolean {
  const options = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
  return options.includes('--help') || options.includes('-h');
}

/** A readable message for an argument `parseArgs` refused, with the command's usage. */
function argumentMessage(name: string, command: Command, error: NodeJS.ErrnoException): string {
  const unknown = error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /^Unknown option '([^']*)'/.exec(error.message)?.[1] : undefined;
  const problem = unknown ? `unknown option ${unknown} for \`sonority ${name}\`` : error.message;
  return `${problem}\n${commandHelp(command).trimEnd()}`;
}

/** Runs one CLI invocation and returns its exit code; every error ends as a readable message. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(USAGE);
    return name ? EXIT_CODES.ok : EXIT_CODES.couldNotRun;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr.write(`sonority: unknown command "${name}"\n\n${USAGE}`);
    return EXIT_CODES.couldNotRun;
  }
  if (asksForHelp(rest)) {
    io.stdout.write(commandHelp(command));
    return EXIT_CODES.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    const known = error instanceof SonorityError;
    const argError = (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
    const message = known ? error.message : argError ? argumentMessage(name, command, error as NodeJS.ErrnoException) : `unexpected error: ${(error as Error).stack ?? String(error)}`;
    if (rest.includes('--json')) io.stdout.write(`${JSON.stringify({ type: 'error', code: known ? error.code : argError ? 'usage' : 'unexpected', message })}\n`);
    io.stderr.write(`sonority: ${message}\n`);
    return EXIT_CODES.couldNotRun;
  }
}

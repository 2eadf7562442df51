// The vcsim command line: parses argv with yargs and dispatches to one command module per
// subcommand. The only layer that reads argv, prints, writes files and sets exit codes:
//   0 all held, 1 a failed expectation or verdict (a result), 2 bad input (a user's mistake).
// A user's mistake prints one line per problem and no stack; a bug throws with its stack.

import yargs, { type Argv, type CommandModule } from 'yargs';
import { EXIT_HANGUP, EXIT_INTERRUPTED, EXIT_TERMINATED, EXIT_USAGE, UserError, formatProblem, userError } from '../util/errors.js';
import { VERSION } from '../api/index.js';
import { abortAll } from '../util/atomic.js';
import { fsReason, isFsError, shownPath } from '../util/fsproblem.js';
import { runCommand } from './run.js';
import { nodeCommand } from './node.js';
import { validateCommand } from './validate.js';
import { replayCommand } from './replay.js';
import { exploreCommand } from './explore.js';
import { shrinkCommand } from './shrink.js';
import { renderCommand } from './render.js';
import { sweepCommand } from './sweep.js';
import { compareCommand } from './compare.js';
import { checkCommand } from './check.js';
import { diffCommand } from './program-diff.js';
import { shimCommand } from './shim.js';
import { ProgramFailure } from '../api/index.js';
import { EXIT_FAILED } from '../util/errors.js';
import { programProblemLines } from './print.js';
import { raisedUserError } from './options.js';

/** Every command, in the order `vcsim --help` lists them. */
export const COMMANDS = [runCommand, nodeCommand, validateCommand, replayCommand, exploreCommand, shrinkCommand, renderCommand, sweepCommand, compareCommand, checkCommand, diffCommand, shimCommand]
  .map((c) => c as unknown as CommandModule<object, object>);

export function buildCli(args: string[]): Argv {
  return COMMANDS.reduce((y, c) => y.command(c), yargs(args)
    .scriptName('vcsim')
    .usage('$0 <command> [options]\n\nDeterministic discrete-event simulator for vector-clock experiments.'))
    .demandCommand(1, 'Name a command, e.g. vcsim run scenarios/partition.yaml')
    .strict()
    .recommendCommands()
    .version(VERSION)
    .help()
    .alias('h', 'help')
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .epilog('Exit codes: 0 everything held, 1 an expectation failed, 2 bad input.\nDocs: README.md and docs/')
    .fail((msg, err) => {
      if (err) throw raisedUserError(err) ?? missingValue(err.message) ?? err;
      throw missingValue(msg) ?? new UsageError(msg);
    });
}

/** yargs's "Not enough arguments following: nodes" (a flag with no value), in the project's form. */
function missingValue(msg: string | null | undefined): UserError | undefined {
  const m = /^Not enough arguments following: (\S+)$/.exec(msg ?? '');
  return m ? userError(`--${m[1]}`, 'expected a value after it, found nothing') : undefined;
}

export class UsageError extends Error {}

/** Exit codes for the signals vcsim handles: 128 + the signal's number, as a shell reports it. */
export const SIGNAL_EXIT: Readonly<Record<'SIGINT' | 'SIGTERM' | 'SIGHUP', number>> = { SIGINT: EXIT_INTERRUPTED, SIGTERM: EXIT_TERMINATED, SIGHUP: EXIT_HANGUP };

/** Removes temporary and unfinished files and exits with the signal's code (docs/errors.md, "Exit codes"). */
export function onSignal(sig: keyof typeof SIGNAL_EXIT): void {
  const cleared = abortAll();
  const where = cleared.length > 0 ? `; the unfinished run's files in ${cleared.map(shownPath).join(', ')} were removed` : '';
  process.stderr.write(`\nvcsim: ${sig === 'SIGINT' ? 'interrupted' : `stopped by ${sig}`}; no partial output files were left${where}\n`);
  process.exit(SIGNAL_EXIT[sig]);
}

export async function main(args: string[]): Promise<void> {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(sig, () => onSignal(sig));
  try {
    await buildCli(args).parseAsync();
  } catch (e) {
    if (e instanceof UserError) {
      for (const p of e.problems) process.stderr.write(`vcsim: ${formatProblem(p)}\n`);
      process.exitCode = EXIT_USAGE;
    } else if (e instanceof UsageError) {
      // yargs words some problems on two lines ("Invalid values:\n  Argument: ..."): one line each.
      process.stderr.write(`vcsim: ${e.message.split('\n').map((l) => l.trim()).filter((l) => l !== '').join(' ')}\nRun vcsim --help for usage.\n`);
      process.exitCode = EXIT_USAGE;
    } else if (e instanceof ProgramFailure) {
      // docs/programs.md, "When a program fails": a result about the program, not a vcsim bug.
      abortAll();
      for (const l of programProblemLines(e.problem, 'stopped the run')) process.stderr.write(l + '\n');
      process.exitCode = EXIT_FAILED;
    } else if (isFsError(e)) {
      // docs/errors.md, "File system errors": a location no command checked ahead.
      abortAll();
      process.stderr.write(`vcsim: ${shownPath(e.path ?? '')}: ${e.syscall === 'open' || e.syscall === 'read' || e.syscall === 'scandir' ? 'cannot read' : 'cannot write'}: ${fsReason(e)}\n`);
      process.exitCode = EXIT_USAGE;
    } else {
      abortAll();
      throw e;
    }
  }
}

// The vcsim command line: parses argv with yargs and dispatches to one command module per
// subcommand. The only layer that reads argv, prints, writes files and sets exit codes:
//   0 all held, 1 a failed expectation or verdict (a result), 2 bad input (a user's mistake).
// A user's mistake prints one line per problem and no stack; a bug throws with its stack.

import yargs, { type Argv } from 'yargs';
import { UserError, formatProblem } from '../util/errors.js';
import { VERSION } from '../util/version.js';
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
import { checkCommand } from './check.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export function buildCli(args: string[]): Argv {
  return yargs(args)
    .scriptName('vcsim')
    .usage('$0 <command> [options]\n\nDeterministic discrete-event simulator for vector-clock experiments.')
    .command(runCommand)
    .command(nodeCommand)
    .command(validateCommand)
    .command(replayCommand)
    .command(exploreCommand)
    .command(shrinkCommand)
    .command(renderCommand)
    .command(sweepCommand)
    .command(checkCommand)
    .demandCommand(1, 'Name a command, e.g. vcsim run scenarios/partition.yaml')
    .strict()
    .recommendCommands()
    .version(VERSION)
    .help()
    .alias('h', 'help')
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .epilog('Exit codes: 0 everything held, 1 an expectation failed, 2 bad input.\nDocs: README.md and docs/')
    .fail((msg, err) => {
      if (err) throw err;
      throw new UsageError(msg);
    });
}

export class UsageError extends Error {}

/** Exit codes for the signals vcsim handles: 128 + the signal's number, as a shell reports it. */
export const SIGNAL_EXIT: Readonly<Record<'SIGINT' | 'SIGTERM' | 'SIGHUP', number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

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

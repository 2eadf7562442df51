// The vcsim command line: parses argv with yargs and dispatches to one command module per
// subcommand. The only layer that reads argv, prints, writes files and sets exit codes:
//   0 all held, 1 a failed expectation or verdict (a result), 2 bad input (a user's mistake).
// A user's mistake prints one line per problem and no stack; a bug throws with its stack.

import yargs, { type Argv, type CommandModule } from 'yargs';
import { EXIT_INTERRUPTED, EXIT_USAGE, UserError, formatProblem, userError } from '../util/errors.js';
import { VERSION } from '../api/index.js';
import { abortAll } from '../util/atomic.js';
import { runCommand } from './run.js';
import { nodeCommand } from './node.js';
import { validateCommand } from './validate.js';
import { replayCommand } from './replay.js';
import { exploreCommand } from './explore.js';
import { shrinkCommand } from './shrink.js';
import { renderCommand } from './render.js';
import { sweepCommand } from './sweep.js';
import { checkCommand } from './check.js';
import { raisedUserError } from './options.js';

/** Every command, in the order `vcsim --help` lists them. */
export const COMMANDS = [runCommand, nodeCommand, validateCommand, replayCommand, exploreCommand, shrinkCommand, renderCommand, sweepCommand, checkCommand]
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

export async function main(args: string[]): Promise<void> {
  process.once('SIGINT', () => {
    abortAll();
    process.stderr.write('\nvcsim: interrupted; no partial output files were left\n');
    process.exit(EXIT_INTERRUPTED);
  });
  try {
    await buildCli(args).parseAsync();
  } catch (e) {
    if (e instanceof UserError) {
      for (const p of e.problems) process.stderr.write(`vcsim: ${formatProblem(p)}\n`);
      process.exitCode = EXIT_USAGE;
    } else if (e instanceof UsageError) {
      process.stderr.write(`vcsim: ${e.message}\nRun vcsim --help for usage.\n`);
      process.exitCode = EXIT_USAGE;
    } else {
      throw e;
    }
  }
}

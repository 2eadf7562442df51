// `vcsim shim python -- CMD...`: runs an unmodified socket program under vcsim's Python shim,
// speaking the node-program protocol on this process's standard streams, so that a
// scenario's program: command (or vcsim diff --program) can name it (docs/programs.md).

import { spawnSync } from 'node:child_process';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { PYTHON_SHIM, withShim } from '../api/index.js';
import { userError } from '../util/errors.js';

export interface ShimArgs {
  language: 'python';
  command?: string[];
  path: boolean;
}

export const shimCommand: CommandModule<object, ShimArgs> = {
  command: 'shim <language> [command..]',
  describe: 'Run an unmodified socket program under vcsim\'s shim, speaking the node-program protocol on stdin/stdout',
  builder: (y: Argv<object>) =>
    y.positional('language', { choices: ['python'], demandOption: true, describe: 'The program\'s language (python: its socket, input() and print)' })
      .positional('command', { type: 'string', array: true, describe: 'The program\'s command line, after --' })
      .option('path', { type: 'boolean', default: false, describe: 'Print the shim file\'s path and exit (to run it as python3 SHIM client.py, without vcsim in between)' })
      .parserConfiguration({ 'unknown-options-as-args': true })
      .example('$0 shim python -- python3 client.py', 'The original-style client, as a node program')
      .example('$0 shim python --path', 'Where the shim is')
      .epilog(`The shim is ${PYTHON_SHIM}; the protocol is described in docs/programs.md.`) as unknown as Argv<ShimArgs>,
  handler: (argv: ArgumentsCamelCase<ShimArgs>) => {
    if (argv.path) {
      process.stdout.write(PYTHON_SHIM + '\n');
      return;
    }
    // After `--`, yargs leaves the words in argv._ (behind the command's own name).
    const command = [...(argv.command ?? []), ...argv._.slice(1)].map(String);
    if (command.length < 2) throw userError('<command..>', 'expected an interpreter and a program after --, e.g. vcsim shim python -- python3 client.py');
    const full = withShim(command, argv.language === 'python' ? 'python' : 'none');
    const r = spawnSync(full[0], full.slice(1), { stdio: 'inherit' });
    if (r.error !== undefined) throw userError('<command..>', `cannot run ${JSON.stringify(full[0])}: ${r.error.message}`);
    process.exitCode = r.status ?? 1;
  },
};

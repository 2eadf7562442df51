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
}

export const shimCommand: CommandModule<object, ShimArgs> = {
  command: 'shim <language> [command..]',
  describe: 'Run an unmodified socket program under vcsim\'s shim, speaking the node-program protocol on stdin/stdout',
  builder: (y: Argv<object>) =>
    y.positional('language', { choices: ['python'], demandOption: true, describe: 'The program\'s language (python: its socket, input() and print)' })
      .positional('command', { type: 'string', array: true, describe: 'The program\'s command line, after --' })
      .parserConfiguration({ 'populate--': false, 'unknown-options-as-args': true })
      .example('$0 shim python -- python3 client.py', 'The original-style client, as a node program')
      .epilog(`The shim is ${PYTHON_SHIM}; the protocol is described in docs/programs.md.`) as unknown as Argv<ShimArgs>,
  handler: (argv: ArgumentsCamelCase<ShimArgs>) => {
    const command = (argv.command ?? []).map(String);
    if (command.length < 2) throw userError('<command..>', 'expected an interpreter and a program after --, e.g. vcsim shim python -- python3 client.py');
    const full = withShim(command, argv.language === 'python' ? 'python' : 'none');
    const r = spawnSync(full[0], full.slice(1), { stdio: 'inherit' });
    if (r.error !== undefined) throw userError('<command..>', `cannot run ${JSON.stringify(full[0])}: ${r.error.message}`);
    process.exitCode = r.status ?? 1;
  },
};

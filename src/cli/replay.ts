// `vcsim replay`: rerun a run from its trace header and verify the new trace is
// byte-identical; on a mismatch name the first differing line, show both versions side by
// side, and exit 1.

import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { readHeader, replayTrace, traceFileOf } from '../repro/replay.js';
import { VERSION } from '../api/index.js';
import { EXIT_FAILED } from '../util/errors.js';
import { quietFlag, withFlags } from './options.js';
import { sideBySide } from './diff.js';

export interface ReplayArgs {
  trace: string;
  quiet: boolean;
}

export const replayCommand: CommandModule<object, ReplayArgs> = {
  command: 'replay <trace>',
  describe: 'Rerun a run from its trace header alone and verify the trace is byte-identical',
  builder: (y: Argv<object>) =>
    withFlags(y, quietFlag('Print nothing but problems'))
      .positional('trace', { type: 'string', demandOption: true, describe: 'A trace.jsonl, or a run folder holding one' })
      .example('$0 replay results/partition/seed-1', 'Replay a run folder')
      .example('$0 replay results/partition/seed-1/trace.jsonl', 'Replay a trace file') as Argv<ReplayArgs>,
  handler: async (argv: ArgumentsCamelCase<ReplayArgs>) => {
    const file = traceFileOf(argv.trace);
    const written = readHeader(file).vcsim;
    if (written !== VERSION) {
      process.stderr.write(`vcsim: warning: ${file} was written by vcsim ${String(written)}; this is vcsim ${VERSION}, so differences may come from the version, not from nondeterminism\n`);
    }
    const r = await replayTrace(file);
    const what = `${String(r.header.scenario.name ?? 'scenario')} seed ${r.header.seed}`;
    if (r.divergence === null) {
      if (!argv.quiet) process.stdout.write(`vcsim replay ${what}: byte-identical, ${r.lines} lines (${r.digest ?? ''})\n`);
      return;
    }
    const d = r.divergence;
    process.stderr.write(`vcsim replay ${what}: the trace DIFFERS from ${r.file}\n`);
    for (const l of sideBySide(d.line, d.a, d.b, ['recorded', 'replayed'])) process.stderr.write(l + '\n');
    process.exitCode = EXIT_FAILED;
  },
};

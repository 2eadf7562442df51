// `vcsim run`: run one scenario in the simulator, write its outputs, print its summary, and
// exit 1 if any of its expectations failed.

import { join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { loadScenarioFile, runScenario, unknownNodesProblem, type CheckScope, type ClockRuleName, type OrderingsMode, type RunResult, type SliceOptions } from '../api/index.js';
import { EXIT_FAILED, userError } from '../util/errors.js';
import { guardOutput, prepareOutputDir } from '../util/fsproblem.js';
import { checkRunSize } from './limits.js';
import { runTwice } from '../repro/determinism.js';
import { sideBySide } from './diff.js';
import { printSummary, programProblemLines } from './print.js';
import { withInterrupt } from './interrupt.js';
import { liveProgress } from './live-progress.js';
import { simProgress } from './sim-progress.js';
import { checkerFlag, checkerScopeFlags, liveFlags, oneOf, outFlag, pictureSliceFlags, quietFlag, runOverrides, scenarioFlags, seedFlag, valued, withFlags } from './options.js';
import { reproduceCommand } from './reproduce.js';

/** --window and --nodes-shown (already parsed by their checks), the lanes checked against the run's nodes. */
function pictureSlice(argv: { window?: [number, number]; nodesShown?: string[] }, names: readonly string[]): SliceOptions {
  const nodes = argv.nodesShown ?? null;
  const problem = nodes === null ? null : unknownNodesProblem(nodes, names);
  if (problem !== null) throw userError('--nodes-shown', problem);
  return { window: argv.window ?? null, nodes };
}

export interface RunArgs {
  scenario: string;
  nodes?: number;
  seed?: number;
  duration?: string;
  clock?: ClockRuleName;
  out?: string;
  outputs: 'all' | 'none';
  quiet: boolean;
  transport: 'sim' | 'udp';
  port: number;
  address: string;
  'time-scale': number;
  checker: 'on' | 'off';
  scope: CheckScope;
  orderings: OrderingsMode;
  'orderings-limit': number;
  'check-determinism': boolean;
  window?: [number, number];
  nodesShown?: string[];
  'events-clock-before': boolean;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <scenario>',
  describe: 'Run a scenario in the simulator and summarise what happened',
  builder: (y: Argv<object>) =>
    withFlags(y, scenarioFlags, seedFlag(), outFlag('Output folder (default results/<scenario>/seed-<S>/)'), quietFlag('Print nothing but failures'),
      liveFlags, checkerFlag('The causality checker (off for huge runs; it also skips itself, with a note, past its memory limit)'), checkerScopeFlags, pictureSliceFlags)
      .positional('scenario', { type: 'string', demandOption: true, describe: 'Scenario YAML file' })
      .option('outputs', valued(oneOf('--outputs', ['all', 'none'] as const), { choices: ['all', 'none'], default: 'all', describe: 'none: only summary.json, timing.json and manifest.json' }))
      .option('transport', valued(oneOf('--transport', ['sim', 'udp'] as const), { choices: ['sim', 'udp'], default: 'sim', describe: 'sim: the simulator; udp: live sockets in real time (docs/live.md)' }))
      .option('events-clock-before', { type: 'boolean', default: false, describe: 'events.csv also has the clock_before column (events.csv format 1: each row\'s clock_before is the same node\'s previous clock_after; docs/outputs.md)' })
      .option('check-determinism', { type: 'boolean', default: false, describe: 'Run twice in separate worker threads and fail at the first difference between the traces' })
      .example('$0 run scenarios/partition.yaml --nodes 50', 'The headline scenario with 50 nodes')
      .example('$0 run scenarios/lossless.yaml --seed 7 --clock fidge-mattern', 'Another seed, the textbook clock')
      .example('$0 run scenarios/lossless.yaml --orderings all', 'List every pair of chat events in orderings.csv')
      .example('$0 run scenarios/lossless.yaml --events-clock-before', 'events.csv with both clocks per row, as before format 2')
      .example('$0 run scenarios/lossless.yaml --transport udp --port 47000', 'The same scenario on live loopback sockets') as Argv<RunArgs>,
  handler: async (argv: ArgumentsCamelCase<RunArgs>) => {
    if (argv.transport === 'udp' && argv['check-determinism']) {
      throw userError('--check-determinism', 'expected a simulated run: a live run (--transport udp) is not deterministic, so there is nothing to compare');
    }
    const loaded = loadScenarioFile(argv.scenario, runOverrides(argv));
    const seed = argv.seed ?? loaded.scenario.seed;
    const live = argv.transport === 'udp';
    if (loaded.scenario.program !== undefined && (live || argv['check-determinism'])) {
      throw userError(live ? '--transport' : '--check-determinism', 'expected a simulated run in this process: a scenario with program: runs its programs only under the simulator (docs/programs.md, "Limits")');
    }
    const outDir = argv.out ?? join('results', loaded.scenario.name, `${live ? 'udp-' : ''}seed-${seed}`);
    if (!live) {
      const warning = checkRunSize(loaded.scenario, argv.scenario, argv.outputs);
      if (warning !== null && !argv.quiet) process.stderr.write(warning + '\n');
    }
    const dirFlag = argv.out !== undefined ? '--out' : '--out (default)';
    prepareOutputDir(dirFlag, outDir, true);
    const checker = { checker: argv.checker, scope: argv.scope, orderings: argv.orderings, orderingsLimit: argv.orderingsLimit, visualSlice: pictureSlice(argv, loaded.scenario.names), eventsClockBefore: argv['events-clock-before'] };
    let result: RunResult;
    if (live) {
      const consumers = process.stderr.isTTY && !argv.quiet ? [liveProgress(loaded.scenario.duration, argv['time-scale'])] : [];
      result = await guardOutput(dirFlag, outDir, () => withInterrupt((signal) => runScenario({ loaded, seed, outDir, outputs: argv.outputs, consumers, ...checker, live: { port: argv.port, address: argv.address, timeScale: argv['time-scale'], signal } })));
    } else if (argv['check-determinism']) {
      const d = await guardOutput(dirFlag, outDir, () => runTwice(loaded.input, argv.scenario, seed, outDir, argv.outputs, argv['events-clock-before']));
      if (!argv.quiet) printSummary(d.result, reproduceCommand(argv, seed));
      reportExpectations(d.result);
      reportDeterminism(d, seed);
      return;
    } else {
      const consumers = process.stderr.isTTY && !argv.quiet ? [simProgress(loaded.scenario.duration)] : [];
      result = await guardOutput(dirFlag, outDir, () => runScenario({ loaded, seed, outDir, outputs: argv.outputs, consumers, ...checker }));
    }
    if (!argv.quiet) printSummary(result, reproduceCommand(argv, seed) + (live ? ` --transport udp --port ${argv.port} --address ${argv.address} --time-scale ${argv['time-scale']}` : ''));
    for (const p of result.programProblems) for (const l of programProblemLines(p, 'failed (program.on_error: continue, so the run went on without it)')) process.stderr.write(l + '\n');
    reportExpectations(result);
  },
};

function reportExpectations(r: RunResult): void {
  const failed = r.expectations.filter((e) => !e.ok);
  for (const f of failed) {
    process.stderr.write(f.missing
      ? `vcsim: expectation ${f.path}: no such figure in the summary\n`
      : `vcsim: expectation failed: ${f.path} expected ${f.expected}, measured ${JSON.stringify(f.measured)}\n`);
  }
  if (failed.length > 0) process.exitCode = EXIT_FAILED;
}

function reportDeterminism(d: Awaited<ReturnType<typeof runTwice>>, seed: number): void {
  if (d.divergence === null) {
    process.stdout.write(`  determinism two runs in separate workers gave byte-identical traces (${d.lines} lines)\n`);
    return;
  }
  process.stderr.write(`vcsim: NONDETERMINISM: seed ${seed} gave two different traces in two runs; this is a bug in vcsim\n`);
  const v = d.divergence;
  for (const l of sideBySide(v.line, v.a, v.b, ['first run', 'second run'])) process.stderr.write(l + '\n');
  process.exitCode = EXIT_FAILED;
}

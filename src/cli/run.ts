// `vcsim run`: run one scenario in the simulator, write its outputs, print its summary, and
// exit 1 if any of its expectations failed.

import { join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { DEFAULT_ORDERINGS_LIMIT, runScenario, type OrderingsMode, type RunResult } from '../api/index.js';
import { CHECK_SCOPES, type CheckScope } from '../check/checker.js';
import { CLOCK_RULES, type ClockRuleName } from '../core/rules.js';
import { loadScenarioFile, type Override } from '../scenario/load.js';
import { userError } from '../util/errors.js';
import { guardOutput, prepareOutputDir } from '../util/fsproblem.js';
import { checkRunSize } from './limits.js';
import { runTwice } from '../repro/determinism.js';
import { sideBySide } from './diff.js';
import { printSummary } from './print.js';
import { withInterrupt } from './interrupt.js';
import { liveProgress } from './live-progress.js';
import { simProgress } from './sim-progress.js';
import { addressProblem, DEFAULT_BROADCAST, DEFAULT_PORT, portProblem } from '../transport/defaults.js';
import { parseWindow } from '../api/render.js';
import type { SliceOptions } from '../export/slice.js';

/** --window and --nodes-shown, checked against the scenario's node names. */
export function pictureSlice(argv: { window?: string; nodesShown?: string }, names: readonly string[]): SliceOptions {
  const window = argv.window !== undefined ? parseWindow(argv.window) : null;
  let nodes: string[] | null = null;
  if (argv.nodesShown !== undefined) {
    nodes = argv.nodesShown.split(',').map((n) => n.trim()).filter((n) => n !== '');
    if (nodes.length === 0) throw userError('--nodes-shown', 'expected node names separated by commas, e.g. n0,n3');
    const unknown = nodes.filter((n) => !names.includes(n));
    if (unknown.length > 0) throw userError('--nodes-shown', `no node named ${unknown.map((n) => JSON.stringify(n)).join(', ')} in this run (it has ${names.join(',')})`);
  }
  return { window, nodes };
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
  window?: string;
  nodesShown?: string;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <scenario>',
  describe: 'Run a scenario in the simulator and summarise what happened',
  builder: (y: Argv<object>) =>
    y
      .positional('scenario', { type: 'string', demandOption: true, describe: 'Scenario YAML file' })
      .option('nodes', { type: 'number', describe: 'Override the node count' })
      .option('seed', { type: 'number', describe: 'Run seed (default: the scenario\'s seed)' })
      .option('duration', { type: 'string', describe: 'Override the duration, e.g. 10s' })
      .option('clock', { choices: CLOCK_RULES, describe: 'Clock rule' })
      .option('out', { type: 'string', describe: 'Output folder (default results/<scenario>/seed-<S>/)' })
      .option('outputs', { choices: ['all', 'none'] as const, default: 'all' as const, describe: 'none: only summary.json and timing.json' })
      .option('quiet', { type: 'boolean', default: false, describe: 'Print nothing but failures' })
      .option('transport', { choices: ['sim', 'udp'] as const, default: 'sim' as const, describe: 'sim: the simulator; udp: live sockets in real time (docs/live.md)' })
      .option('port', { type: 'number', default: DEFAULT_PORT, describe: 'udp: the UDP port every node binds' })
      .option('address', { type: 'string', default: DEFAULT_BROADCAST, describe: 'udp: the broadcast address (loopback by default)' })
      .option('time-scale', { type: 'number', default: 1, describe: 'udp: wall seconds per scenario second (2: twice as slow)' })
      .option('checker', { choices: ['on', 'off'] as const, default: 'on' as const, describe: 'The causality checker (off for huge runs; it also skips itself, with a note, past its memory limit)' })
      .option('scope', { choices: CHECK_SCOPES, default: 'all' as const, describe: 'Events the checker\'s headline figures cover: chat sends, or all chat sends and receives' })
      .option('orderings', { choices: ['sends', 'all', 'none'] as const, default: 'sends' as const, describe: 'Pairs listed in orderings.csv' })
      .option('orderings-limit', { type: 'number', default: DEFAULT_ORDERINGS_LIMIT, describe: 'Skip orderings.csv (with a note) above this many rows' })
      .option('check-determinism', { type: 'boolean', default: false, describe: 'Run twice in separate worker threads and fail at the first difference between the traces' })
      .option('window', { type: 'string', describe: 'Draw the pictures for this time window only, e.g. 2s..4s' })
      .option('nodes-shown', { type: 'string', describe: 'Draw the pictures for these lanes only, e.g. n0,n3,n7' })
      .example('$0 run scenarios/partition.yaml --nodes 50', 'The headline scenario with 50 nodes')
      .example('$0 run scenarios/lossless.yaml --seed 7 --clock fidge-mattern', 'Another seed, the textbook clock')
      .example('$0 run scenarios/lossless.yaml --orderings all', 'List every pair of chat events in orderings.csv')
      .example('$0 run scenarios/lossless.yaml --transport udp --port 47000', 'The same scenario on live loopback sockets') as Argv<RunArgs>,
  handler: async (argv: ArgumentsCamelCase<RunArgs>) => {
    const overrides = runOverrides(argv);
    const loaded = loadScenarioFile(argv.scenario, overrides);
    const seed = argv.seed ?? loaded.scenario.seed;
    const live = argv.transport === 'udp';
    const outDir = argv.out ?? join('results', loaded.scenario.name, `${live ? 'udp-' : ''}seed-${seed}`);
    if (!Number.isSafeInteger(argv.orderingsLimit) || argv.orderingsLimit < 0) {
      throw userError('--orderings-limit', `expected a whole number of rows >= 0, found ${String(argv.orderingsLimit)}`);
    }
    if (!live) {
      const warning = checkRunSize(loaded.scenario, argv.scenario, argv.outputs);
      if (warning !== null && !argv.quiet) process.stderr.write(warning + '\n');
    }
    const outFlag = argv.out !== undefined ? '--out' : '--out (default)';
    prepareOutputDir(outFlag, outDir, true);
    const checker = { checker: argv.checker, scope: argv.scope, orderings: argv.orderings, orderingsLimit: argv.orderingsLimit, visualSlice: pictureSlice(argv, loaded.scenario.names) };
    let result: RunResult;
    if (live) {
      checkLiveFlags({ port: argv.port, address: argv.address, timeScale: argv['time-scale'] });
      const consumers = process.stderr.isTTY && !argv.quiet ? [liveProgress(loaded.scenario.duration, argv['time-scale'])] : [];
      result = await guardOutput(outFlag, outDir, () => withInterrupt((signal) => runScenario({ loaded, seed, outDir, outputs: argv.outputs, consumers, ...checker, live: { port: argv.port, address: argv.address, timeScale: argv['time-scale'], signal } })));
    } else if (argv['check-determinism']) {
      const d = await guardOutput(outFlag, outDir, () => runTwice(loaded.input, argv.scenario, seed, outDir, argv.outputs));
      if (!argv.quiet) printSummary(d.result, reproduceCommand(argv, seed));
      reportExpectations(d.result);
      reportDeterminism(d, seed);
      return;
    } else {
      const consumers = process.stderr.isTTY && !argv.quiet ? [simProgress(loaded.scenario.duration)] : [];
      result = await guardOutput(outFlag, outDir, () => runScenario({ loaded, seed, outDir, outputs: argv.outputs, consumers, ...checker }));
    }
    if (!argv.quiet) printSummary(result, reproduceCommand(argv, seed) + (live ? ` --transport udp --port ${argv.port} --address ${argv.address} --time-scale ${argv['time-scale']}` : ''));
    reportExpectations(result);
  },
};

/** The flags that change the scenario, as overrides with the flag named for errors. */
export function runOverrides(argv: { nodes?: number; duration?: string; clock?: string; seed?: number }): Override[] {
  const o: Override[] = [];
  if (argv.seed !== undefined && (!Number.isSafeInteger(argv.seed) || argv.seed < 0)) {
    throw userError('--seed', `expected a whole number >= 0, found ${String(argv.seed)}`);
  }
  if (argv.nodes !== undefined) {
    if (!Number.isSafeInteger(argv.nodes) || argv.nodes < 1) throw userError('--nodes', `expected a whole number of nodes, at least 1, found ${String(argv.nodes)}`);
    o.push({ path: ['nodes'], value: argv.nodes, flag: '--nodes' });
  }
  if (argv.duration !== undefined) o.push({ path: ['duration'], value: argv.duration, flag: '--duration' });
  if (argv.clock !== undefined) o.push({ path: ['protocol', 'clock'], value: argv.clock, flag: '--clock' });
  return o;
}

/** The live flags, checked before any socket opens. */
export function checkLiveFlags(argv: { port: number; address: string; timeScale: number }): void {
  const port = portProblem(argv.port);
  if (port !== null) throw userError('--port', port);
  const address = addressProblem(argv.address);
  if (address !== null) throw userError('--address', address);
  if (!(Number.isFinite(argv.timeScale) && argv.timeScale > 0)) throw userError('--time-scale', `expected a positive number, found ${String(argv.timeScale)}`);
}

export function reproduceCommand(argv: { scenario: string; nodes?: number; duration?: string; clock?: string }, seed: number): string {
  const parts = ['vcsim', 'run', shellQuote(argv.scenario)];
  if (argv.nodes !== undefined) parts.push('--nodes', String(argv.nodes));
  if (argv.duration !== undefined) parts.push('--duration', shellQuote(argv.duration));
  if (argv.clock !== undefined) parts.push('--clock', argv.clock);
  parts.push('--seed', String(seed));
  return parts.join(' ');
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function reportExpectations(r: RunResult): void {
  const failed = r.expectations.filter((e) => !e.ok);
  for (const f of failed) {
    process.stderr.write(f.missing
      ? `vcsim: expectation ${f.path}: no such figure in the summary\n`
      : `vcsim: expectation failed: ${f.path} expected ${f.expected}, measured ${JSON.stringify(f.measured)}\n`);
  }
  if (failed.length > 0) process.exitCode = 1;
}

function reportDeterminism(d: Awaited<ReturnType<typeof runTwice>>, seed: number): void {
  if (d.divergence === null) {
    process.stdout.write(`  determinism two runs in separate workers gave byte-identical traces (${d.lines} lines)\n`);
    return;
  }
  process.stderr.write(`vcsim: NONDETERMINISM: seed ${seed} gave two different traces in two runs; this is a bug in vcsim\n`);
  const v = d.divergence;
  for (const l of sideBySide(v.line, v.a, v.b, ['first run', 'second run'])) process.stderr.write(l + '\n');
  process.exitCode = 1;
}

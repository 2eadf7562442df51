// `vcsim diff`: a scenario on one seed with the built-in model and with a program on every
// node; says identical, or shows the first difference side by side and exits 1
// (docs/programs.md, "vcsim diff").

import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { diffProgram, loadScenarioFile, DEFAULT_CLOCK_PATTERN, type ClockRuleName, type Override } from '../api/index.js';
import { EXIT_FAILED, userError } from '../util/errors.js';
import { sideBySide } from './diff.js';
import { oneOf, once, quietFlag, runOverrides, scenarioFlags, seedFlag, text, valued, withFlags } from './options.js';

export interface DiffArgs {
  scenario: string;
  program?: string;
  shim?: 'python' | 'none';
  timeout?: string;
  clockPattern?: string;
  nodes?: number;
  seed?: number;
  duration?: string;
  clock?: ClockRuleName;
  quiet: boolean;
}

export const diffCommand: CommandModule<object, DiffArgs> = {
  command: 'diff <scenario>',
  describe: 'Run a scenario with the built-in model and with a program on every node, same seed, and compare them event for event',
  builder: (y: Argv<object>) =>
    withFlags(y, scenarioFlags, seedFlag(), quietFlag('Print nothing but the difference'))
      .positional('scenario', { type: 'string', demandOption: true, describe: 'Scenario YAML file' })
      .option('program', valued(once('--program', text('--program')), { describe: 'The program\'s command line, split into words as a shell would (default: the scenario\'s program: field)' }))
      .option('shim', valued(oneOf('--shim', ['python', 'none'] as const), { choices: ['python', 'none'], describe: 'python: run the program under vcsim\'s Python shim (an unmodified socket program); default none, or the scenario\'s' }))
      .option('timeout', valued(once('--timeout', text('--timeout')), { describe: 'Wall-clock bound on each input to the program, e.g. 2s (default 10s)' }))
      .option('clock-pattern', valued(once('--clock-pattern', text('--clock-pattern')), { describe: `Regular expression for printed clock lines, with groups phase and clock (default ${DEFAULT_CLOCK_PATTERN})` }))
      .example('$0 diff scenarios/lossy.yaml --program "python3 client.py" --shim python', 'Check an unmodified Python client against the seed model')
      .example('$0 diff scenarios/lossy.yaml --program "./mynode" --seed 3', 'Check a program that speaks the node-program protocol itself') as unknown as Argv<DiffArgs>,
  handler: async (argv: ArgumentsCamelCase<DiffArgs>) => {
    const loaded = loadScenarioFile(argv.scenario, [...runOverrides(argv), ...programOverrides(argv)]);
    const program = loaded.scenario.program;
    if (program === undefined) throw userError('--program', 'expected a program to compare with the model (or a program: field in the scenario)');
    const seed = argv.seed ?? loaded.scenario.seed;
    const what = `${loaded.scenario.name} seed ${seed}`;
    const r = await diffProgram(loaded, seed, program);
    if (r.at < 0) {
      if (!argv.quiet) process.stdout.write(`vcsim diff ${what}: identical, ${r.records} records (datagrams, events, and clocks where the program printed them)\n`);
      return;
    }
    process.stderr.write(`vcsim diff ${what}: the program DIFFERS from the model (record ${r.at + 1} of ${r.records})\n`);
    const before = r.model[r.at - 1];
    if (before !== undefined) process.stderr.write(`  last record both agree on: ${before}\n`);
    for (const l of sideBySide(r.at + 1, r.model[r.at] || null, r.program[r.at] || null, ['model', 'program'])) process.stderr.write(l + '\n');
    process.exitCode = EXIT_FAILED;
  },
};

/** --program (on every node), --shim, --timeout, --clock-pattern as overrides of the scenario's program: field. */
function programOverrides(argv: DiffArgs): Override[] {
  const o: Override[] = [];
  if (argv.program !== undefined) {
    const words = shellWords(argv.program);
    if (words.length === 0) throw userError('--program', 'expected a command line, found nothing');
    o.push({ path: ['program', 'command'], value: words, flag: '--program' }, { path: ['program', 'nodes'], value: 'all', flag: '--program' });
  }
  if (argv.shim !== undefined) o.push({ path: ['program', 'shim'], value: argv.shim, flag: '--shim' });
  if (argv.timeout !== undefined) o.push({ path: ['program', 'timeout'], value: argv.timeout, flag: '--timeout' });
  if (argv.clockPattern !== undefined) o.push({ path: ['program', 'clock_pattern'], value: argv.clockPattern, flag: '--clock-pattern' });
  return o;
}

/** A command line split into words as a POSIX shell splits it (spaces; single and double quotes; backslash). */
export function shellWords(s: string): string[] {
  const words: string[] = [];
  let cur: string | null = null;
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote !== null) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < s.length) cur += s[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      cur ??= '';
    } else if (c === '\\' && i + 1 < s.length) {
      cur = (cur ?? '') + s[++i];
    } else if (/\s/.test(c)) {
      if (cur !== null) words.push(cur);
      cur = null;
    } else cur = (cur ?? '') + c;
  }
  if (quote !== null) throw userError('--program', `expected a closing ${quote} quote`);
  if (cur !== null) words.push(cur);
  return words;
}

// `vcsim shrink`: from a failing seed of a scenario, find a smaller scenario (and seed) that
// fails the same way, write it as a YAML file with a comment saying where it came from, and
// print the command that runs it and how much smaller it got.

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { stringify } from 'yaml';
import { loadScenarioFile, VERSION, type ClockRuleName } from '../api/index.js';
import { writeFileAtomic } from '../util/atomic.js';
import { shrink, type ShrinkResult } from '../repro/shrink.js';
import { outFlag, quietFlag, runOverrides, scenarioFlags, seedFlag, valued, wholeNumber, withFlags } from './options.js';
import { reproduceCommand } from './reproduce.js';
import { shellQuote } from '../util/shell.js';

export interface ShrinkArgs {
  scenario: string;
  seed?: number;
  nodes?: number;
  duration?: string;
  clock?: ClockRuleName;
  out?: string;
  'max-tries': number;
  quiet: boolean;
}

export const shrinkCommand: CommandModule<object, ShrinkArgs> = {
  command: 'shrink <scenario>',
  describe: 'Find a smaller scenario that fails the same way as a failing seed, and write it as YAML',
  builder: (y: Argv<object>) =>
    withFlags(y, seedFlag('The failing seed (default: the scenario\'s seed)'), scenarioFlags,
      outFlag('The shrunk scenario file (default results/<scenario>/shrunk-seed-S.yaml)'), quietFlag('Print only the command that runs the shrunk scenario'))
      .positional('scenario', { type: 'string', demandOption: true, describe: 'Scenario YAML file' })
      .option('max-tries', valued(wholeNumber('--max-tries', 1, 'a whole number, at least 1'), { default: 2000, describe: 'Run at most this many candidate scenarios' }))
      .example('$0 shrink scenarios/reordering-rare.yaml --nodes 50 --seed 1', 'Shrink a failing 50-node run') as Argv<ShrinkArgs>,
  handler: async (argv: ArgumentsCamelCase<ShrinkArgs>) => {
    const loaded = loadScenarioFile(argv.scenario, runOverrides(argv));
    const seed = argv.seed ?? loaded.scenario.seed;
    const from = reproduceCommand(argv, seed);
    const tty = process.stderr.isTTY === true;
    let lastLine = Date.now();
    const r = await shrink({
      input: loaded.input, origin: argv.scenario, seed, maxTries: argv['max-tries'],
      onStep: (s) => {
        if (argv.quiet) return;
        const now = Date.now();
        if (!tty && now - lastLine < 2000) return;
        lastLine = now;
        const msg = `vcsim shrink: try ${s.tries}: ${s.what} still fails (${s.best.nodes} nodes, ${s.best.events} events, seed ${s.best.seed})`;
        process.stderr.write(tty ? `\r${msg}\x1b[K` : msg + '\n');
      },
    });
    if (tty && !argv.quiet) process.stderr.write('\r\x1b[K');
    const file = argv.out ?? join('results', loaded.scenario.name, `shrunk-seed-${seed}.yaml`);
    const command = `vcsim run ${shellQuote(file)} --seed ${r.best.seed}`;
    mkdirSync(dirname(file), { recursive: true });
    writeFileAtomic(file, shrunkYaml(r, from, command));
    const o = r.original;
    const b = r.best;
    const lines = argv.quiet ? [command] : [
      `vcsim shrink ${loaded.scenario.name} seed ${seed}: fails with ${r.kind}`,
      `  nodes   ${o.nodes} -> ${b.nodes}`,
      `  events  ${o.events} -> ${b.events} (${pct(b.events, o.events)})`,
      `  seed    ${o.seed} -> ${b.seed}`,
      `  tries   ${r.tries} runs, ${r.steps} kept, ${r.invalid} invalid candidates skipped${r.exhausted ? ' (stopped at --max-tries; it may shrink further)' : ''}`,
      `  wrote   ${file}`,
      `  run     ${command}`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  },
};

function pct(a: number, b: number): string {
  return b === 0 ? '-' : `${((a / b) * 100).toFixed(1)}% of the original`;
}

/** The shrunk scenario as YAML, with a header comment saying how it was made. */
export function shrunkYaml(r: ShrinkResult, from: string, command: string): string {
  const input: Record<string, unknown> = { ...r.best.input };
  delete input.seeds;
  input.name = `${String(input.name ?? 'scenario')}-shrunk`;
  input.seed = r.best.seed;
  const ordered: Record<string, unknown> = { name: input.name, seed: input.seed, ...input };
  const header = [
    `${String(ordered.name)}.yaml - written by vcsim shrink (vcsim ${VERSION}).`,
    `Shrunk from: ${from}`,
    `Fails with: ${r.kind}`,
    `Nodes ${r.original.nodes} -> ${r.best.nodes}, events ${r.original.events} -> ${r.best.events}, after ${r.tries} tries (${r.steps} kept).`,
    `Run: ${command}`,
  ];
  return header.map((l) => `# ${l}`).join('\n') + '\n' + stringify(ordered);
}

// `vcsim validate`: run a scenario simulated and on live loopback sockets, print both side by
// side with each figure's tolerance, and exit 1 if the live run left what the simulation
// predicts (a result, not an error).

import { join } from 'node:path';
import { guardOutput, prepareOutputDir } from '../util/fsproblem.js';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { loadScenarioFile, validate, type ClockRuleName, type ValidateResult } from '../api/index.js';
import { EXIT_FAILED } from '../util/errors.js';
import { withInterrupt } from './interrupt.js';
import { liveFlags, outFlag, runOverrides, scenarioFlags, seedFlag, withFlags } from './options.js';

export interface ValidateArgs {
  scenario: string;
  seed?: number;
  nodes?: number;
  duration?: string;
  clock?: ClockRuleName;
  port: number;
  address: string;
  'time-scale': number;
  out?: string;
  json: boolean;
}

export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate <scenario>',
  describe: 'Run a scenario simulated and on live UDP sockets, and compare them (parity)',
  builder: (y: Argv<object>) =>
    withFlags(y, seedFlag(), scenarioFlags, liveFlags, outFlag('Output folder (default results/<scenario>/validate-seed-<S>/, with sim/ and udp/)'))
      .positional('scenario', { type: 'string', demandOption: true, describe: 'Scenario YAML file' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the comparison as JSON' })
      .example('$0 validate scenarios/lossless.yaml --seed 3 --port 47000', 'Parity of the baseline on loopback')
      .example('$0 validate scenarios/crash-restart.yaml --time-scale 0.5', 'A crash and restart on live sockets, at twice the speed (about 4 s)') as Argv<ValidateArgs>,
  handler: async (argv: ArgumentsCamelCase<ValidateArgs>) => {
    const loaded = loadScenarioFile(argv.scenario, runOverrides(argv));
    const seed = argv.seed ?? loaded.scenario.seed;
    const outDir = argv.out ?? join('results', loaded.scenario.name, `validate-seed-${seed}`);
    const outFlag = argv.out !== undefined ? '--out' : '--out (default)';
    prepareOutputDir(outFlag, outDir);
    const r = await guardOutput(outFlag, outDir, () => withInterrupt((signal) => validate({ loaded, seed, outDir, live: { port: argv.port, address: argv.address, timeScale: argv['time-scale'], signal } })));
    if (argv.json) process.stdout.write(JSON.stringify({ parity: r.parity, rows: r.rows, checker: r.checker }, null, 2) + '\n');
    else printValidation(r, loaded.scenario.name, seed, argv);
    if (!r.parity) process.exitCode = EXIT_FAILED;
  },
};

export function printValidation(r: ValidateResult, name: string, seed: number, argv: { port: number; address: string; 'time-scale': number }): void {
  const s = r.sim.summary;
  const W = Math.max(28, ...r.rows.map((row) => row.figure.length + 1));
  const lines = [
    `vcsim validate ${name}: seed ${seed}, ${s.nodes} nodes, clock ${s.clock}; live on ${argv.address}:${argv.port}, time scale ${argv['time-scale']}`,
    `  ${'figure'.padEnd(W)}${'sim'.padStart(12)}${'udp'.padStart(12)}   ${'tolerance'.padEnd(28)}`,
  ];
  for (const row of r.rows) {
    const verdict = row.ok === null ? 'info' : row.ok ? 'ok' : 'OUTSIDE';
    lines.push(`  ${row.figure.padEnd(W)}${String(row.sim).padStart(12)}${String(row.live).padStart(12)}   ${(row.tolerance || '-').padEnd(28)} ${verdict}`);
  }
  if (!r.checker) lines.push('  checker verdicts            (the checker did not run: see the summaries)');
  lines.push(r.parity
    ? '  parity                      yes: the live run stayed within what the simulation predicts'
    : '  parity                      NO: figures marked OUTSIDE left their tolerance');
  lines.push(`  output                      ${r.sim.outDir ?? '(none)'} and ${r.live.outDir ?? '(none)'}`);
  process.stdout.write(lines.join('\n') + '\n');
}

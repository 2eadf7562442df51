// `vcsim compare`: every clock rule on the same seeds (the same networks), judged on bytes
// per message against the share of pairs judged wrong; writes compare.csv,
// compare-summary.csv and frontier.svg and prints a table (docs/clocks.md, "vcsim compare").

import { join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { loadScenarioFile } from '../api/index.js';
import { defaultWorkers } from '../repro/explore.js';
import type { SeedRange } from '../repro/seeds.js';
import { JOURNAL } from '../sweep/journal.js';
import { compare, parseClocks, type CompareResult } from '../sweep/compare.js';
import { loadPoints } from '../sweep/sweep.js';
import { parseVaries } from '../sweep/vary.js';
import { progress } from './progress.js';
import { freshFlag, once, outFlag, quietFlag, seedRangeOf, seedsFlag, valued, varyFlag, withFlags, workersFlag } from './options.js';

export interface CompareArgs {
  scenario: string;
  clocks: string[];
  seeds?: SeedRange;
  vary?: string[];
  workers?: number;
  out?: string;
  fresh: boolean;
  quiet: boolean;
}

export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare <scenario>',
  describe: 'Run several clock rules on the same seeds and networks; write their bytes against their errors',
  builder: (y: Argv<object>) =>
    withFlags(y, seedsFlag('Seed range A..B, the same for every clock (default: the scenario\'s seeds:)'), workersFlag,
      outFlag('Output folder (default results/compare/<scenario>)'), quietFlag('Print only where the files are'),
      varyFlag('PATH=VALUES: another scenario field and its values, e.g. nodes=10,50,200 (repeatable)'), freshFlag(`Start over, discarding the folder's journal (${JOURNAL}) instead of resuming it`))
      .positional('scenario', { type: 'string', demandOption: true, describe: 'Scenario YAML file' })
      .option('clocks', valued(once('--clocks', (v) => parseClocks(String(v))), { demandOption: true, describe: 'Comma list of clock rules, e.g. fidge-mattern,lamport,plausible:4,bloom:64x3,itc (docs/clocks.md)' }))
      .example('$0 compare scenarios/lossy.yaml --clocks fidge-mattern,lamport,plausible:4,bloom:64x3,itc --seeds 1..5 --vary nodes=10,50', 'Five clocks on the same five networks, at two sizes') as Argv<CompareArgs>,
  handler: async (argv: ArgumentsCamelCase<CompareArgs>) => {
    const clocks = argv.clocks;
    const vary = parseVaries(argv.vary ?? []);
    const workers = argv.workers ?? defaultWorkers();
    const loaded = loadScenarioFile(argv.scenario);
    const range = seedRangeOf(argv.seeds, loaded.scenario.seeds);
    const outDir = argv.out ?? join('results', 'compare', loaded.scenario.name);
    const points = loadPoints(loaded.input, argv.scenario, [{ path: 'protocol.clock', values: clocks }, ...vary]).points.length;
    const seeds = range.last - range.first + 1;
    const label = `vcsim compare ${loaded.scenario.name}`;
    if (!argv.quiet) process.stderr.write(`${label}: ${clocks.length} clock(s) x ${points / clocks.length} point(s) x ${seeds} seed(s) = ${points * seeds} runs, ${Math.min(workers, points * seeds)} worker(s), into ${outDir}\n`);
    const bar = progress(label, !argv.quiet);
    const started = Date.now();
    let result: CompareResult;
    try {
      result = await compare({
        input: loaded.input, origin: argv.scenario, clocks, vary, range, outDir, workers, fresh: argv.fresh,
        onProgress: (p) => bar.update(p.done, p.total, p.resumed > 0 ? `${p.resumed} resumed` : ''),
      });
    } finally {
      bar.finish();
    }
    print(result, outDir, argv.quiet, (Date.now() - started) / 1000);
  },
};

const short = (x: number): string => String(Number(x.toPrecision(4)));

function print(r: CompareResult, outDir: string, quiet: boolean, seconds: number): void {
  const lines: string[] = [];
  if (!quiet && r.complete) {
    const figs = ['bytes_per_message', 'wrong_share', 'precision', 'recall'] as const;
    const head = ['clock', ...r.vary.map((v) => v.path), ...figs.map((f) => `${f} (mean ±95%)`)];
    const body = r.marks.map((m) => [m.clock, ...m.values.map(String), ...figs.map((f) => {
      const s = m.stats.get(f) ?? null;
      if (s === null) return '-';
      return s.ci95 ? `${short(s.mean)} ±${short((s.ci95[1] - s.ci95[0]) / 2)}` : short(s.mean);
    })]);
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
    const row = (cells: string[]): string => '  ' + cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
    lines.push(row(head), ...body.map(row));
  }
  lines.push(`vcsim compare: ${r.runs} runs (${r.computed} run now, ${r.resumed} from the journal) in ${seconds.toFixed(1)}s${r.complete ? '' : ', incomplete'}`);
  lines.push(`  wrote ${r.files.filter((f) => f !== JOURNAL).map((f) => join(outDir, f)).join(', ')}`);
  process.stdout.write(lines.join('\n') + '\n');
}

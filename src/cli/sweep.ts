// `vcsim sweep`: run a scenario over a grid of varied fields and a range of seeds, on worker
// threads, and write sweep.csv, sweep-summary.csv and sweep.svg (docs/sweeps.md, "Parameter sweeps"). Every
// finished run is journaled, so an interrupted sweep resumes when run again as it was.

import { join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { loadScenarioFile } from '../api/index.js';
import { userError } from '../util/errors.js';
import { defaultWorkers } from '../repro/explore.js';
import type { SeedRange } from '../repro/seeds.js';
import { JOURNAL } from '../sweep/journal.js';
import { DEFAULT_METRICS, loadPoints, sweep, type SweepResult } from '../sweep/sweep.js';
import { parseVaries } from '../sweep/vary.js';
import { progress } from './progress.js';
import { checkerFlag, each, outFlag, quietFlag, seedsFlag, withFlags, workersFlag } from './options.js';

export interface SweepArgs {
  scenario: string;
  vary?: string[];
  seeds?: SeedRange;
  workers?: number;
  metric?: string[];
  out?: string;
  checker: 'on' | 'off';
  fresh: boolean;
  quiet: boolean;
}

const SHOW_POINTS = 40;

export const sweepCommand: CommandModule<object, SweepArgs> = {
  command: 'sweep <scenario>',
  describe: 'Run a scenario over a grid of varied fields and many seeds; write tables and a plot',
  builder: (y: Argv<object>) =>
    withFlags(y, seedsFlag('Seed range A..B per point (default: the scenario\'s seeds:)'), workersFlag, outFlag('Output folder (default results/sweeps/<scenario>)'),
      checkerFlag('The causality checker: off makes big clusters much faster (no checker.* figures then)'), quietFlag('Print only where the files are'))
      .positional('scenario', { type: 'string', demandOption: true, describe: 'Scenario YAML file' })
      .option('vary', { type: 'string', array: true, coerce: each(String), describe: 'PATH=VALUES: a scenario field and its values, a comma list of values or ranges a..b:step (repeat for more fields; the first is the plot\'s x axis, the others make its lines)' })
      .option('metric', { type: 'string', array: true, coerce: each(metric), describe: `Figure to plot, by its sweep.csv column (repeatable; default ${DEFAULT_METRICS.join(' and ')})` })
      .option('fresh', { type: 'boolean', default: false, describe: `Start over, discarding the folder's journal (${JOURNAL}) instead of resuming it` })
      .example('$0 sweep scenarios/sweep-loss.yaml --vary network.loss=0,0.05,0.1 --vary nodes=10,50 --seeds 1..10', 'Loss on the x axis, one line per cluster size')
      .example('$0 sweep scenarios/lossy.yaml --vary nodes=10..100:10 --vary protocol.clock=seed,fidge-mattern --seeds 1..5 --metric clock_entries.per_message', 'Clock size against N, seed against fidge-mattern') as Argv<SweepArgs>,
  handler: async (argv: ArgumentsCamelCase<SweepArgs>) => {
    const vary = parseVaries(argv.vary ?? []);
    const workers = argv.workers ?? defaultWorkers();
    const loaded = loadScenarioFile(argv.scenario);
    let range;
    if (argv.seeds !== undefined) range = argv.seeds;
    else if (loaded.scenario.seeds !== undefined) range = { first: Math.min(...loaded.scenario.seeds), last: Math.max(...loaded.scenario.seeds) };
    else throw userError('--seeds', 'expected a seed range like 1..10 (the scenario has no seeds: field)');
    const metrics = argv.metric ?? DEFAULT_METRICS.filter((m) => argv.checker === 'on' || !m.startsWith('checker.'));
    const outDir = argv.out ?? join('results', 'sweeps', loaded.scenario.name);
    const pointCount = loadPoints(loaded.input, argv.scenario, vary).points.length;
    const seeds = range.last - range.first + 1;
    const label = `vcsim sweep ${loaded.scenario.name}`;
    if (!argv.quiet) process.stderr.write(`${label}: ${pointCount} point(s) x ${seeds} seed(s) = ${pointCount * seeds} runs, ${Math.min(workers, pointCount * seeds)} worker(s), into ${outDir}\n`);
    const bar = progress(label, !argv.quiet);
    let doneNow = 0;
    const hint = (): void => {
      process.stderr.write(`\n${label}: ${doneNow} run(s) finished are kept in ${join(outDir, JOURNAL)}; run the same command again to resume\n`);
    };
    process.prependOnceListener('SIGINT', hint);
    const started = Date.now();
    let result: SweepResult;
    try {
      result = await sweep({
        input: loaded.input, origin: argv.scenario, vary, range, outDir, workers, metrics, fresh: argv.fresh, checker: argv.checker,
        onProgress: (p) => {
          doneNow = p.done;
          const fresh = p.done - p.resumed;
          const left = p.total - p.done;
          const eta = fresh === 0 ? '' : `, ${duration(((Date.now() - started) / fresh) * left)} left`;
          bar.update(p.done, p.total, `${p.resumed > 0 ? `${p.resumed} resumed` : ''}${eta}`.replace(/^, /, ''));
        },
      });
    } finally {
      bar.finish();
      process.removeListener('SIGINT', hint);
    }
    print(result, outDir, metrics, argv.quiet, (Date.now() - started) / 1000);
  },
};

/** A --metric: a figure's dotted name, as sweep.csv names its column. */
function metric(v: unknown): string {
  const m = String(v);
  if (!/^[A-Za-z0-9_.-]+$/.test(m)) throw userError('--metric', `expected a figure's dotted name such as anomalies.receiver_died, found ${JSON.stringify(m)}`);
  return m;
}

/** Four significant digits: enough to read a table on a terminal (the files keep more). */
function short(x: number): string {
  return String(Number(x.toPrecision(4)));
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function print(r: SweepResult, outDir: string, metrics: readonly string[], quiet: boolean, seconds: number): void {
  const lines: string[] = [];
  if (!quiet && r.table) {
    const t = r.table;
    const head = [...t.vary.map((v) => v.path), ...metrics.map((m) => `${m} (mean ±95%)`)];
    const body = t.points.slice(0, SHOW_POINTS).map((p) => [...p.values.map(String), ...metrics.map((m) => {
      const s = t.stats.get(p.index)?.get(m) ?? null;
      if (s === null) return '-';
      return s.ci95 ? `${short(s.mean)} ±${short((s.ci95[1] - s.ci95[0]) / 2)}` : short(s.mean);
    })]);
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
    const row = (cells: string[]): string => '  ' + cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
    lines.push(row(head), ...body.map(row));
    if (t.points.length > SHOW_POINTS) lines.push(`  ... ${t.points.length - SHOW_POINTS} more points in sweep-summary.csv`);
  }
  lines.push(`vcsim sweep: ${r.points} point(s), ${r.runs} runs (${r.computed} run now, ${r.resumed} from the journal) in ${seconds.toFixed(1)}s`);
  lines.push(`  wrote ${r.files.filter((f) => f !== JOURNAL).map((f) => join(outDir, f)).join(', ')}`);
  process.stdout.write(lines.join('\n') + '\n');
}

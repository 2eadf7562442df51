// `vcsim sweep`: run a scenario over a grid of varied fields and a range of seeds, on worker
// threads, and write sweep.csv, sweep-summary.csv and sweep.svg (docs/sweeps.md, "Parameter sweeps"). Every
// finished run is journaled, so an interrupted sweep resumes when run again as it was.
// `--shard i/n` (or a batch engine's variables) runs one share of the grid into its own
// folder; `--merge` joins the folders (docs/scale-out.md, "Scaling out: shards on a CI matrix, Kubernetes or Slurm").

import { join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { loadScenarioFile } from '../api/index.js';
import { userError } from '../util/errors.js';
import { guardOutput, prepareOutputDir } from '../util/fsproblem.js';
import { defaultWorkers } from '../repro/explore.js';
import { inGridShard, shardText, type SeedRange, type Shard } from '../repro/seeds.js';
import { chooseShard, shardLine } from '../repro/shards.js';
import { JOURNAL } from '../sweep/journal.js';
import { DEFAULT_METRICS, loadPoints, mergeSweeps, sweep, type SweepResult } from '../sweep/sweep.js';
import { parseVaries } from '../sweep/vary.js';
import { progress } from './progress.js';
import { checkerFlag, dryRunFlag, each, freshFlag, mergeFlag, outFlag, quietFlag, seedRangeOf, seedsFlag, shardFlags, varyFlag, withFlags, workersFlag } from './options.js';

export interface SweepArgs {
  scenario?: string;
  vary?: string[];
  seeds?: SeedRange;
  workers?: number;
  metric?: string[];
  out?: string;
  checker: 'on' | 'off';
  fresh: boolean;
  quiet: boolean;
  shard?: Shard;
  'shard-count'?: number;
  merge?: string[];
  'dry-run': boolean;
}

const SHOW_POINTS = 40;

export const sweepCommand: CommandModule<object, SweepArgs> = {
  command: 'sweep [scenario]',
  describe: 'Run a scenario over a grid of varied fields and many seeds; write tables and a plot',
  builder: (y: Argv<object>) =>
    withFlags(y, seedsFlag('Seed range A..B per point (default: the scenario\'s seeds:)'), workersFlag, outFlag('Output folder (default results/sweeps/<scenario>)'),
      checkerFlag('The causality checker: off makes big clusters much faster (no checker.* figures then)'), quietFlag('Print only where the files are'),
      shardFlags('Run only shard i of n of the (point, seed) grid (e.g. 2/4): run k, counted in point then seed order from 0, belongs to shard (k mod n)+1'),
      mergeFlag('Join these shard folders (any order) into the tables and plot of the whole sweep, in --out, instead of running'),
      freshFlag(`Start over, discarding the folder's journal (${JOURNAL}) instead of resuming it`),
      dryRunFlag('Check the arguments and say what would run (which shard, how many runs), then stop'),
      varyFlag('PATH=VALUES: a scenario field and its values, a comma list of values or ranges a..b:step (repeat for more fields; the first is the plot\'s x axis, the others make its lines)'))
      .positional('scenario', { type: 'string', describe: 'Scenario YAML file' })
      .option('metric', { type: 'string', array: true, coerce: each(metric), describe: `Figure to plot, by its sweep.csv column (repeatable; default ${DEFAULT_METRICS.join(' and ')})` })
      .example('$0 sweep scenarios/sweep-loss.yaml --vary network.loss=0,0.05,0.1 --vary nodes=10,50 --seeds 1..10', 'Loss on the x axis, one line per cluster size')
      .example('$0 sweep scenarios/lossy.yaml --vary nodes=10..100:10 --vary protocol.clock=seed,fidge-mattern --seeds 1..5 --metric clock_entries.per_message', 'Clock size against N, seed against fidge-mattern')
      .example('$0 sweep scenarios/lossy.yaml --vary nodes=10..100:10 --seeds 1..5 --shard 2/4 --out shard-2', 'This machine\'s quarter of the runs')
      .example('$0 sweep --merge shard-1 shard-2 shard-3 shard-4 --out all', 'Join the four shards\' folders') as Argv<SweepArgs>,
  handler: async (argv: ArgumentsCamelCase<SweepArgs>) => {
    if (argv.merge !== undefined) {
      merge(argv);
      return;
    }
    if (argv.scenario === undefined) throw userError('sweep', 'expected a scenario file (or --merge with shard folders)');
    const choice = chooseShard(argv.shard, argv['shard-count'], process.env);
    const vary = parseVaries(argv.vary ?? []);
    const workers = argv.workers ?? defaultWorkers();
    const loaded = loadScenarioFile(argv.scenario);
    const range = seedRangeOf(argv.seeds, loaded.scenario.seeds);
    const metrics = argv.metric ?? DEFAULT_METRICS.filter((m) => argv.checker === 'on' || !m.startsWith('checker.'));
    const outDir = argv.out ?? join('results', 'sweeps', loaded.scenario.name);
    const pointCount = loadPoints(loaded.input, argv.scenario, vary).points.length;
    const seeds = range.last - range.first + 1;
    const label = `vcsim sweep ${loaded.scenario.name}`;
    const shard = choice !== null && choice.shard.count > 1 ? choice.shard : undefined;
    let runs = pointCount * seeds;
    if (shard !== undefined) {
      runs = 0;
      for (let p = 0; p < pointCount; p++) for (let s = range.first; s <= range.last; s++) if (inGridShard(p, s, range, shard)) runs++;
    }
    // Always said, even with --quiet: a batch engine's log must show which shard ran.
    if (choice !== null) process.stderr.write(shardLine('vcsim sweep', choice) + '\n');
    if (!argv.quiet || argv['dry-run']) {
      process.stderr.write(`${label}: ${pointCount} point(s) x ${seeds} seed(s) = ${pointCount * seeds} runs${shard ? `, ${runs} in shard ${shardText(shard)}` : ''}, ${Math.min(workers, Math.max(runs, 1))} worker(s), into ${outDir}\n`);
    }
    if (argv['dry-run']) {
      process.stderr.write(`${label}: dry run: nothing was run\n`);
      return;
    }
    prepareOutputDir(argv.out !== undefined ? '--out' : '--out (default)', outDir);
    const origin = argv.scenario;
    const bar = progress(label, !argv.quiet);
    let doneNow = 0;
    let warned = false;
    const hint = (): void => {
      process.stderr.write(`\n${label}: ${doneNow} run(s) finished are kept in ${join(outDir, JOURNAL)}; run the same command again to resume\n`);
    };
    process.prependOnceListener('SIGINT', hint);
    const started = Date.now();
    let result: SweepResult;
    try {
      result = await guardOutput(argv.out !== undefined ? '--out' : '--out (default)', outDir, () => sweep({
        input: loaded.input, origin, vary, range, outDir, workers, metrics, fresh: argv.fresh, checker: argv.checker, shard,
        onProgress: (p) => {
          if (p.damaged.length > 0 && !warned) {
            warned = true;
            process.stderr.write(`${label}: ${join(outDir, JOURNAL)}: line(s) ${p.damaged.join(', ')} torn or damaged (checksum); dropped, those runs are done again\n`);
          }
          doneNow = p.done;
          const fresh = p.done - p.resumed;
          const left = p.total - p.done;
          const eta = fresh === 0 ? '' : `, ${duration(((Date.now() - started) / fresh) * left)} left`;
          bar.update(p.done, p.total, `${p.resumed > 0 ? `${p.resumed} resumed` : ''}${eta}`.replace(/^, /, ''));
        },
      }));
    } finally {
      bar.finish();
      process.removeListener('SIGINT', hint);
    }
    print(result, outDir, metrics, argv.quiet, (Date.now() - started) / 1000);
    if (shard !== undefined && result.complete) {
      process.stdout.write(`  shard ${shardText(shard)} is done; join the ${shard.count} shards' folders with: vcsim sweep --merge FOLDER... --out DIR\n`);
    }
  },
};

function merge(argv: ArgumentsCamelCase<SweepArgs>): void {
  if (argv.scenario !== undefined) throw userError('--merge', 'expected only shard folders with --merge, not a scenario');
  for (const flag of ['vary', 'seeds', 'shard', 'shard-count'] as const) if (argv[flag] !== undefined) throw userError(`--${flag}`, 'does not go with --merge: the shards\' journals say what the sweep was');
  if (argv.out === undefined) throw userError('--out', 'expected the folder to write the merged tables to');
  if (argv['dry-run']) {
    process.stderr.write(`vcsim sweep: dry run: would merge ${argv.merge!.length} folder(s) into ${argv.out}\n`);
    return;
  }
  const r = mergeSweeps(argv.merge ?? [], argv.out, argv.metric);
  process.stdout.write(`vcsim sweep: merged ${r.shards} shard(s): ${r.points} point(s), ${r.runs} runs\n  wrote ${r.files.map((f) => join(argv.out!, f)).join(', ')}\n`);
}

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
  const tables = r.files.filter((f) => f !== JOURNAL);
  lines.push(tables.length > 0 ? `  wrote ${tables.map((f) => join(outDir, f)).join(', ')}` : `  the runs are in ${join(outDir, JOURNAL)}`);
  process.stdout.write(lines.join('\n') + '\n');
}

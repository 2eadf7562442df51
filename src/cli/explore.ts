// `vcsim explore`: run a range of seeds through a scenario's expectations on worker
// threads, print the failing seeds grouped by failure kind with the command reproducing
// each, and write the report (JSON and CSV). `--merge` joins shard reports instead.
// Exit 1 when a seed failed or a seed was not deterministic.

import { readFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { loadScenarioFile, type ClockRuleName } from '../api/index.js';
import { writeFileAtomic } from '../util/atomic.js';
import { EXIT_FAILED, userError } from '../util/errors.js';
import { defaultWorkers, explore } from '../repro/explore.js';
import { mergeReports, reportCsv, reportJson, type ExploreReport } from '../repro/report.js';
import { parseShard, shardSeedCount, WHOLE, type SeedRange, type Shard } from '../repro/seeds.js';
import { progress } from './progress.js';
import { each, once, quietFlag, runOverrides, scenarioFlags, seedsFlag, text, valued, wholeNumber, withFlags, workersFlag } from './options.js';
import { reproduceCommand } from './reproduce.js';

export interface ExploreArgs {
  scenario?: string;
  seeds?: SeedRange;
  workers?: number;
  shard?: Shard;
  'stop-after'?: number;
  'check-determinism'?: number;
  nodes?: number;
  duration?: string;
  clock?: ClockRuleName;
  report?: string;
  merge?: string[];
  quiet: boolean;
}

const SHOW_PER_KIND = 20;

export const exploreCommand: CommandModule<object, ExploreArgs> = {
  command: 'explore [scenario]',
  describe: 'Run many seeds of a scenario in parallel and report the failing ones',
  builder: (y: Argv<object>) =>
    withFlags(y, seedsFlag('Seed range A..B, inclusive (default: the scenario\'s seeds:, smallest to largest)'), workersFlag, scenarioFlags, quietFlag('Print only the failing seeds'))
      .positional('scenario', { type: 'string', describe: 'Scenario YAML file' })
      .option('shard', valued(once('--shard', (v) => parseShard(String(v))), { describe: 'Run only shard i of n: every n-th seed starting at the i-th (e.g. 2/4)' }))
      .option('stop-after', valued(wholeNumber('--stop-after', 1, 'a whole number, at least 1'), { describe: 'Stop after the first N failing seeds in seed order' }))
      .option('check-determinism', valued(wholeNumber('--check-determinism', 1, 'a whole number, at least 1'), { describe: 'Also run every k-th seed twice (on another worker) and compare the traces\' digests' }))
      .option('report', valued(text('--report'), { describe: 'Report file (JSON; the CSV is written beside it). Default results/<scenario>/explore-A-B[-shard-i-of-n].json' }))
      .option('merge', { type: 'string', array: true, coerce: each(String), describe: 'Merge these shard reports (JSON) into one report instead of running' })
      .example('$0 explore scenarios/reordering-rare.yaml --seeds 1..1000', 'Every seed from 1 to 1000 on all cores')
      .example('$0 explore scenarios/reordering-rare.yaml --seeds 1..1000 --shard 2/4', 'This machine\'s quarter of the range')
      .example('$0 explore --merge a.json b.json c.json d.json --report all.json', 'Join the shard reports') as Argv<ExploreArgs>,
  handler: async (argv: ArgumentsCamelCase<ExploreArgs>) => {
    const report = argv.merge !== undefined ? merge(argv) : await run(argv);
    if (report === null) return;
    if (report.seeds_failed > 0 || report.determinism.nondeterministic.length > 0) process.exitCode = EXIT_FAILED;
  },
};

async function run(argv: ArgumentsCamelCase<ExploreArgs>): Promise<ExploreReport> {
  if (argv.scenario === undefined) throw userError('explore', 'expected a scenario file (or --merge with reports)');
  const workers = argv.workers ?? defaultWorkers();
  const stopAfter = argv['stop-after'];
  const every = argv['check-determinism'];
  const shard = argv.shard ?? WHOLE;
  const loaded = loadScenarioFile(argv.scenario, runOverrides(argv));
  let range;
  if (argv.seeds !== undefined) range = argv.seeds;
  else if (loaded.scenario.seeds !== undefined) {
    const s = loaded.scenario.seeds;
    range = { first: Math.min(...s), last: Math.max(...s) };
  } else throw userError('--seeds', 'expected a seed range like 1..1000 (the scenario has no seeds: field)');
  const scenarioArg = argv.scenario;
  const total = shardSeedCount(range, shard);
  const label = `vcsim explore ${loaded.scenario.name}`;
  if (!argv.quiet) {
    process.stderr.write(`${label}: seeds ${range.first}..${range.last}${shard.count > 1 ? ` shard ${shard.index}/${shard.count}` : ''} (${total} seeds), ${Math.min(workers, Math.max(total, 1))} worker(s)\n`);
  }
  const bar = progress(label, !argv.quiet);
  const started = Date.now();
  const report = await explore({
    input: loaded.input,
    origin: argv.scenario,
    range,
    shard,
    workers,
    stopAfter,
    determinismEvery: every,
    command: (seed) => reproduceCommand({ ...argv, scenario: scenarioArg }, seed),
    onProgress: (p) => bar.update(p.done, p.total, `${p.failed} failed${p.stopping ? ' (stopping)' : ''}`),
  });
  bar.finish();
  const seconds = (Date.now() - started) / 1000;
  const file = argv.report ?? join('results', loaded.scenario.name, `explore-${range.first}-${range.last}${shard.count > 1 ? `-shard-${shard.index}-of-${shard.count}` : ''}.json`);
  write(report, file);
  print(report, file, argv.quiet, `${seconds.toFixed(2)}s, ${Math.round(report.seeds_run / Math.max(seconds, 1e-3))} seeds/s`);
  return report;
}

function merge(argv: ArgumentsCamelCase<ExploreArgs>): ExploreReport {
  const files = argv.merge ?? [];
  if (argv.scenario !== undefined) throw userError('--merge', 'expected only report files with --merge, not a scenario');
  const reports = files.map((f) => {
    try {
      return JSON.parse(readFileSync(f, 'utf8')) as ExploreReport;
    } catch (e) {
      throw userError(f, e instanceof SyntaxError ? 'expected an explore report (JSON written by vcsim explore), found text that is not one JSON value' : 'cannot be read');
    }
  });
  const report = mergeReports(reports, files);
  const file = argv.report ?? join('results', report.scenario, `explore-${report.seeds.first}-${report.seeds.last}-merged.json`);
  write(report, file);
  print(report, file, argv.quiet, `merged ${files.length} reports`);
  return report;
}

function write(report: ExploreReport, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, reportJson(report));
  writeFileAtomic(csvPath(file), reportCsv(report));
}

export function csvPath(jsonFile: string): string {
  return jsonFile.endsWith('.json') ? jsonFile.slice(0, -5) + '.csv' : jsonFile + '.csv';
}

function print(r: ExploreReport, file: string, quiet: boolean, how: string): void {
  const lines: string[] = [];
  const covered = `seeds ${r.seeds.first}..${r.seeds.last}${r.shard ? ` shard ${r.shard}` : ''}`;
  if (!quiet) {
    const stop = r.cutoff !== null ? `, stopped after ${r.stop_after} failures at seed ${r.cutoff}` : '';
    lines.push(`vcsim explore ${r.scenario}: ${covered}: ${r.seeds_run} run, ${r.seeds_failed} failed in ${r.kinds.length} kind(s)${stop}`);
  }
  for (const k of r.kinds) {
    lines.push(`  FAILED ${k.kind}: ${k.count} seed(s)`);
    const shown = r.failing.filter((f) => f.kind === k.kind).slice(0, SHOW_PER_KIND);
    for (const f of shown) lines.push(`    ${f.command}`);
    if (k.count > shown.length) lines.push(`    ... and ${k.count - shown.length} more in ${file}`);
  }
  const d = r.determinism;
  if (d.every !== null && !quiet) lines.push(`  determinism ${d.checked} seed(s) run twice, ${d.nondeterministic.length} differed`);
  for (const n of d.nondeterministic) lines.push(`  NONDETERMINISTIC seed ${n.seed}: digests ${n.digests.join(' vs ')}; find the first difference with: ${n.command}`);
  if (!quiet) lines.push(`  report ${file} and ${csvPath(file)}`, `  wall ${how}`);
  if (lines.length > 0) process.stdout.write(lines.join('\n') + '\n');
}

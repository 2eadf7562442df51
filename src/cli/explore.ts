// `vcsim explore`: run a range of seeds through a scenario's expectations on worker
// threads, print the failing seeds grouped by failure kind with the command reproducing
// each, and write the report (JSON and CSV). Every finished seed is journaled beside the
// report, so an interrupted explore resumes when run again as it was. `--merge` joins shard
// reports (files or the folders holding them) instead, refusing missing or repeated shards.
// Exit 1 when a seed failed or a seed was not deterministic.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { loadScenarioFile, type ClockRuleName } from '../api/index.js';
import { EXIT_FAILED, userError } from '../util/errors.js';
import { checkRunSize } from './limits.js';
import { prepareOutputFile, writeOutputFile } from '../util/fsproblem.js';
import { defaultWorkers, explore } from '../repro/explore.js';
import { mergeReports, reportCsv, reportJson, type ExploreReport } from '../repro/report.js';
import { shardSeedCount, WHOLE, type SeedRange, type Shard } from '../repro/seeds.js';
import { chooseShard, shardLine } from '../repro/shards.js';
import { progress } from './progress.js';
import { dryRunFlag, freshFlag, mergeFlag, quietFlag, runOverrides, scenarioFlags, seedRangeOf, seedsFlag, shardFlags, text, valued, wholeNumber, withFlags, workersFlag } from './options.js';
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
  'shard-count'?: number;
  fresh: boolean;
  'dry-run': boolean;
}

const SHOW_PER_KIND = 20;

export const exploreCommand: CommandModule<object, ExploreArgs> = {
  command: 'explore [scenario]',
  describe: 'Run many seeds of a scenario in parallel and report the failing ones',
  builder: (y: Argv<object>) =>
    withFlags(y, seedsFlag('Seed range A..B, inclusive (default: the scenario\'s seeds:, smallest to largest)'), workersFlag,
      shardFlags('Run only shard i of n: every n-th seed starting at the i-th (e.g. 2/4)'), scenarioFlags, quietFlag('Print only the failing seeds'),
      mergeFlag('Merge the reports of every shard (JSON files, or folders holding them; any order) into one report instead of running'),
      freshFlag('Start over, discarding the journal beside the report (REPORT.journal.jsonl) instead of resuming it'),
      dryRunFlag('Check the arguments and say what would run (which shard, how many seeds), then stop'))
      .positional('scenario', { type: 'string', describe: 'Scenario YAML file' })
      .option('stop-after', valued(wholeNumber('--stop-after', 1, 'a whole number, at least 1'), { describe: 'Stop after the first N failing seeds in seed order' }))
      .option('check-determinism', valued(wholeNumber('--check-determinism', 1, 'a whole number, at least 1'), { describe: 'Also run every k-th seed twice (on another worker) and compare the traces\' digests' }))
      .option('report', valued(text('--report'), { describe: 'Report file (JSON; the CSV is written beside it). Default results/<scenario>/explore-A-B[-shard-i-of-n].json' }))
      .example('$0 explore scenarios/reordering-rare.yaml --seeds 1..1000', 'Every seed from 1 to 1000 on all cores')
      .example('$0 explore scenarios/reordering-rare.yaml --seeds 1..1000 --shard 2/4', 'This machine\'s quarter of the range')
      .example('$0 explore --merge a.json b.json c.json d.json --report all.json', 'Join the shard reports') as Argv<ExploreArgs>,
  handler: async (argv: ArgumentsCamelCase<ExploreArgs>) => {
    const report = argv.merge !== undefined ? merge(argv) : await run(argv);
    if (report === null) return;
    if (report.seeds_failed > 0 || report.determinism.nondeterministic.length > 0) process.exitCode = EXIT_FAILED;
  },
};

/** The most seeds one explore run takes (its seed list is held in memory). */
export const MAX_EXPLORE_SEEDS = 10_000_000;

async function run(argv: ArgumentsCamelCase<ExploreArgs>): Promise<ExploreReport | null> {
  if (argv.scenario === undefined) throw userError('explore', 'expected a scenario file (or --merge with reports)');
  const workers = argv.workers ?? defaultWorkers();
  const stopAfter = argv['stop-after'];
  const every = argv['check-determinism'];
  const choice = chooseShard(argv.shard, argv['shard-count'], process.env);
  const shard = choice?.shard ?? WHOLE;
  const loaded = loadScenarioFile(argv.scenario, runOverrides(argv));
  const range = seedRangeOf(argv.seeds, loaded.scenario.seeds, '1..1000');
  const scenarioArg = argv.scenario;
  const total = shardSeedCount(range, shard);
  // docs/errors.md, "Limits": the seeds of one run are listed in memory.
  if (total > MAX_EXPLORE_SEEDS) throw userError('--seeds', `expected at most ${MAX_EXPLORE_SEEDS.toLocaleString('en-US')} seeds in one run, found ${total.toLocaleString('en-US')}; split the range with --shard i/n or into ranges run one after another`);
  checkRunSize(loaded.scenario, argv.scenario, 'none');
  const label = `vcsim explore ${loaded.scenario.name}`;
  const file = argv.report ?? join('results', loaded.scenario.name, `explore-${range.first}-${range.last}${shard.count > 1 ? `-shard-${shard.index}-of-${shard.count}` : ''}.json`);
  const journal = journalPath(file);
  // Always said, even with --quiet: a batch engine's log must show which shard ran.
  if (choice !== null) process.stderr.write(shardLine('vcsim explore', choice) + '\n');
  if (!argv.quiet || argv['dry-run']) {
    process.stderr.write(`${label}: seeds ${range.first}..${range.last}${shard.count > 1 ? ` shard ${shard.index}/${shard.count}` : ''} (${total} seeds), ${Math.min(workers, Math.max(total, 1))} worker(s), report ${file}\n`);
  }
  if (argv['dry-run']) {
    process.stderr.write(`${label}: dry run: nothing was run\n`);
    return null;
  }
  prepareOutputFile(reportFlag(argv), file);
  const bar = progress(label, !argv.quiet);
  let doneNow = 0;
  let resumed = 0;
  let warned = false;
  const hint = (): void => {
    process.stderr.write(`\n${label}: ${doneNow} seed(s) finished are kept in ${journal}; run the same command again to resume\n`);
  };
  process.prependOnceListener('SIGINT', hint);
  const started = Date.now();
  let report: ExploreReport;
  try {
    report = await explore({
      input: loaded.input,
      origin: argv.scenario,
      range,
      shard,
      workers,
      stopAfter,
      determinismEvery: every,
      journal,
      fresh: argv.fresh,
      command: (seed) => reproduceCommand({ ...argv, scenario: scenarioArg }, seed),
      onProgress: (p) => {
        if (p.damaged.length > 0 && !warned) {
          warned = true;
          process.stderr.write(`${label}: ${journal}: line(s) ${p.damaged.join(', ')} torn or damaged (checksum); dropped, those seeds are run again\n`);
        }
        doneNow = p.done;
        resumed = p.resumed;
        bar.update(p.done, p.total, `${p.failed} failed${p.resumed > 0 ? `, ${p.resumed} resumed` : ''}${p.stopping ? ' (stopping)' : ''}`);
      },
    });
  } finally {
    bar.finish();
    process.removeListener('SIGINT', hint);
  }
  const seconds = (Date.now() - started) / 1000;
  write(report, file, reportFlag(argv));
  const fresh = Math.max(0, doneNow - resumed);
  print(report, file, argv.quiet, `${seconds.toFixed(2)}s, ${Math.round(fresh / Math.max(seconds, 1e-3))} seeds/s${resumed > 0 ? `; ${resumed} seed(s) resumed from ${journal}, ${fresh} run now` : ''}`);
  return report;
}

export function journalPath(jsonFile: string): string {
  return (jsonFile.endsWith('.json') ? jsonFile.slice(0, -5) : jsonFile) + '.journal.jsonl';
}

/** The report files a --merge argument names: the file itself, or a folder's *.json files. */
function reportFiles(arg: string): string[] {
  if (!existsSync(arg)) throw userError(arg, 'does not exist (expected an explore report or a folder holding one)');
  if (!statSync(arg).isDirectory()) return [arg];
  const files = readdirSync(arg).filter((f) => f.endsWith('.json')).sort().map((f) => join(arg, f));
  if (files.length === 0) throw userError(arg, 'holds no explore report (*.json)');
  return files;
}

function merge(argv: ArgumentsCamelCase<ExploreArgs>): ExploreReport | null {
  const files = (argv.merge ?? []).flatMap(reportFiles);
  if (argv.scenario !== undefined) throw userError('--merge', 'expected only report files with --merge, not a scenario');
  const reports = files.map((f) => {
    try {
      return JSON.parse(readFileSync(f, 'utf8')) as ExploreReport;
    } catch (e) {
      throw userError(f, e instanceof SyntaxError ? 'expected an explore report (JSON written by vcsim explore), found text that is not one JSON value' : 'cannot be read');
    }
  });
  const report = mergeReports(reports, files);
  if (argv['dry-run']) {
    process.stderr.write(`vcsim explore: dry run: ${files.length} report(s) would merge; nothing was written\n`);
    return null;
  }
  const file = argv.report ?? join('results', report.scenario, `explore-${report.seeds.first}-${report.seeds.last}-merged.json`);
  write(report, file, reportFlag(argv));
  print(report, file, argv.quiet, `merged ${files.length} reports`);
  return report;
}

function write(report: ExploreReport, file: string, flag: string): void {
  writeOutputFile(flag, file, reportJson(report));
  writeOutputFile(flag, csvPath(file), reportCsv(report));
}

/** The flag an output problem names: --report, or the default location vcsim chose. */
function reportFlag(argv: { report?: string }): string {
  return argv.report !== undefined ? '--report' : '--report (default)';
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

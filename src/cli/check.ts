// `vcsim check [paths...]`: the CI regression run. Runs every scenario with expectations for
// its pinned seeds, checks them, compares each run with its committed baseline (figure by
// figure, and the digest, with the first differing event shown as replay shows it), checks
// determinism, and writes JUnit XML and JSON for CI. `--update` rewrites the baselines.
// Exit 0 when everything held, 1 when anything failed or changed, 2 on bad input.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { DEFAULT_BASELINES } from '../ci/baseline.js';
import { runCheck, type CheckReport, type ScenarioCheck, type SeedCheck } from '../ci/check.js';
import type { FigureChange } from '../ci/compare.js';
import { junitXml } from '../ci/junit.js';
import { writeFileAtomic } from '../util/atomic.js';
import { EXIT_FAILED } from '../util/errors.js';
import { defaultWorkers } from '../repro/explore.js';
import { sideBySide } from './diff.js';
import { progress } from './progress.js';
import { quietFlag, text, valued, withFlags, workersFlag } from './options.js';

export interface CheckArgs {
  paths: string[];
  update: boolean;
  junit?: string;
  json?: string;
  baselines: string;
  workers?: number;
  determinism: boolean;
  quiet: boolean;
}

/** Changed figures shown per seed in the terminal (all of them are in --json). */
const SHOW_FIGURES = 20;

export const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check [paths..]',
  describe: 'Run the scenarios that carry expectations for their pinned seeds and compare each with its baseline (CI)',
  builder: (y: Argv<object>) =>
    withFlags(y, workersFlag, quietFlag('Print only failures and the final count'))
      .positional('paths', { type: 'string', array: true, default: ['scenarios'], describe: 'Scenario files or folders (default scenarios/)' })
      .option('update', { type: 'boolean', default: false, describe: 'Rewrite the baselines for what ran and print what changed' })
      .option('junit', valued(text('--junit'), { describe: 'Write a JUnit XML report here (one test case per scenario and seed)' }))
      .option('json', valued(text('--json'), { describe: 'Write the machine-readable report (JSON) here' }))
      .option('baselines', valued(text('--baselines'), { default: DEFAULT_BASELINES, describe: 'Folder of the committed baselines' }))
      .option('determinism', { type: 'boolean', default: true, describe: 'Run each seed twice and compare the digests (--no-determinism skips it)' })
      .example('$0 check', 'Check every scenario under scenarios/ against results/baselines/')
      .example('$0 check --junit results/check.xml --json results/check.json', 'The same, with reports for CI')
      .example('$0 check scenarios/partition.yaml --update', 'Accept a deliberate behaviour change (then commit results/baselines/)') as Argv<CheckArgs>,
  handler: async (argv: ArgumentsCamelCase<CheckArgs>) => {
    const workers = argv.workers ?? defaultWorkers();
    const bar = progress('vcsim check', !argv.quiet);
    const report = await runCheck({
      paths: argv.paths.length > 0 ? argv.paths : ['scenarios'],
      baselines: argv.baselines,
      update: argv.update,
      workers,
      determinism: argv.determinism,
      onProgress: (done, total) => bar.update(done, total, 'runs'),
    });
    bar.finish();
    if (argv.json !== undefined) write(argv.json, JSON.stringify(report, null, 2) + '\n');
    if (argv.junit !== undefined) write(argv.junit, junitXml(report, explain));
    process.stdout.write(print(report, argv.quiet).join('\n') + '\n');
    if (!report.ok) process.exitCode = EXIT_FAILED;
  },
};

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, text);
}

export function print(r: CheckReport, quiet: boolean): string[] {
  const out: string[] = [];
  for (const s of r.scenarios) {
    for (const seed of s.seeds) {
      if (!seed.ok) out.push(`FAIL ${s.scenario} seed ${seed.seed} (${s.file})`, ...explain(s, seed).map((l) => `  ${l}`));
      else if (seed.baseline.updated) out.push(`updated ${s.scenario} seed ${seed.seed}: ${held(seed)}`, ...changes(seed).map((l) => `  ${l}`));
      else if (!quiet) out.push(`ok   ${s.scenario} seed ${seed.seed}: ${held(seed)}; same as the baseline${seed.determinism ? '; deterministic' : ''}`);
    }
    if (s.baseline_written) out.push(`wrote ${s.baseline_file}`);
  }
  for (const k of r.skipped) if (!quiet) out.push(`skip ${k.scenario} (${k.file}): ${k.reason}, so vcsim check does not run it`);
  out.push(`vcsim check: ${r.runs - r.failed} passed, ${r.failed} failed (${r.runs} scenario-seed runs in ${r.scenarios.length} scenarios), ${r.skipped.length} scenarios skipped${r.update ? '; baselines updated' : ''}`);
  return out;
}

function held(seed: SeedCheck): string {
  const ok = seed.expectations.filter((e) => e.ok);
  return `${ok.length}/${seed.expectations.length} expectations held (${ok.map((e) => `${e.path} ${shownExpected(e.expected)}`).join(', ')})`;
}

function shownExpected(expected: string): string {
  return /^(==|!=|>=|<=|>|<)/.test(expected) ? expected : `== ${expected}`;
}

/** Why a seed failed: failed expectations, nondeterminism, what changed from the baseline. */
export function explain(_s: ScenarioCheck, seed: SeedCheck): string[] {
  const out: string[] = [];
  for (const e of seed.expectations.filter((x) => !x.ok)) {
    out.push(e.missing ? `expectation ${e.path}: no such figure in the summary (expected ${shownExpected(e.expected)})` : `expectation failed: ${e.path} expected ${shownExpected(e.expected)}, measured ${JSON.stringify(e.measured)}`);
  }
  if (seed.determinism && !seed.determinism.ok) {
    out.push(`NONDETERMINISTIC: two runs gave digests ${seed.determinism.digests.join(' and ')}; find the first difference with: ${seed.command} --check-determinism`);
  }
  if (!seed.baseline.updated && seed.baseline.status !== 'same') out.push(...changes(seed));
  if (out.length > 0) out.push(`reproduce: ${seed.command}`);
  return out;
}

/** What changed from the baseline, figure by figure, then the digest and the first differing event. */
function changes(seed: SeedCheck): string[] {
  const b = seed.baseline;
  if (b.status === 'missing') return [b.updated ? `new baseline (digest ${b.digest.measured})` : b.note];
  if (b.status === 'same') return [];
  const out = [`changed from the baseline (${b.figures.length} figure(s)${b.digest.baseline !== b.digest.measured ? ' and the trace digest' : ''}):`];
  for (const f of b.figures.slice(0, SHOW_FIGURES)) out.push(`  ${change(f)}`);
  if (b.figures.length > SHOW_FIGURES) out.push(`  ... and ${b.figures.length - SHOW_FIGURES} more figures (--json lists them all)`);
  if (b.added.length > 0) out.push(`  new figures not in the baseline: ${b.added.join(', ')}`);
  if (b.removed.length > 0) out.push(`  figures gone since the baseline: ${b.removed.join(', ')}`);
  if (b.digest.baseline !== b.digest.measured) {
    out.push(`  digest ${b.digest.baseline ?? '(none)'} -> ${b.digest.measured}`);
    if (b.header.length > 0) out.push(`  the trace header differs (scenario or version): ${b.header.slice(0, SHOW_FIGURES).map(change).join('; ')}`);
    const d = b.first_difference;
    if (d !== null) out.push(...sideBySide(d.line, d.baseline, d.now, ['baseline', 'now']).map((l) => `  ${l}`));
    if (b.note !== '') out.push(`  ${b.note}`);
  }
  return out;
}

function change(f: FigureChange): string {
  const v = (x: unknown): string => (x === undefined ? '(absent)' : JSON.stringify(x));
  return `${f.path}: ${v(f.baseline)} -> ${v(f.measured)}${delta(f)}`;
}

function delta(f: FigureChange): string {
  if (typeof f.baseline !== 'number' || typeof f.measured !== 'number') return '';
  const d = f.measured - f.baseline;
  return ` (${d > 0 ? '+' : ''}${Math.round(d * 1e6) / 1e6})`;
}

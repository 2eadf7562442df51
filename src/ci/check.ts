// `vcsim check` as a function: finds the scenarios under the given paths, runs every one that
// carries expectations for each of its pinned seeds (`seeds:`, else `seed:`) on a pool of
// worker threads, checks the expectations, runs each seed a second time for determinism
// (digests must agree), compares each run with its committed baseline, and with `update`
// rewrites the baselines for what ran. The report is a function of the scenarios, the
// baselines and the vcsim version only: results are gathered per job and kept in file and
// seed order, never in the order workers finish, and no wall time enters it.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, relative, sep } from 'node:path';
import type { ExpectationResult } from '../export/expect.js';
import type { RunResult } from '../api/index.js';
import { jobPool, runCarried, type Job } from '../repro/jobs.js';
import { loadScenarioFile, type LoadedScenario } from '../scenario/load.js';
import { userError, UserError, type Problem } from '../util/errors.js';
import { VERSION } from '../util/version.js';
import { BASELINE_FORMAT, baselineFile, figuresOf, readBaseline, writeBaseline, writeTrace, type Baseline, type SeedBaseline } from './baseline.js';
import { compareRun, type BaselineComparison } from './compare.js';
import { shellQuote } from '../util/shell.js';

export const CHECK_FORMAT = 'vcsim-check/1';

export interface CheckOptions {
  /** Scenario files and folders (folders: every .yaml/.yml in them, recursively). */
  readonly paths: readonly string[];
  readonly baselines: string;
  readonly update: boolean;
  /** Worker threads; 1 runs in this thread. */
  readonly workers: number;
  /** Run each seed twice and compare digests (default true). */
  readonly determinism?: boolean;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface SeedCheck {
  readonly seed: number;
  readonly ok: boolean;
  readonly expectations: readonly ExpectationResult[];
  readonly baseline: BaselineComparison;
  /** Null when not checked; else both digests and whether they agree. */
  readonly determinism: { readonly ok: boolean; readonly digests: readonly string[] } | null;
  readonly command: string;
}

export interface ScenarioCheck {
  readonly file: string;
  readonly scenario: string;
  readonly baseline_file: string;
  /** True when --update wrote the baseline file (its text changed). */
  readonly baseline_written: boolean;
  readonly seeds: readonly SeedCheck[];
}

export interface CheckReport {
  readonly format: typeof CHECK_FORMAT;
  readonly vcsim: string;
  readonly ok: boolean;
  readonly update: boolean;
  readonly runs: number;
  readonly failed: number;
  readonly scenarios: readonly ScenarioCheck[];
  /** Scenarios found but not checked, and why (no `expect:` block). */
  readonly skipped: readonly { readonly file: string; readonly scenario: string; readonly reason: string }[];
}

interface Target {
  readonly file: string;
  readonly loaded: LoadedScenario;
  readonly seeds: readonly number[];
  readonly baseline: Baseline | null;
}

/** The scenario files under the paths, each once, in sorted order per path. */
export function scenarioFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const problems: Problem[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (['.yaml', '.yml'].includes(extname(name))) out.push(p);
    }
  };
  for (const p of paths) {
    if (!existsSync(p)) problems.push({ where: p, path: '', message: 'no such file or folder' });
    else if (statSync(p).isDirectory()) walk(p);
    else out.push(p);
  }
  if (problems.length > 0) throw new UserError(problems);
  return [...new Set(out.map((f) => {
    const rel = relative('.', f);
    return rel === '' || rel.startsWith('..') ? f : rel.split(sep).join('/');
  }))];
}

export async function runCheck(opts: CheckOptions): Promise<CheckReport> {
  const files = scenarioFiles(opts.paths);
  if (files.length === 0) throw userError(opts.paths.join(' '), 'expected scenario files (.yaml), found none');
  const targets: Target[] = [];
  const skipped: { file: string; scenario: string; reason: string }[] = [];
  const problems: Problem[] = [];
  const byName = new Map<string, string>();
  for (const file of files) {
    let loaded: LoadedScenario;
    try {
      loaded = loadScenarioFile(file);
    } catch (e) {
      if (e instanceof UserError) {
        problems.push(...e.problems);
        continue;
      }
      throw e;
    }
    const sc = loaded.scenario;
    if (Object.keys(sc.expect).length === 0) {
      skipped.push({ file, scenario: sc.name, reason: 'no expect: block' });
      continue;
    }
    const other = byName.get(sc.name);
    if (other !== undefined) {
      problems.push({ where: file, path: 'name', message: `expected a scenario name of its own: "${sc.name}" is also the name of ${other}, and baselines are kept by name` });
      continue;
    }
    byName.set(sc.name, file);
    let baseline: Baseline | null = null;
    try {
      baseline = readBaseline(opts.baselines, sc.name);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      if (!opts.update) problems.push(...e.problems);
    }
    targets.push({ file, loaded, seeds: sc.seeds ?? [sc.seed], baseline });
  }
  if (problems.length > 0) throw new UserError(problems);

  const tmp = mkdtempSync(join(tmpdir(), 'vcsim-check-'));
  try {
    const runs = await runAll(targets, opts, tmp);
    const scenarios = targets.map((t, ti) => judge(t, runs[ti], opts, tmp, ti));
    const all = scenarios.flatMap((s) => s.seeds);
    const failed = all.filter((s) => !s.ok).length;
    return { format: CHECK_FORMAT, vcsim: VERSION, ok: failed === 0, update: opts.update, runs: all.length, failed, scenarios, skipped };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

interface SeedRuns {
  readonly first: RunResult;
  readonly second: RunResult | null;
}

function tracePathOf(tmp: string, ti: number, seed: number): string {
  return join(tmp, `${ti}-${seed}.jsonl`);
}

/** Every seed of every target, twice with the determinism check, on the pool. */
async function runAll(targets: readonly Target[], opts: CheckOptions, tmp: string): Promise<SeedRuns[][]> {
  const twice = opts.determinism ?? true;
  const jobs: { ti: number; si: number; second: boolean; job: Extract<Job, { type: 'scenario' }> }[] = [];
  targets.forEach((t, ti) => t.seeds.forEach((seed, si) => {
    const base = { type: 'scenario' as const, input: t.loaded.input, origin: t.file, seed };
    jobs.push({ ti, si, second: false, job: { ...base, tracePath: tracePathOf(tmp, ti, seed), checker: 'on' } });
    if (twice) jobs.push({ ti, si, second: true, job: { ...base, tracePath: null, checker: 'off' } });
  }));
  const workers = Math.max(1, Math.min(opts.workers, jobs.length));
  const pool = workers > 1 ? jobPool(workers, null, 'vcsim check') : null;
  const firsts: RunResult[][] = targets.map(() => []);
  const seconds: (RunResult | null)[][] = targets.map((t) => t.seeds.map(() => null));
  let done = 0;
  opts.onProgress?.(0, jobs.length);
  try {
    await Promise.all(jobs.map(async (j) => {
      const r = pool ? await pool.run<RunResult>(j.job) : await runCarried(j.job);
      if (j.second) seconds[j.ti][j.si] = r;
      else firsts[j.ti][j.si] = r;
      opts.onProgress?.(++done, jobs.length);
    }));
  } finally {
    await pool?.close();
  }
  return targets.map((t, ti) => t.seeds.map((_, si) => ({ first: firsts[ti][si], second: seconds[ti][si] })));
}

function judge(t: Target, runs: readonly SeedRuns[], opts: CheckOptions, tmp: string, ti: number): ScenarioCheck {
  const name = t.loaded.scenario.name;
  const seeds: SeedCheck[] = [];
  const next: Record<string, SeedBaseline> = {};
  t.seeds.forEach((seed, si) => {
    const { first, second } = runs[si];
    const digest = first.summary.digest ?? '';
    const figures = figuresOf(first.summary);
    const tracePath = tracePathOf(tmp, ti, seed);
    const old = t.baseline?.seeds[String(seed)];
    const baseline = compareRun(old, figures, digest, tracePath, opts.baselines);
    const determinism = second === null ? null : { ok: second.summary.digest === digest, digests: [digest, second.summary.digest ?? ''] };
    if (opts.update && determinism?.ok !== false) {
      const keep = old !== undefined && old.digest === digest && old.trace !== null && existsSync(join(opts.baselines, old.trace));
      const trace = keep ? old.trace : writeTrace(opts.baselines, name, seed, readFileSync(tracePath));
      next[String(seed)] = { digest, trace, figures };
      if (baseline.status !== 'same' || !keep) baseline.updated = true;
    } else if (old !== undefined) {
      next[String(seed)] = old;
    }
    const expectationsOk = first.expectations.every((e) => e.ok);
    const ok = expectationsOk && determinism?.ok !== false && (baseline.status === 'same' || baseline.updated);
    seeds.push({ seed, ok, expectations: first.expectations, baseline, determinism, command: `vcsim run ${shellQuote(t.file)} --seed ${seed}` });
  });
  let written = false;
  if (opts.update) {
    written = writeBaseline(opts.baselines, { format: BASELINE_FORMAT, scenario: name, vcsim: VERSION, seeds: next });
    removeStaleTraces(opts.baselines, name, next);
  }
  return { file: t.file, scenario: name, baseline_file: baselineFile(opts.baselines, name), baseline_written: written, seeds };
}

/** Deletes kept traces of this scenario that the new baseline no longer names. */
function removeStaleTraces(dir: string, name: string, seeds: Readonly<Record<string, SeedBaseline>>): void {
  const folder = join(dir, name);
  if (!existsSync(folder)) return;
  const kept = new Set(Object.values(seeds).map((s) => s.trace));
  for (const f of readdirSync(folder)) {
    if (/^seed-[0-9]+\.jsonl\.gz$/.test(f) && !kept.has(`${name}/${f}`)) unlinkSync(join(folder, f));
  }
}

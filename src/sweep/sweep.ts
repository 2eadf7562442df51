// A parameter sweep: every point of the varied fields times every seed, run on worker
// threads, each finished run journaled at once (resumable), and at the end the tables and
// the plot written whole. Outputs depend only on the scenario, the --vary flags and the
// seeds: rows are keyed by (point, seed) and sorted, never taken in finishing order.

import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic.js';
import { loadScenarioData, type LoadedScenario } from '../scenario/load.js';
import { UserError, userError, type Problem } from '../util/errors.js';
import { runners, type Runner } from '../repro/runners.js';
import { inGridShard, parseShard, shardText, WHOLE, type SeedRange, type Shard } from '../repro/seeds.js';
import type { Summary } from '../export/summary.js';
import { VERSION } from '../util/version.js';
import { flatten } from './figures.js';
import { differences, Journal, JOURNAL, readSweepJournal, rowKey, type JournalRow, type SweepIdentity } from './journal.js';
import { sweepPlot } from './plot.js';
import { summaryTable, sweepTable, type SweepTable } from './tables.js';
import { pointOverrides, points, varyFlag, type Point, type Vary } from './vary.js';

export const DEFAULT_METRICS = ['anomalies.receiver_died', 'checker.disagree'] as const;

export interface SweepProgress {
  /** Runs finished, counting those found in the journal. */
  readonly done: number;
  readonly total: number;
  /** Runs found in the journal when the sweep started. */
  readonly resumed: number;
  /** Journal lines dropped as torn or damaged (1-based); their runs are redone. */
  readonly damaged: readonly number[];
}

export interface SweepOptions {
  /** The scenario as plain data (LoadedScenario.input). */
  readonly input: Record<string, unknown>;
  /** Names the scenario in problems: its file. */
  readonly origin: string;
  readonly vary: readonly Vary[];
  readonly range: SeedRange;
  readonly outDir: string;
  /** Worker threads; 1 runs in this thread. */
  readonly workers: number;
  /** Figures to plot (dotted paths). Default DEFAULT_METRICS. */
  readonly metrics?: readonly string[];
  /** The causality checker (default on); off for big clusters, where it costs the most. */
  readonly checker?: 'on' | 'off';
  /** Run only this share of the (point, seed) grid (inGridShard); its folder then holds only the journal, for `mergeSweeps`. */
  readonly shard?: Shard;
  /** Discard an existing journal instead of resuming it. */
  readonly fresh?: boolean;
  /** Stops starting runs (the finished ones stay journaled); the result is then incomplete. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: SweepProgress) => void;
  /** Write sweep.csv, sweep-summary.csv and sweep.svg (default true; `vcsim compare` writes its own). */
  readonly write?: boolean;
}

export interface SweepResult {
  readonly complete: boolean;
  readonly points: number;
  readonly runs: number;
  /** Runs done by this call (the rest came from the journal). */
  readonly computed: number;
  readonly resumed: number;
  readonly files: readonly string[];
  /** The tables, when the whole grid is done; null for a shard or an interrupted sweep. */
  readonly table: SweepTable | null;
}

/** Validates every point up front: a bad value fails before anything runs, naming its flag. */
export function loadPoints(input: Record<string, unknown>, origin: string, vary: readonly Vary[]): { points: Point[]; loaded: LoadedScenario[] } {
  const ps = points(vary);
  const problems = new Map<string, Problem>();
  const loaded: LoadedScenario[] = [];
  for (const p of ps) {
    try {
      loaded.push(loadScenarioData(input, origin, pointOverrides(vary, p)));
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      for (const q of e.problems) {
        // `--vary network.los: network.los: unknown field` reads better without the repeated path.
        const own = vary.find((v) => varyFlag(v.path) === q.where);
        const r = own !== undefined && own.path === q.path ? { ...q, path: '' } : q;
        problems.set(`${r.where}|${r.path}|${r.message}`, r);
      }
    }
  }
  if (problems.size > 0) throw new UserError([...problems.values()]);
  return { points: ps, loaded };
}

function metricsFor(checker: 'on' | 'off', wanted: readonly string[] | undefined): readonly string[] {
  const metrics = wanted ?? (checker === 'on' ? DEFAULT_METRICS : DEFAULT_METRICS.filter((m) => !m.startsWith('checker.')));
  const unchecked = checker === 'off' ? metrics.filter((m) => m.startsWith('checker.')) : [];
  if (unchecked.length > 0) throw userError('--metric', `${unchecked.join(', ')} needs the checker, which --checker off switches off`);
  return metrics;
}

function seedList(r: SeedRange): number[] {
  const seeds: number[] = [];
  for (let s = r.first; s <= r.last; s++) seeds.push(s);
  return seeds;
}

export async function sweep(opts: SweepOptions): Promise<SweepResult> {
  const checker = opts.checker ?? 'on';
  const metrics = metricsFor(checker, opts.metrics);
  const { points: ps, loaded } = loadPoints(opts.input, opts.origin, opts.vary);
  const seeds = seedList(opts.range);
  const shard = opts.shard !== undefined && opts.shard.count > 1 ? opts.shard : null;
  const identity: SweepIdentity = {
    vcsim: VERSION,
    scenario: opts.input,
    vary: opts.vary.map((v) => ({ path: v.path, values: v.values })),
    seeds: { first: opts.range.first, last: opts.range.last },
    checker,
    shard: shard === null ? null : shardText(shard),
  };
  mkdirSync(opts.outDir, { recursive: true });
  const journalPath = join(opts.outDir, JOURNAL);
  if (opts.fresh) rmSync(journalPath, { force: true });
  const journal = new Journal(journalPath, identity);
  const mine: { point: Point; seed: number }[] = [];
  for (const point of ps) for (const seed of seeds) if (shard === null || inGridShard(point.index, seed, opts.range, shard)) mine.push({ point, seed });
  const total = mine.length;
  const pending = mine.filter((r) => !journal.done.has(rowKey(r.point.index, r.seed)));
  const resumed = total - pending.length;
  let done = resumed;
  const progress = (): void => opts.onProgress?.({ done, total, resumed, damaged: journal.damaged });

  const count = Math.max(1, Math.min(opts.workers, pending.length));
  const { list, close } = runners(pending.length > 0 ? count : 1, loadScenarioData(opts.input, opts.origin), opts.input, opts.origin);
  // Runs finished in the same turn of the event loop go to the journal in one write (one flush to disk).
  let unwritten: JournalRow[] = [];
  const write = (): void => {
    if (unwritten.length > 0) journal.append(...unwritten);
    unwritten = [];
  };
  let next = 0;
  const lane = async (runner: Runner): Promise<void> => {
    while (next < pending.length && opts.signal?.aborted !== true) {
      const { point, seed } = pending[next++];
      const summary = await runner.run<Summary>({ type: 'summary', overrides: pointOverrides(opts.vary, point), seed, checker });
      if (unwritten.push({ point: point.index, seed, figures: flatten(summary) }) === 1) setImmediate(write);
      done++;
      progress();
    }
  };
  try {
    progress();
    // One lane per job a runner is given at once (a worker thread gets two: src/repro/runners.ts).
    await Promise.all(list.flatMap((r) => Array.from({ length: r.depth }, () => lane(r))));
  } finally {
    write();
    journal.close();
    await close();
  }
  const computed = done - resumed;
  if (done < total) return { complete: false, points: ps.length, runs: done, computed, resumed, files: [JOURNAL], table: null };
  if (shard !== null) return { complete: true, points: ps.length, runs: total, computed, resumed, files: [JOURNAL], table: null };

  const rows = mine.map((r) => journal.done.get(rowKey(r.point.index, r.seed))!);
  if (opts.write === false) return { complete: true, points: ps.length, runs: total, computed, resumed, files: [JOURNAL], table: sweepTable(opts.vary, ps, rows) };
  const table = writeTables(opts.outDir, String(loaded[0].scenario.name), opts.vary, ps, rows, metrics, seeds.length);
  return { complete: true, points: ps.length, runs: total, computed, resumed, files: [JOURNAL, ...TABLES], table };
}

export const TABLES = ['sweep.csv', 'sweep-summary.csv', 'sweep.svg'] as const;

/** Writes sweep.csv, sweep-summary.csv and sweep.svg from every run, in point then seed order. */
function writeTables(outDir: string, name: string, vary: readonly Vary[], ps: readonly Point[], rows: readonly JournalRow[], metrics: readonly string[], seeds: number): SweepTable {
  const table = sweepTable(vary, ps, rows);
  const missing = metrics.filter((m) => !table.figures.includes(m));
  if (missing.length > 0) {
    throw new UserError(missing.map((m) => ({ where: '--metric', path: '', message: `no run has a figure ${JSON.stringify(m)}; the figures are the columns of sweep.csv after seed (the runs are kept: rerun with another --metric)` })));
  }
  mkdirSync(outDir, { recursive: true });
  writeFileAtomic(join(outDir, 'sweep.csv'), table.csv);
  writeFileAtomic(join(outDir, 'sweep-summary.csv'), summaryTable(table));
  writeFileAtomic(join(outDir, 'sweep.svg'), sweepPlot({ scenario: name, vary, points: ps, table, metrics, seeds }));
  return table;
}

export interface MergeResult {
  readonly points: number;
  readonly runs: number;
  readonly shards: number;
  readonly files: readonly string[];
  readonly table: SweepTable;
}

/**
 * Joins the folders of a sweep's shards (each written by `sweep` with a shard, holding its
 * journal) into the tables one run over the whole grid writes, byte for byte. The folders
 * may come in any order; every shard 1..n must be there exactly once, complete, and of the
 * same sweep, or nothing is written (docs/scale-out.md, "Merging").
 */
export function mergeSweeps(folders: readonly string[], outDir: string, wanted?: readonly string[]): MergeResult {
  if (folders.length === 0) throw userError('--merge', 'expected at least one shard folder to merge');
  const parts = folders.map((folder) => {
    const path = existsSync(folder) && statSync(folder).isDirectory() ? join(folder, JOURNAL) : folder;
    if (!existsSync(path)) throw userError(folder, `expected a shard's folder holding ${JOURNAL} (written by vcsim sweep --shard i/n --out FOLDER)`);
    const c = readSweepJournal(path);
    const shard = c.identity.shard === null ? WHOLE : parseShard(c.identity.shard, path);
    return { folder, path, c, shard };
  });
  const first = parts[0];
  for (const p of parts.slice(1)) {
    const diff = differences(p.c.identity, first.c.identity, true);
    if (diff.length > 0) throw userError(p.folder, `is a shard of another sweep than ${first.folder}: other ${diff.join(', ')}`);
    if (p.shard.count !== first.shard.count) throw userError(p.folder, `holds shard ${shardText(p.shard)}, expected one of ${first.shard.count} shards like ${first.folder} (${shardText(first.shard)})`);
  }
  const n = first.shard.count;
  const problems: Problem[] = [];
  const byIndex = new Map<number, string[]>();
  for (const p of parts) byIndex.set(p.shard.index, [...(byIndex.get(p.shard.index) ?? []), p.folder]);
  for (const [index, fs] of [...byIndex.entries()].sort((a, b) => a[0] - b[0])) {
    if (fs.length > 1) problems.push({ where: '--merge', path: '', message: `shard ${index}/${n} is given more than once: ${fs.join(', ')}` });
  }
  const missing: string[] = [];
  for (let i = 1; i <= n; i++) if (!byIndex.has(i)) missing.push(`${i}/${n}`);
  if (missing.length > 0) problems.push({ where: '--merge', path: '', message: `missing shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (have ${[...byIndex.keys()].sort((a, b) => a - b).map((i) => `${i}/${n}`).join(', ')})` });
  if (problems.length > 0) throw new UserError(problems);

  const id = first.c.identity;
  const vary: Vary[] = id.vary.map((v) => ({ path: v.path, values: v.values as Vary['values'] }));
  const { points: ps, loaded } = loadPoints(id.scenario, first.path, vary);
  const metrics = metricsFor(id.checker, wanted);
  const range = id.seeds;
  const seeds = seedList(range);
  const rows: JournalRow[] = [];
  for (const point of ps) {
    for (const seed of seeds) {
      const p = parts.find((x) => inGridShard(point.index, seed, range, x.shard))!;
      const row = p.c.done.get(rowKey(point.index, seed));
      if (row === undefined) {
        let own = 0;
        let count = 0;
        for (const q of ps) {
          for (const s of seeds) {
            if (!inGridShard(q.index, s, range, p.shard)) continue;
            own++;
            if (!p.c.done.has(rowKey(q.index, s))) count++;
          }
        }
        throw userError(p.folder, `shard ${shardText(p.shard)} is not finished: ${count} of its ${own} runs are missing; run it again with the same arguments to finish it`);
      }
      rows.push(row);
    }
  }
  const table = writeTables(outDir, String(loaded[0].scenario.name), vary, ps, rows, metrics, seeds.length);
  return { points: ps.length, runs: rows.length, shards: n, files: [...TABLES], table };
}

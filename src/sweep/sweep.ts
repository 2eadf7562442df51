// A parameter sweep: every point of the varied fields times every seed, run on worker
// threads, each finished run journaled at once (resumable), and at the end the tables and
// the plot written whole. Outputs depend only on the scenario, the --vary flags and the
// seeds: rows are keyed by (point, seed) and sorted, never taken in finishing order.

import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic.js';
import { loadScenarioData, type LoadedScenario } from '../scenario/load.js';
import { UserError, userError, type Problem } from '../util/errors.js';
import { jobPool, runSummary } from '../repro/jobs.js';
import type { SeedRange } from '../repro/seeds.js';
import type { Summary } from '../export/summary.js';
import { VERSION } from '../util/version.js';
import { flatten } from './figures.js';
import { Journal, JOURNAL, rowKey, type JournalRow, type SweepIdentity } from './journal.js';
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

export async function sweep(opts: SweepOptions): Promise<SweepResult> {
  const checker = opts.checker ?? 'on';
  const metrics = opts.metrics ?? (checker === 'on' ? DEFAULT_METRICS : DEFAULT_METRICS.filter((m) => !m.startsWith('checker.')));
  const unchecked = checker === 'off' ? metrics.filter((m) => m.startsWith('checker.')) : [];
  if (unchecked.length > 0) throw userError('--metric', `${unchecked.join(', ')} needs the checker, which --checker off switches off`);
  const { points: ps, loaded } = loadPoints(opts.input, opts.origin, opts.vary);
  const seeds: number[] = [];
  for (let s = opts.range.first; s <= opts.range.last; s++) seeds.push(s);
  const identity: SweepIdentity = {
    vcsim: VERSION,
    scenario: opts.input,
    vary: opts.vary.map((v) => ({ path: v.path, values: v.values })),
    seeds: { first: opts.range.first, last: opts.range.last },
    checker,
  };
  mkdirSync(opts.outDir, { recursive: true });
  const journalPath = join(opts.outDir, JOURNAL);
  if (opts.fresh) rmSync(journalPath, { force: true });
  const journal = new Journal(journalPath, identity);
  const total = ps.length * seeds.length;
  const pending: { point: Point; seed: number }[] = [];
  for (const point of ps) for (const seed of seeds) if (!journal.done.has(rowKey(point.index, seed))) pending.push({ point, seed });
  const resumed = total - pending.length;
  let done = resumed;
  const progress = (): void => opts.onProgress?.({ done, total, resumed });

  const workers = Math.max(1, Math.min(opts.workers, pending.length));
  const pool = workers > 1 && pending.length > 0 ? jobPool(workers, opts.input, opts.origin) : null;
  const runOne = (point: Point, seed: number): Promise<Summary> =>
    pool ? pool.run<Summary>({ type: 'summary', overrides: pointOverrides(opts.vary, point), seed, checker }) : runSummary(loaded[point.index], [], seed, checker);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < pending.length && opts.signal?.aborted !== true) {
      const { point, seed } = pending[next++];
      const summary = await runOne(point, seed);
      journal.append({ point: point.index, seed, figures: flatten(summary) });
      done++;
      progress();
    }
  };
  try {
    progress();
    await Promise.all(Array.from({ length: workers }, () => lane()));
  } finally {
    journal.close();
    await pool?.close();
  }
  const computed = done - resumed;
  if (done < total) return { complete: false, points: ps.length, runs: done, computed, resumed, files: [JOURNAL], table: null };

  const rows: JournalRow[] = [];
  for (const point of ps) for (const seed of seeds) rows.push(journal.done.get(rowKey(point.index, seed))!);
  const table = sweepTable(opts.vary, ps, rows);
  if (opts.write === false) return { complete: true, points: ps.length, runs: total, computed, resumed, files: [JOURNAL], table };
  const missing = metrics.filter((m) => !table.figures.includes(m));
  if (missing.length > 0) {
    throw new UserError(missing.map((m) => ({ where: '--metric', path: '', message: `no run has a figure ${JSON.stringify(m)}; the figures are the columns of sweep.csv after seed (the runs are kept: rerun with another --metric)` })));
  }
  writeFileAtomic(join(opts.outDir, 'sweep.csv'), table.csv);
  writeFileAtomic(join(opts.outDir, 'sweep-summary.csv'), summaryTable(table));
  writeFileAtomic(join(opts.outDir, 'sweep.svg'), sweepPlot({ scenario: String(loaded[0].scenario.name), vary: opts.vary, points: ps, table, metrics, seeds: seeds.length }));
  return { complete: true, points: ps.length, runs: total, computed, resumed, files: [JOURNAL, 'sweep.csv', 'sweep-summary.csv', 'sweep.svg'], table };
}

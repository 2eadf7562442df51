// `vcsim compare`: every clock rule on the same seeds, so every clock sees the same network,
// judged on what it costs on the wire against how often it is wrong (docs/clocks.md,
// "vcsim compare"). Built on the sweep: the clocks are the first varied field, the runs are
// journaled and resumable, and the outputs depend only on the scenario, the flags and the
// seeds, never on the workers (rows keyed by point and seed, in point then seed order).
//
// compare.csv         one row per clock, point and seed
// compare-summary.csv one row per clock, point and figure: n, mean and 95% interval
// frontier.svg        bytes per message (log x) against the share of pairs judged wrong

import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { writeFileAtomic } from '../util/atomic.js';
import { userError } from '../util/errors.js';
import { isClockRuleName, CLOCK_RULE_FORMS } from '../core/rules.js';
import type { SeedRange } from '../repro/seeds.js';
import { fmt, stats, value, type Figures } from './figures.js';
import { JOURNAL } from './journal.js';
import { frontierPlot, type CompareMark } from './frontier.js';
import { sweep, type SweepProgress } from './sweep.js';
import { varyColumn } from './tables.js';
import type { Point, Vary } from './vary.js';

/** The figures compare reports, as (column, how to read it from a run's figures). */
export const COMPARE_FIGURES: readonly (readonly [string, (f: Figures) => number | undefined])[] = [
  ['nodes', (f) => value(f, 'nodes')],
  ['bytes_per_message', (f) => value(f, 'bytes.per_chat_message')],
  ['wrong_share', (f) => {
    const d = value(f, 'checker.disagree');
    const p = value(f, 'checker.pairs');
    return d === undefined || p === undefined ? undefined : p === 0 ? 0 : d / p;
  }],
  ['precision', (f) => value(f, 'checker.precision')],
  ['recall', (f) => value(f, 'checker.recall')],
  ['missed', (f) => value(f, 'checker.missed')],
  ['false_order', (f) => value(f, 'checker.false_order')],
  ['reversed', (f) => value(f, 'checker.reversed')],
  ['pairs', (f) => value(f, 'checker.pairs')],
  ['delivery_ratio', (f) => value(f, 'delivery_ratio')],
];

export interface CompareOptions {
  readonly input: Record<string, unknown>;
  readonly origin: string;
  readonly clocks: readonly string[];
  /** Other varied fields (--vary), after the clocks. */
  readonly vary: readonly Vary[];
  readonly range: SeedRange;
  readonly outDir: string;
  readonly workers: number;
  readonly fresh?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: SweepProgress) => void;
}

export type { CompareMark };

export interface CompareResult {
  readonly complete: boolean;
  readonly runs: number;
  readonly computed: number;
  readonly resumed: number;
  readonly files: readonly string[];
  readonly marks: readonly CompareMark[];
  readonly vary: readonly Vary[];
}

/** `--clocks a,b,c`: rule names, each checked, none twice. */
export function parseClocks(list: string): string[] {
  const clocks = list.split(',').map((c) => c.trim());
  const bad = clocks.filter((c) => !isClockRuleName(c));
  if (clocks.some((c) => c === '')) throw userError('--clocks', `expected a comma list of clock rules with none empty, found ${JSON.stringify(list)}`);
  if (bad.length > 0) throw userError('--clocks', `${bad.map((b) => JSON.stringify(b)).join(', ')}: expected ${CLOCK_RULE_FORMS}`);
  if (new Set(clocks).size !== clocks.length) throw userError('--clocks', 'expected each clock rule once');
  return clocks;
}

export async function compare(opts: CompareOptions): Promise<CompareResult> {
  if (opts.vary.some((v) => v.path === 'protocol.clock')) throw userError('--vary protocol.clock', 'the clocks come from --clocks');
  const vary: Vary[] = [{ path: 'protocol.clock', values: opts.clocks }, ...opts.vary];
  const r = await sweep({
    input: opts.input, origin: opts.origin, vary, range: opts.range, outDir: opts.outDir, workers: opts.workers,
    metrics: [], checker: 'on', fresh: opts.fresh, signal: opts.signal, onProgress: opts.onProgress, write: false,
  });
  if (!r.complete || r.table === null) return { complete: false, runs: r.runs, computed: r.computed, resumed: r.resumed, files: [JOURNAL], marks: [], vary: opts.vary };
  const t = r.table;
  const rest = opts.vary;
  const names = COMPARE_FIGURES.map(([n]) => n);
  const read = (f: Figures): (number | undefined)[] => COMPARE_FIGURES.map(([, get]) => get(f));

  const rows: string[][] = [['clock', ...rest.map(varyColumn), 'seed', ...names]];
  for (const row of t.rows) {
    const p = t.points[row.point];
    rows.push([String(p.values[0]), ...p.values.slice(1).map(String), String(row.seed), ...read(row.figures).map((v) => (v === undefined ? '' : fmt(v)))]);
  }
  const marks: CompareMark[] = t.points.map((p: Point) => {
    const mine = t.rows.filter((row) => row.point === p.index).map((row) => read(row.figures));
    return {
      clock: String(p.values[0]),
      values: p.values.slice(1),
      point: p.index,
      stats: new Map(names.map((n, i) => [n, stats(mine.map((v) => v[i]).filter((v): v is number => v !== undefined))])),
    };
  });
  const summary: string[][] = [['clock', ...rest.map(varyColumn), 'figure', 'n', 'mean', 'ci95_low', 'ci95_high']];
  for (const m of marks) {
    for (const n of names) {
      const s = m.stats.get(n) ?? null;
      const head = [m.clock, ...m.values.map(String), n];
      summary.push(s === null ? [...head, '0', '', '', ''] : [...head, String(s.n), fmt(s.mean), s.ci95 ? fmt(s.ci95[0]) : '', s.ci95 ? fmt(s.ci95[1]) : '']);
    }
  }
  writeFileAtomic(join(opts.outDir, 'compare.csv'), stringify(rows));
  writeFileAtomic(join(opts.outDir, 'compare-summary.csv'), stringify(summary));
  const seeds = opts.range.last - opts.range.first + 1;
  writeFileAtomic(join(opts.outDir, 'frontier.svg'), frontierPlot({ scenario: String(opts.input.name ?? 'scenario'), marks, vary: rest, seeds }));
  return { complete: true, runs: r.runs, computed: r.computed, resumed: r.resumed, files: [JOURNAL, 'compare.csv', 'compare-summary.csv', 'frontier.svg'], marks, vary: rest };
}

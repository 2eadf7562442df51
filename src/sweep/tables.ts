// The sweep's tables. sweep.csv: one row per point and seed, every figure. sweep-summary.csv:
// one row per point and figure with its statistics over the seeds. Both in point order
// (the first --vary outermost), then seed or figure order; columns are in docs/sweeps.md, "Output files (in the output folder)".

import { stringify } from 'csv-stringify/sync';
import { columns, fmt, stats, value, type Stats } from './figures.js';
import type { JournalRow } from './journal.js';
import type { Point, Vary } from './vary.js';

export interface SweepTable {
  readonly vary: readonly Vary[];
  readonly points: readonly Point[];
  /** Every run, in point then seed order. */
  readonly rows: readonly JournalRow[];
  /** Figure names (the columns after `seed`). */
  readonly figures: readonly string[];
  /** Per point index, per figure: statistics over seeds (null when no run had it). */
  readonly stats: ReadonlyMap<number, ReadonlyMap<string, Stats | null>>;
  readonly csv: string;
}

export const varyColumn = (v: Vary): string => `vary.${v.path}`;
export const SUMMARY_STATS = ['n', 'mean', 'median', 'min', 'max', 'ci95_low', 'ci95_high'] as const;

export function sweepTable(vary: readonly Vary[], points: readonly Point[], rows: readonly JournalRow[]): SweepTable {
  const figures = columns(rows.map((r) => r.figures));
  const records: string[][] = [['point', ...vary.map(varyColumn), 'seed', ...figures]];
  for (const r of rows) {
    const p = points[r.point];
    records.push([String(r.point), ...p.values.map(String), String(r.seed), ...figures.map((f) => {
      const v = value(r.figures, f);
      return v === undefined ? '' : fmt(v);
    })]);
  }
  const byPoint = new Map<number, Map<string, Stats | null>>();
  for (const p of points) {
    const mine = rows.filter((r) => r.point === p.index);
    byPoint.set(p.index, new Map(figures.map((f) => [f, stats(mine.map((r) => value(r.figures, f)).filter((v): v is number => v !== undefined))])));
  }
  return { vary, points, rows, figures, stats: byPoint, csv: stringify(records) };
}

export function summaryTable(t: SweepTable): string {
  const records: string[][] = [['point', ...t.vary.map(varyColumn), 'figure', ...SUMMARY_STATS]];
  for (const p of t.points) {
    const st = t.stats.get(p.index)!;
    for (const f of t.figures) {
      const s = st.get(f) ?? null;
      const head = [String(p.index), ...p.values.map(String), f];
      if (s === null) records.push([...head, '0', '', '', '', '', '', '']);
      else records.push([...head, String(s.n), fmt(s.mean), fmt(s.median), fmt(s.min), fmt(s.max), s.ci95 ? fmt(s.ci95[0]) : '', s.ci95 ? fmt(s.ci95[1]) : '']);
    }
  }
  return stringify(records);
}

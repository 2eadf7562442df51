// A run's figures as one flat row (dotted names, numbers only) and the statistics of a
// figure over seeds. Every numeric leaf of the summary is a figure, booleans count as 0/1;
// text, lists and examples are left out. Counts kept as maps (deaths by cause, drops by
// reason) are 0 where a run had none. One derived figure is added: the share of nodes
// whose receiver died.

import type { Summary } from '../export/summary.js';

export type Figures = Record<string, number>;

/** Summary parts that are not figures. */
const SKIP = new Set(['seed', 'digest', 'anomaly_examples', 'orderings']);
/** Maps of counts whose missing keys mean 0. */
const COUNT_MAPS = ['drops_by_reason.', 'receiver_deaths.', 'faults.', 'anomalies.'];

export function flatten(summary: Summary): Figures {
  const out: Figures = {};
  const walk = (v: unknown, path: string): void => {
    if (typeof v === 'number') out[path] = v;
    else if (typeof v === 'boolean') out[path] = v ? 1 : 0;
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v)) if (!(path === '' && SKIP.has(k))) walk(x, path === '' ? k : `${path}.${k}`);
    }
  };
  walk(summary, '');
  out['derived.receiver_died_share'] = summary.nodes === 0 ? 0 : Math.round((summary.anomalies.receiver_died / summary.nodes) * 1e6) / 1e6;
  return out;
}

/** A figure's value in a row: a count map's missing key is 0, anything else missing is absent. */
export function value(f: Figures, name: string): number | undefined {
  const v = f[name];
  if (v !== undefined) return v;
  return COUNT_MAPS.some((p) => name.startsWith(p)) ? 0 : undefined;
}

/**
 * The figure names of many rows, in order: a name first seen in a later row is placed after
 * the name that precedes it there, so related figures stay together whatever the rows hold.
 */
export function columns(rows: Iterable<Figures>): string[] {
  const order: string[] = [];
  const known = new Set<string>();
  for (const r of rows) {
    let prev: string | null = null;
    for (const k of Object.keys(r)) {
      if (!known.has(k)) {
        order.splice(prev === null ? 0 : order.indexOf(prev) + 1, 0, k);
        known.add(k);
      }
      prev = k;
    }
  }
  return order;
}

export interface Stats {
  readonly n: number;
  readonly mean: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** The 95% confidence interval of the mean (Student's t); null below 2 values. */
  readonly ci95: readonly [number, number] | null;
}

/** Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom. */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

export function tQuantile(df: number): number {
  if (df <= T975.length) return T975[df - 1];
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df); // Cornish-Fisher, within 0.001 above 30 df
}

export function stats(values: readonly number[]): Stats | null {
  const n = values.length;
  if (n === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  const median = n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  let ci95: [number, number] | null = null;
  if (n >= 2) {
    let ss = 0;
    for (const v of values) ss += (v - mean) ** 2;
    const half = tQuantile(n - 1) * Math.sqrt(ss / (n - 1) / n);
    ci95 = [mean - half, mean + half];
  }
  return { n, mean, median, min: sorted[0], max: sorted[n - 1], ci95 };
}

/** A figure as written in the tables: at most 6 decimals, no trailing zeros. */
export function fmt(x: number): string {
  const r = Math.round(x * 1e6) / 1e6;
  return String(Object.is(r, -0) ? 0 : r);
}

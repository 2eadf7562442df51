// Expectations: a scenario's `expect:` block checked against a run's Summary (./summary.ts),
// each figure named by its dotted path in summary.json (`checker.missed`). A failed
// expectation is a result (exit code 1), never an error.

import type { Summary } from './summary.js';

export interface ExpectationResult {
  readonly path: string;
  /** As written: `0`, `">= 0.95"`, `true`. */
  readonly expected: string;
  readonly measured: unknown;
  readonly ok: boolean;
  /** Set when the figure does not exist. */
  readonly missing?: boolean;
}

export function checkExpectations(summary: Summary, expect: Readonly<Record<string, number | boolean | string>>): ExpectationResult[] {
  return Object.keys(expect).map((path) => {
    const want = expect[path];
    const measured = figure(summary, path);
    const expected = typeof want === 'string' ? want.trim() : JSON.stringify(want);
    if (measured === undefined) return { path, expected, measured, ok: false, missing: true };
    return { path, expected, measured, ok: holds(measured, want) };
  });
}

/** A figure by dotted path (`anomalies.receiver_died`), or undefined. */
export function figure(summary: Summary, path: string): unknown {
  let cur: unknown = summary;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function holds(measured: unknown, want: number | boolean | string): boolean {
  if (typeof want !== 'string') return measured === want;
  const m = /^\s*(==|!=|>=|<=|>|<)\s*(-?[0-9]+(?:\.[0-9]+)?)\s*$/.exec(want);
  if (!m || typeof measured !== 'number') return false;
  const x = Number(m[2]);
  switch (m[1]) {
    case '==': return measured === x;
    case '!=': return measured !== x;
    case '>=': return measured >= x;
    case '<=': return measured <= x;
    case '>': return measured > x;
    default: return measured < x;
  }
}

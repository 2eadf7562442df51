// What counts as a failure when exploring seeds, and its kind. A seed fails when any of the
// scenario's expectations fails (src/export/expect.ts), figures read by path from the
// summary, so new figures (the checker's, say) take part as soon as they appear there. A
// scenario with no `expect:` block is held to DEFAULT_EXPECT: no receiver may die.
// The failure kind is the sorted list of failed expectation paths: two seeds fail "the same
// way" when the same expectations fail, whatever the measured values.

import { checkExpectations, type ExpectationResult } from '../export/expect.js';
import type { RunResult } from '../api/index.js';

export const DEFAULT_EXPECT: Readonly<Record<string, number>> = { 'anomalies.receiver_died': 0 };

export interface FailedExpectation {
  readonly path: string;
  readonly expected: string;
  readonly measured: unknown;
}

/** One seed's outcome, as plain data (it crosses worker boundaries). */
export interface SeedOutcome {
  readonly seed: number;
  readonly failed: boolean;
  /** '' when nothing failed. */
  readonly kind: string;
  readonly failures: readonly FailedExpectation[];
  readonly nodes: number;
  readonly events: number;
  readonly digest: string;
}

export function expectationsOf(r: RunResult, expect: Readonly<Record<string, number | boolean | string>>): ExpectationResult[] {
  return Object.keys(expect).length > 0 ? r.expectations : checkExpectations(r.summary, DEFAULT_EXPECT);
}

export function outcomeOf(r: RunResult, expect: Readonly<Record<string, number | boolean | string>>): SeedOutcome {
  const failed = expectationsOf(r, expect).filter((e) => !e.ok);
  const failures = failed.map((e) => ({ path: e.path, expected: e.expected, measured: e.measured ?? null }));
  return {
    seed: r.header.seed,
    failed: failed.length > 0,
    kind: failureKind(failed),
    failures,
    nodes: r.summary.nodes,
    events: r.summary.events,
    digest: r.summary.digest ?? '',
  };
}

export function failureKind(failed: readonly { path: string; missing?: boolean }[]): string {
  return [...new Set(failed.map((e) => (e.missing ? `${e.path} (missing)` : e.path)))].sort().join(' + ');
}

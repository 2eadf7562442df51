// The explore report: failing seeds grouped by failure kind, each with the command that
// reproduces it, as JSON (report.json) and CSV (one row per failing seed). Its content
// depends only on the scenario, the seed range, the shards covered and --stop-after, never
// on timing or on the number of workers, so reports compare byte for byte; shard reports
// merge into the report of one run over the whole range.

import { stringify } from 'csv-stringify/sync';
import { UserError, userError, type Problem } from '../util/errors.js';
import { VERSION } from '../util/version.js';
import type { FailedExpectation } from './failure.js';
import { shardSeedCount, shardSeeds, shardText, type SeedRange, type Shard } from './seeds.js';

export const REPORT_FORMAT = 'vcsim-explore/1';

export interface FailingSeed {
  readonly seed: number;
  readonly kind: string;
  readonly failures: readonly FailedExpectation[];
  readonly nodes: number;
  readonly events: number;
  readonly digest: string;
  readonly command: string;
}

export interface KindGroup {
  readonly kind: string;
  readonly count: number;
  readonly seeds: readonly number[];
  /** The command that reproduces the group's first seed. */
  readonly command: string;
}

export interface ExploreReport {
  readonly format: typeof REPORT_FORMAT;
  readonly vcsim: string;
  readonly scenario: string;
  readonly seeds: SeedRange;
  /** The shards this report covers (`2/4`, `1/4,3/4`), or null for the whole range. */
  readonly shard: string | null;
  readonly stop_after: number | null;
  /** With --stop-after: the N-th failing seed, the last seed the report covers. */
  readonly cutoff: number | null;
  readonly seeds_run: number;
  readonly seeds_failed: number;
  readonly kinds: readonly KindGroup[];
  readonly failing: readonly FailingSeed[];
  readonly determinism: {
    readonly every: number | null;
    readonly checked: number;
    readonly nondeterministic: readonly { seed: number; digests: readonly string[]; command: string }[];
  };
}

export interface ReportParts {
  readonly scenario: string;
  readonly range: SeedRange;
  readonly shards: readonly Shard[];
  readonly stopAfter: number | null;
  readonly determinismEvery: number | null;
  readonly failing: readonly FailingSeed[];
  readonly nondeterministic: readonly { seed: number; digests: readonly string[]; command: string }[];
  readonly cutoff: number | null;
}

export function buildReport(p: ReportParts): ExploreReport {
  const upTo = p.cutoff ?? p.range.last;
  const failing = p.failing.filter((f) => f.seed <= upTo).sort((a, b) => a.seed - b.seed);
  const groups = new Map<string, FailingSeed[]>();
  for (const f of failing) {
    const g = groups.get(f.kind);
    if (g) g.push(f);
    else groups.set(f.kind, [f]);
  }
  const kinds = [...groups.entries()]
    .map(([kind, fs]) => ({ kind, count: fs.length, seeds: fs.map((f) => f.seed), command: fs[0].command }))
    .sort((a, b) => b.count - a.count || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  const shards = [...p.shards].sort((a, b) => a.index - b.index);
  const whole = shards.length === shards[0].count;
  let checked = 0;
  if (p.determinismEvery) {
    for (const s of shards) for (const seed of shardSeeds(p.range, s)) {
      if (seed > upTo) break;
      if ((seed - p.range.first) % p.determinismEvery === 0) checked++;
    }
  }
  return {
    format: REPORT_FORMAT,
    vcsim: VERSION,
    scenario: p.scenario,
    seeds: { first: p.range.first, last: p.range.last },
    shard: whole ? null : shards.map(shardText).join(','),
    stop_after: p.stopAfter,
    cutoff: p.cutoff,
    seeds_run: shards.reduce((n, s) => n + shardSeedCount(p.range, s, upTo), 0),
    seeds_failed: failing.length,
    kinds,
    failing,
    determinism: {
      every: p.determinismEvery,
      checked,
      nondeterministic: p.nondeterministic.filter((n) => n.seed <= upTo).sort((a, b) => a.seed - b.seed),
    },
  };
}

function shardsOf(r: ExploreReport, where: string): Shard[] {
  if (r.shard === null) return [{ index: 1, count: 1 }];
  return r.shard.split(',').map((t) => {
    const m = /^([0-9]+)\/([0-9]+)$/.exec(t);
    if (!m) throw userError(where, `expected shards like 2/4 in "shard", found ${JSON.stringify(r.shard)}`);
    return { index: Number(m[1]), count: Number(m[2]) };
  });
}

/** What a parsed file is, when it is not an explore report of this format; null when it is one. */
function notAReport(r: unknown): string | null {
  if (r === null || typeof r !== 'object') return r === null ? 'JSON null' : `a JSON ${typeof r}`;
  if (Array.isArray(r)) return 'a JSON array';
  const format = (r as { format?: unknown }).format;
  if (format === REPORT_FORMAT) return null;
  if (format !== undefined) return `format ${JSON.stringify(format)}`;
  const keys = Object.keys(r);
  return keys.length === 0 ? 'an empty JSON object' : `a JSON object without a "format" field (its fields: ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', ...' : ''})`;
}

/**
 * Joins the reports of all n shards of one exploration, given in any order, into the report
 * of one run over the whole range. A shard given twice or missing is refused, naming it
 * (docs/scale-out.md, "Merging"). `names` name the reports in problems.
 */
export function mergeReports(reports: readonly ExploreReport[], names: readonly string[]): ExploreReport {
  if (reports.length === 0) throw userError('--merge', 'expected at least one report to merge');
  const first = reports[0];
  const shards: Shard[] = [];
  const owner = new Map<number, string>();
  const problems: Problem[] = [];
  reports.forEach((r, i) => {
    const where = names[i];
    const what = notAReport(r);
    if (what !== null) throw userError(where, `expected an explore report (JSON with "format": "${REPORT_FORMAT}", written by vcsim explore), found ${what}`);
    const same = (what: string, a: unknown, b: unknown): void => {
      if (JSON.stringify(a) !== JSON.stringify(b)) throw userError(where, `expected the same ${what} as ${names[0]} (${JSON.stringify(b)}), found ${JSON.stringify(a)}`);
    };
    same('scenario', r.scenario, first.scenario);
    same('seed range', r.seeds, first.seeds);
    same('--stop-after', r.stop_after, first.stop_after);
    same('determinism sample', r.determinism.every, first.determinism.every);
    for (const s of shardsOf(r, where)) {
      if (shards.length > 0 && s.count !== shards[0].count) throw userError(where, `expected shards of ${shards[0].count}, found ${shardText(s)}`);
      const had = owner.get(s.index);
      if (had !== undefined) {
        problems.push({ where: '--merge', path: '', message: `shard ${shardText(s)} is given more than once: ${had}, ${where}` });
        continue;
      }
      owner.set(s.index, where);
      shards.push(s);
    }
  });
  const n = shards[0].count;
  const missing: string[] = [];
  for (let i = 1; i <= n; i++) if (!owner.has(i)) missing.push(`${i}/${n}`);
  if (missing.length > 0) {
    const have = [...owner.keys()].sort((a, b) => a - b).map((i) => `${i}/${n}`);
    problems.push({ where: '--merge', path: '', message: `missing shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (have ${have.join(', ')})` });
  }
  if (problems.length > 0) throw new UserError(problems);
  const stopAfter = first.stop_after;
  const failing = reports.flatMap((r) => r.failing).sort((a, b) => a.seed - b.seed);
  // Each shard that stopped covers every one of its seeds up to its own cutoff, and holds N
  // failures at or below it; so the merged N-th failure lies below every shard's cutoff,
  // and the merge is complete up to it.
  const cutoff = stopAfter !== null && failing.length >= stopAfter ? failing[stopAfter - 1].seed : null;
  return buildReport({
    scenario: first.scenario,
    range: first.seeds,
    shards,
    stopAfter,
    determinismEvery: first.determinism.every,
    failing,
    nondeterministic: reports.flatMap((r) => r.determinism.nondeterministic),
    cutoff,
  });
}

export const CSV_COLUMNS = ['seed', 'kind', 'failures', 'nodes', 'events', 'digest', 'command'] as const;

/** One row per failing seed; `failures` lists `path expected X measured Y` joined by "; ". */
export function reportCsv(r: ExploreReport): string {
  const rows = r.failing.map((f) => [
    f.seed, f.kind,
    f.failures.map((x) => `${x.path} expected ${x.expected} measured ${JSON.stringify(x.measured)}`).join('; '),
    f.nodes, f.events, f.digest, f.command,
  ]);
  return stringify([[...CSV_COLUMNS], ...rows]);
}

export function reportJson(r: ExploreReport): string {
  return JSON.stringify(r, null, 2) + '\n';
}

// Shrinking a failure, greedily as fast-check shrinks: from a failing scenario and seed,
// try smaller scenarios one at a time and keep the first that still fails with the same
// failure kind; start over from the smaller one; stop when nothing smaller fails (or the
// try budget runs out). Only the scenario *input* (plain data) is edited, and every
// candidate is validated again with loadScenarioData, so a shrunk scenario is always one a
// user could have written.
//
// Passes, most reducing first: fewer nodes; a shorter duration; fewer messages (a count per
// sender, fewer senders); fewer and shorter faults (partitions removed or shortened, loss
// and duplication off). Numbers shrink like fast-check's integers: the smallest value
// first, then halfway back towards the current one, and so on. When no candidate fails at
// the current seed, each candidate in turn (smallest first) is tried at nearby seeds
// (seed+1, seed-1, seed+2, ...), since a smaller scenario often fails under another seed.

import { runScenario } from '../api/index.js';
import { loadScenarioData, type LoadedScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/resolve.js';
import { formatDuration } from '../scenario/duration.js';
import { UserError, userError } from '../util/errors.js';
import { outcomeOf, DEFAULT_EXPECT, type SeedOutcome } from './failure.js';

type Input = Record<string, unknown>;

export interface ShrinkOptions {
  readonly input: Input;
  readonly origin: string;
  readonly seed: number;
  /** Runs at most this many candidates (default 2000). */
  readonly maxTries?: number;
  /** How far from the seed to look when nothing fails at it (default 50 each way). */
  readonly nearbySeeds?: number;
  readonly onStep?: (s: ShrinkStep) => void;
}

export interface ShrinkPoint {
  readonly input: Input;
  readonly seed: number;
  readonly nodes: number;
  readonly events: number;
}

export interface ShrinkStep {
  readonly tries: number;
  readonly best: ShrinkPoint;
  readonly what: string;
}

export interface ShrinkResult {
  readonly kind: string;
  readonly original: ShrinkPoint;
  readonly best: ShrinkPoint;
  /** Candidates run (invalid ones not included). */
  readonly tries: number;
  /** Candidates that loadScenarioData refused. */
  readonly invalid: number;
  /** Candidates kept. */
  readonly steps: number;
  /** True when the try budget ran out before shrinking finished. */
  readonly exhausted: boolean;
}

interface Candidate {
  readonly what: string;
  readonly input: Input;
}

async function outcome(loaded: LoadedScenario, seed: number): Promise<SeedOutcome> {
  const r = await runScenario({ loaded, seed, outDir: null, outputs: 'none', digest: true });
  return outcomeOf(r, loaded.scenario.expect);
}

export async function shrink(opts: ShrinkOptions): Promise<ShrinkResult> {
  const maxTries = opts.maxTries ?? 2000;
  const nearby = opts.nearbySeeds ?? 50;
  const first = loadScenarioData(opts.input, opts.origin);
  const start = await outcome(first, opts.seed);
  if (!start.failed) throw userError('--seed', `expected a failing seed; seed ${opts.seed} passes every expectation of ${opts.origin}, so there is nothing to shrink`);
  const kind = start.kind;
  // Pin the expectations in the input, so the shrunk file fails by itself.
  const pinned = structuredClone(opts.input);
  if (Object.keys(first.scenario.expect).length === 0) pinned.expect = { ...DEFAULT_EXPECT };
  const original: ShrinkPoint = { input: pinned, seed: opts.seed, nodes: start.nodes, events: start.events };
  let best = original;
  let bestScenario = first.scenario;
  let tries = 0;
  let invalid = 0;
  let steps = 0;

  /** Runs a candidate at a seed; true (and best updated) if it fails the same way. */
  const attempt = async (c: Candidate, seed: number): Promise<boolean> => {
    let loaded: LoadedScenario;
    try {
      loaded = loadScenarioData(c.input, opts.origin);
    } catch (e) {
      if (e instanceof UserError) { invalid++; return false; }
      throw e;
    }
    tries++;
    const o = await outcome(loaded, seed);
    if (!o.failed || o.kind !== kind) return false;
    best = { input: c.input, seed, nodes: o.nodes, events: o.events };
    bestScenario = loaded.scenario;
    steps++;
    opts.onStep?.({ tries, best, what: c.what });
    return true;
  };

  // Passes run in turn; after a success the same pass goes on (from the smaller scenario),
  // so that a pass that has stopped paying is not retried until a whole round has passed.
  let pass = 0;
  let idle = 0;
  while (tries < maxTries) {
    const passes = candidates(best.input, bestScenario);
    let progress = false;
    for (const c of passes[pass % passes.length]) {
      if (tries >= maxTries) break;
      if (await attempt(c, best.seed)) { progress = true; break; }
    }
    if (progress) { idle = 0; continue; }
    pass++;
    if (++idle < passes.length) continue;
    idle = 0;
    search: for (const c of passes.flat()) {
      for (let d = 1; d <= nearby; d++) {
        for (const seed of [best.seed + d, best.seed - d]) {
          if (seed < 0) continue;
          if (tries >= maxTries) break search;
          if (await attempt(c, seed)) { progress = true; break search; }
        }
      }
    }
    if (!progress) break;
  }
  return { kind, original, best, tries, invalid, steps, exhausted: tries >= maxTries };
}

/** Smaller integers than `current`, down to `min`: min first, then halfway back, ... */
export function shrinkInt(current: number, min: number): number[] {
  const out: number[] = [];
  for (let d = current - min; d > 0; d = Math.floor(d / 2)) out.push(current - d);
  return out;
}

function obj(v: unknown): Input {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Input) : {};
}

/** The candidates smaller than the current scenario, by pass, in the order they are tried. */
export function candidates(input: Input, sc: Scenario): Candidate[][] {
  const nodes: Candidate[] = [];
  const duration: Candidate[] = [];
  const messages: Candidate[] = [];
  const faults: Candidate[] = [];
  for (const n of shrinkInt(sc.nodes, 1)) nodes.push({ what: `nodes ${n}`, input: withNodes(input, sc, n) });
  const minDuration = 1000;
  for (const us of shrinkInt(sc.duration, Math.min(minDuration, sc.duration)).map((u) => Math.max(1000, Math.round(u / 1000) * 1000))) {
    if (us >= sc.duration) continue;
    duration.push({ what: `duration ${formatDuration(us)}`, input: withDuration(input, sc, us) });
  }
  const maxCount = sc.workload.count ?? Math.ceil(sc.duration / Math.max(sc.workload.interval, 1)) + 1;
  for (const c of shrinkInt(maxCount, 0)) messages.push({ what: `workload.count ${c}`, input: patch(input, ['workload', 'count'], c) });
  if (sc.workload.senders.length > 1) {
    for (const k of shrinkInt(sc.workload.senders.length, 1)) {
      messages.push({ what: `${k} sender(s)`, input: patch(input, ['workload', 'senders'], sc.workload.senders.slice(0, k).map((i) => sc.names[i])) });
    }
  }
  const parts = Array.isArray(input.partitions) ? (input.partitions as unknown[]) : [];
  for (let i = parts.length - 1; i >= 0; i--) {
    faults.push({ what: `without partition ${i + 1}`, input: { ...input, partitions: parts.filter((_, j) => j !== i) } });
  }
  sc.partitions.forEach((p, i) => {
    const end = p.end ?? sc.duration;
    for (const len of shrinkInt(end - p.start, 1000).map((u) => Math.max(1000, Math.round(u / 1000) * 1000))) {
      if (p.start + len >= end) continue;
      const next = parts.map((q, j) => (j === i ? { ...obj(q), end: formatDuration(p.start + len) } : q));
      faults.push({ what: `partition ${i + 1} lasts ${formatDuration(len)}`, input: { ...input, partitions: next } });
    }
  });
  if (sc.network.loss > 0) faults.push({ what: 'no loss', input: patch(input, ['network', 'loss'], 0) });
  if (sc.network.duplicate > 0) faults.push({ what: 'no duplication', input: patch(input, ['network', 'duplicate'], 0) });
  return [nodes, duration, messages, faults];
}

function patch(input: Input, path: readonly string[], value: unknown): Input {
  const out = structuredClone(input);
  let cur = out;
  for (const k of path.slice(0, -1)) {
    cur[k] = { ...obj(cur[k]) };
    cur = cur[k] as Input;
  }
  cur[path[path.length - 1]] = value;
  return out;
}

/** The input with only the first n nodes, every reference to a removed node dropped. */
function withNodes(input: Input, sc: Scenario, n: number): Input {
  const out = structuredClone(input);
  const kept = new Set(sc.names.slice(0, n));
  out.nodes = n;
  if (Array.isArray(out.names)) out.names = (out.names as unknown[]).slice(0, n);
  const join = obj(out.join);
  if (join.times !== undefined) {
    join.times = Object.fromEntries(Object.entries(obj(join.times)).filter(([k]) => kept.has(k)));
  }
  const wl = obj(out.workload);
  if (typeof wl.senders === 'number') wl.senders = Math.min(wl.senders, n);
  else if (Array.isArray(wl.senders)) wl.senders = (wl.senders as unknown[]).filter((s) => kept.has(String(s)));
  if (Array.isArray(out.partitions)) {
    out.partitions = (out.partitions as unknown[]).flatMap((p) => {
      const q = { ...obj(p) };
      const g = q.groups;
      if (g === 'halves') return n >= 2 ? [q] : [];
      if (Array.isArray(g)) {
        const groups = (g as unknown[]).map((grp) => (Array.isArray(grp) ? grp.filter((x) => kept.has(String(x))) : grp)).filter((grp) => !Array.isArray(grp) || grp.length > 0);
        if (groups.length < 2) return [];
        q.groups = groups;
        return [q];
      }
      const go = obj(g);
      if (typeof go.isolate === 'number') {
        if (n < 2) return [];
        q.groups = { isolate: Math.min(go.isolate, n - 1) };
      } else if (Array.isArray(go.isolate)) {
        const iso = (go.isolate as unknown[]).filter((x) => kept.has(String(x)));
        if (iso.length === 0 || iso.length >= n) return [];
        q.groups = { isolate: iso };
      } else if (Array.isArray(go.fractions) && go.fractions.length > n) {
        if (n < 2) return [];
        q.groups = { fractions: (go.fractions as unknown[]).slice(0, n) };
      }
      return [q];
    });
  }
  return out;
}

/** The input with a shorter duration; partitions that would start after it are dropped, later joins and sends start at its end. */
function withDuration(input: Input, sc: Scenario, us: number): Input {
  const out = structuredClone(input);
  out.duration = formatDuration(us);
  if (Array.isArray(out.partitions)) out.partitions = (out.partitions as unknown[]).filter((_, i) => sc.partitions[i].start <= us);
  const wl = obj(out.workload);
  if (sc.workload.start > us) wl.start = formatDuration(us);
  const times = obj(obj(out.join).times);
  for (const [name, i] of sc.names.map((n, j) => [n, j] as const)) {
    if (times[name] !== undefined && sc.joinAt[i] > us) times[name] = formatDuration(us);
  }
  return out;
}

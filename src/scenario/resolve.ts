// Cross-field resolution: from the validated spec to the Scenario the drivers run. Owns the
// checks no single field can make (a name that does not exist, a time outside the run, a
// node in two groups) and the node names. Each problem carries the field path it is about;
// src/scenario/load.ts turns paths into file:line:column.

import type { ClockRuleName } from '../core/rules.js';
import { resolveFaults, type FaultPlan, type PathProblem } from './faults.js';
import { fragileNameProblem, nameProblem } from '../core/names.js';
import { resolveProgram, type ProgramField } from './program.js';
import type { Groups, Latency, PhysicalClocksSpec, RandomFaults, ScenarioSpec } from './schema.js';

export interface PartitionSpec {
  readonly start: number;
  /** Microseconds; undefined: never heals. */
  readonly end: number | undefined;
  readonly groups: Groups;
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly nodes: number;
  readonly names: readonly string[];
  /** The scenario's default seed. */
  readonly seed: number;
  /** Seeds pinned for regression checks (`seeds:`), or undefined. */
  readonly seeds: readonly number[] | undefined;
  /** The workload's horizon: no send starts after it. In-flight datagrams still land. */
  readonly duration: number;
  readonly clock: ClockRuleName;
  /** Receive buffer in bytes (protocol.recv_buffer; the seed's 2048 by default). */
  readonly recvBuffer: number;
  /** Per-node physical clock distributions (physical_clocks:), or undefined: every node reads true time. */
  readonly physicalClocks: PhysicalClocksSpec | undefined;
  readonly network: {
    readonly latency: Latency;
    readonly loss: number;
    readonly duplicate: number;
    readonly deliverToSelf: boolean;
  };
  /** Join time of each node, by index. */
  readonly joinAt: readonly number[];
  /** Per node: its join time was given in join.times (a late joiner, not one of the initial nodes). */
  readonly joinTimed: readonly boolean[];
  /** `static`: nodes start knowing every name, with no handshake (simulator only). */
  readonly membership: 'handshake' | 'static';
  readonly workload: {
    readonly process: 'poisson' | 'fixed';
    readonly interval: number;
    /** No send before this time. */
    readonly start: number;
    readonly count: number | undefined;
    /** Indices of the nodes that send chat messages, ascending. */
    readonly senders: readonly number[];
    readonly text: string;
  };
  readonly partitions: readonly PartitionSpec[];
  /** Listed faults (`faults:`), in file order. */
  readonly faults: readonly FaultPlan[];
  /** Faults drawn from the seed (`random_faults:`), or undefined. */
  readonly randomFaults: RandomFaults | undefined;
  /** Start of the final quiet phase (faults heal, nothing is lost), or undefined. */
  readonly quietStart: number | undefined;
  readonly expect: Readonly<Record<string, number | boolean | string>>;
  /** Nodes that are a real program (program:), or undefined: every node is the model. */
  readonly program: ProgramField | undefined;
}

export type { PathProblem };

export type Resolved = { ok: true; scenario: Scenario } | { ok: false; problems: PathProblem[] };

export const MAX_SEED_RANGE = 1_000_000;

/** The most random faults a run may draw (rate x span). */
export const MAX_RANDOM_FAULTS = 100_000;

/** Says whether a name is a node of the scenario; when not, records a problem at `path`. */
type KnownName = (name: string, path: (string | number)[]) => boolean;

export function resolveScenario(spec: ScenarioSpec): Resolved {
  const problems: PathProblem[] = [];
  const names = resolveNames(spec, problems);
  const index = new Map(names.map((name, i) => [name, i]));
  const known: KnownName = (name, path) => {
    if (index.has(name)) return true;
    problems.push({ path, message: `expected a node of this scenario (${nameRange(names)}), found ${JSON.stringify(name)}` });
    return false;
  };
  const joinAt = resolveJoinTimes(spec, names, index, known, problems);
  const senders = resolveSenders(spec, names, index, known, problems);
  checkPartitions(spec, known, problems);
  const faults = resolveFaults(spec, names, problems);
  const knownOrGroup: KnownName = (name, path) => Object.hasOwn(spec.groups, name) || known(name, path);
  spec.faults.forEach((f, i) => { if (f.kind === 'partition') checkGroups(f.groups, spec.nodes, ['faults', i, 'groups'], knownOrGroup, problems); });
  const seeds = resolveSeeds(spec, problems);
  checkNetworkAndWorkload(spec, problems);
  const program = resolveProgram(spec.program, names, spec.join.membership, problems);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    scenario: {
      name: spec.name ?? 'scenario',
      description: spec.description ?? '',
      nodes: spec.nodes,
      names,
      seed: spec.seed,
      seeds,
      duration: spec.duration,
      clock: spec.protocol.clock,
      recvBuffer: spec.protocol.recv_buffer,
      physicalClocks: spec.physical_clocks,
      network: { latency: spec.network.latency, loss: spec.network.loss, duplicate: spec.network.duplicate, deliverToSelf: spec.network.deliver_to_self },
      joinAt,
      joinTimed: names.map((n) => spec.join.times[n] !== undefined),
      membership: spec.join.membership,
      workload: { process: spec.workload.process, interval: spec.workload.interval, start: spec.workload.start, count: spec.workload.count, senders, text: spec.workload.text },
      partitions: spec.partitions.map((p) => ({ start: p.start, end: p.end, groups: p.groups })),
      faults: faults.faults,
      randomFaults: faults.random,
      quietStart: faults.quietStart,
      expect: spec.expect,
      program,
    },
  };
}

/** The node names: `names:` (one per node, unique), or n0, n1, ... */
function resolveNames(spec: ScenarioSpec, problems: PathProblem[]): string[] {
  const n = spec.nodes;
  if (!spec.names) return Array.from({ length: n }, (_, i) => `n${i}`);
  const names = spec.names;
  if (names.length !== n) problems.push({ path: ['names'], message: `expected ${n} names (one per node), found ${names.length}` });
  const seen = new Set<string>();
  names.forEach((name, i) => {
    // docs/scenarios.md, "Node names": the one rule, as `vcsim node --name` applies it.
    const bad = spec.fragile_names ? fragileNameProblem(name) : nameProblem(name);
    if (bad !== null) problems.push({ path: ['names', i], message: spec.fragile_names ? bad : `${bad} (or set fragile_names: true)` });
    if (seen.has(name)) problems.push({ path: ['names', i], message: `expected unique names, found ${JSON.stringify(name)} twice` });
    seen.add(name);
  });
  return names;
}

/** Each node's join time: `join.at` plus its stagger, unless `join.times` names it. */
function resolveJoinTimes(spec: ScenarioSpec, names: readonly string[], index: ReadonlyMap<string, number>, known: KnownName, problems: PathProblem[]): number[] {
  const joinAt = names.map((_, i) => spec.join.at + i * spec.join.stagger);
  for (const key of Object.keys(spec.join.times).sort()) {
    if (known(key, ['join', 'times', key])) joinAt[index.get(key)!] = spec.join.times[key];
  }
  joinAt.forEach((t, i) => {
    if (t > spec.duration && spec.join.times[names[i]] !== undefined) {
      problems.push({ path: ['join', 'times', names[i]], message: `expected a time within the run (duration ${spec.duration / 1e6}s)` });
    }
  });
  return joinAt;
}

/** The indices of the nodes that send chat messages, ascending. */
function resolveSenders(spec: ScenarioSpec, names: readonly string[], index: ReadonlyMap<string, number>, known: KnownName, problems: PathProblem[]): number[] {
  const s = spec.workload.senders;
  if (s === 'all') return names.map((_, i) => i);
  if (typeof s === 'number') {
    if (s > spec.nodes) problems.push({ path: ['workload', 'senders'], message: `expected at most ${spec.nodes} senders (the node count), found ${s}` });
    return names.map((_, i) => i).slice(0, s);
  }
  const senders: number[] = [];
  s.forEach((name, i) => { if (known(name, ['workload', 'senders', i])) senders.push(index.get(name)!); });
  return [...new Set(senders)].sort((a, b) => a - b);
}

function checkPartitions(spec: ScenarioSpec, known: KnownName, problems: PathProblem[]): void {
  spec.partitions.forEach((p, i) => {
    const at = ['partitions', i];
    if (p.start > spec.duration) problems.push({ path: [...at, 'start'], message: `expected a time within the run (duration ${spec.duration / 1e6}s), found ${p.start / 1e6}s` });
    if (p.end !== undefined && p.end <= p.start) problems.push({ path: [...at, 'end'], message: `expected a time after start (${p.start / 1e6}s), found ${p.end / 1e6}s` });
    checkGroups(p.groups, spec.nodes, [...at, 'groups'], known, problems);
  });
}

/** `seeds:` as a list: a range `A..B` expanded (at most MAX_SEED_RANGE seeds), or undefined. */
function resolveSeeds(spec: ScenarioSpec, problems: PathProblem[]): number[] | undefined {
  if (typeof spec.seeds !== 'string') return spec.seeds ? spec.seeds : undefined;
  const [a, b] = spec.seeds.split('..').map((x) => Number(x.trim()));
  if (b < a) problems.push({ path: ['seeds'], message: `expected a range A..B with A <= B, found ${spec.seeds}` });
  else if (b - a + 1 > MAX_SEED_RANGE) problems.push({ path: ['seeds'], message: `expected at most ${MAX_SEED_RANGE} seeds` });
  else return Array.from({ length: b - a + 1 }, (_, i) => a + i);
  return undefined;
}

function checkNetworkAndWorkload(spec: ScenarioSpec, problems: PathProblem[]): void {
  const lat = spec.network.latency;
  if (lat.dist === 'uniform' && lat.max < lat.min) problems.push({ path: ['network', 'latency', 'max'], message: 'expected max >= min' });
  if (spec.workload.start > spec.duration) problems.push({ path: ['workload', 'start'], message: `expected a time within the run (duration ${spec.duration / 1e6}s)` });
  if (spec.workload.interval === 0 && spec.workload.count === undefined) {
    problems.push({ path: ['workload', 'interval'], message: 'expected an interval above 0, or a count (an interval of 0 with no count never ends)' });
  }
  // docs/errors.md, "Limits": a fault schedule is drawn whole before the run starts.
  const rf = spec.random_faults;
  if (rf !== undefined) {
    const span = Math.max(0, (rf.end ?? spec.duration) - rf.start) / 1e6;
    const expected = rf.rate * span;
    if (expected > MAX_RANDOM_FAULTS) {
      problems.push({ path: ['random_faults', 'rate'], message: `expected at most ${MAX_RANDOM_FAULTS.toLocaleString('en-US')} random faults in a run, found a rate of ${rf.rate}/s over ${span}s (about ${Math.round(expected).toLocaleString('en-US')} faults)` });
    }
  }
}

function checkGroups(g: Groups, n: number, path: (string | number)[], known: KnownName, problems: PathProblem[]): void {
  if (g === 'bridge' || g === 'majorities-ring') {
    if (n < 3) problems.push({ path, message: `expected at least 3 nodes for ${g}, found ${n}` });
    return;
  }
  if (g === 'halves') {
    if (n < 2) problems.push({ path, message: `expected at least 2 nodes to cut in halves, found ${n}` });
    return;
  }
  if (Array.isArray(g)) {
    const seen = new Set<string>();
    g.forEach((group, gi) => group.forEach((name, ni) => {
      if (!known(name, [...path, gi, ni])) return;
      if (seen.has(name)) problems.push({ path: [...path, gi, ni], message: `expected each node in one group only, found ${JSON.stringify(name)} again` });
      seen.add(name);
    }));
    return;
  }
  if ('isolate' in g) {
    if (typeof g.isolate === 'number') {
      if (g.isolate >= n) problems.push({ path: [...path, 'isolate'], message: `expected fewer than ${n} nodes to isolate (the node count), found ${g.isolate}` });
    } else {
      g.isolate.forEach((name, i) => known(name, [...path, 'isolate', i]));
    }
    return;
  }
  if (g.fractions.length > n) problems.push({ path: [...path, 'fractions'], message: `expected at most ${n} groups (the node count), found ${g.fractions.length}` });
}

function nameRange(names: readonly string[]): string {
  if (names.length <= 4) return names.join(', ');
  return `${names[0]}, ${names[1]}, ..., ${names[names.length - 1]}`;
}

// The fault schedule: every fault of a run made concrete from the `faults` stream, in a fixed
// order (the `partitions:` list first, then the `faults:` list, then those `random_faults:`
// draws), so that adding faults never changes the draws of the ones before them, and the
// `network` and `workload/<node>` streams are never touched. The records go whole into the
// trace header, so the exact schedule of a run is known without rerunning it.

import type { FaultPlan, NodeSet } from '../scenario/faults.js';
import type { Scenario } from '../scenario/resolve.js';
import type { Latency } from '../scenario/schema.js';
import type { FaultKind, FaultProfile, FaultRecord } from '../trace/events.js';
import { drawRandomFaults } from './random.js';
import { concreteCut, pick, type Cut } from './partitions.js';
import { stream, type Rng } from './rng.js';

/** One fault as the driver runs it: indices, not names. */
export interface ConcreteFault {
  readonly record: FaultRecord;
  readonly kind: FaultKind;
  readonly start: number;
  readonly end: number | undefined;
  readonly nodes: readonly number[];
  readonly from: readonly number[] | null;
  readonly to: readonly number[] | null;
  readonly cut: Cut | undefined;
  readonly latency: Latency | undefined;
  readonly loss: number | undefined;
  readonly duplicate: number | undefined;
  readonly rate: number | undefined;
}

export interface FaultSchedule {
  readonly faults: ConcreteFault[];
  readonly records: FaultRecord[];
  readonly profile: FaultProfile | undefined;
}

export function drawSchedule(scenario: Scenario, seed: number): FaultSchedule {
  const rng = stream(seed, 'faults');
  const faults: ConcreteFault[] = [];
  scenario.partitions.forEach((p, i) => {
    faults.push(concrete(`p${i + 1}`, { ...EMPTY, kind: 'partition', start: p.start, end: p.end, groups: p.groups }, scenario, rng));
  });
  scenario.faults.forEach((f, i) => faults.push(concrete(`f${i + 1}`, f, scenario, rng)));
  let profile: FaultProfile | undefined;
  if (scenario.randomFaults !== undefined) {
    const drawn = drawRandomFaults(scenario, scenario.randomFaults, rng);
    profile = drawn.profile;
    drawn.plans.forEach((f, i) => faults.push(concrete(`r${i + 1}`, f, scenario, rng, true)));
  }
  if (scenario.quietStart !== undefined) {
    const record: FaultRecord = { id: 'quiet', kind: 'quiet', start: scenario.quietStart, end: null, groups: [] };
    faults.push({ ...EMPTY, record, kind: 'quiet', start: scenario.quietStart, end: undefined, nodes: [], from: null, to: null, cut: undefined });
  }
  return { faults, records: faults.map((f) => f.record), profile };
}

const EMPTY: FaultPlan = {
  kind: 'partition', start: 0, end: undefined, nodes: null, from: null, to: null, groups: undefined,
  latency: undefined, loss: undefined, duplicate: undefined, rate: undefined,
};

function concrete(id: string, f: FaultPlan, scenario: Scenario, rng: Rng, random = false): ConcreteFault {
  const names = scenario.names;
  const n = names.length;
  const set = (s: NodeSet): number[] | null => (s === null ? null : 'list' in s ? [...s.list] : pick(s.draw, n, rng));
  const named = (l: readonly number[]): string[] => l.map((i) => names[i]);
  const cut = f.groups !== undefined ? concreteCut(f.groups, names, rng) : undefined;
  const nodes = set(f.nodes) ?? [];
  const from = set(f.from);
  const to = set(f.to);
  const record: FaultRecord = {
    id,
    kind: f.kind,
    start: f.start,
    end: f.end ?? null,
    groups: cut ? cut.groups.map(named) : [],
    ...(f.nodes !== null ? { nodes: named(nodes) } : {}),
    ...(from !== null ? { from: named(from) } : {}),
    ...(to !== null ? { to: named(to) } : {}),
    ...(cut?.bridge !== undefined ? { bridge: names[cut.bridge] } : {}),
    ...(cut?.ring !== undefined ? { ring: named(cut.ring) } : {}),
    ...(f.latency !== undefined ? { latency: { ...f.latency } } : {}),
    ...(f.loss !== undefined ? { loss: f.loss } : {}),
    ...(f.duplicate !== undefined ? { duplicate: f.duplicate } : {}),
    ...(f.rate !== undefined ? { rate: f.rate } : {}),
    ...(random ? { origin: 'random' as const } : {}),
  };
  return { record, kind: f.kind, start: f.start, end: f.end, nodes, from, to, cut, latency: f.latency, loss: f.loss, duplicate: f.duplicate, rate: f.rate };
}

/**
 * The nodes whose join a `join` fault moves later (churn): they join at the fault's start,
 * not at their scenario join time, so a driver does not start them at `joinAt`.
 */
export function lateJoiners(faults: readonly ConcreteFault[], joinAt: readonly number[]): Set<number> {
  return new Set(faults.filter((f) => f.kind === 'join').flatMap((f) => f.nodes.filter((i) => joinAt[i] < f.start)));
}

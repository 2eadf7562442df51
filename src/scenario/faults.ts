// Resolving the `faults:`, `groups:`, `random_faults:` and `quiet:` fields: node and group
// names become node indices, times are checked against the run and its quiet phase, and
// listed faults that contradict each other (two node faults on one node at once, two link
// overrides of one link at once) are refused. Each problem carries its field path;
// src/scenario/load.ts turns paths into file:line:column.

import type { FaultSpecInput, Groups, Latency, RandomFaults, ScenarioSpec, Selector } from './schema.js';

/**
 * The kind of a planned fault: the kinds `faults:` lists (from the schema), plus `join` (a
 * late join, only drawn by random_faults). The trace's FaultKind (src/trace/events.ts) also
 * has `quiet`, the quiet phase, which is recorded as a fault but never planned as one.
 */
export type FaultPlanKind = FaultSpecInput['kind'] | 'join';

/** Nodes a fault touches: listed indices (ascending), k drawn from the fault stream, or all. */
export type NodeSet = { readonly list: readonly number[] } | { readonly draw: number } | null;

/** One listed fault, resolved. Times in microseconds; `end` undefined: never heals by itself. */
export interface FaultPlan {
  readonly kind: FaultPlanKind;
  readonly start: number;
  readonly end: number | undefined;
  /** crash, pause, leave: the nodes. */
  readonly nodes: NodeSet;
  /** one-way and link faults: senders and receivers (null: all). */
  readonly from: NodeSet;
  readonly to: NodeSet;
  /** partition: the groups form, names expanded from `groups:`. */
  readonly groups: Groups | undefined;
  readonly latency: Latency | undefined;
  readonly loss: number | undefined;
  readonly duplicate: number | undefined;
  /** capacity: datagrams per second per link. */
  readonly rate: number | undefined;
}

export interface FaultsResolved {
  readonly faults: FaultPlan[];
  /** Start of the quiet phase, or undefined when there is none. */
  readonly quietStart: number | undefined;
  readonly random: RandomFaults | undefined;
}

/** A problem found while resolving, at a field path of the scenario (src/scenario/load.ts adds file:line:column). */
export interface PathProblem {
  readonly path: (string | number)[];
  readonly message: string;
}

const NODE_KINDS: ReadonlySet<string> = new Set(['crash', 'pause', 'leave']);
const secs = (us: number): string => `${us / 1e6}s`;

/** Turns a node selector (a count, or names of nodes and groups) into a NodeSet, recording problems at `path`. */
type SelectNodes = (s: Selector | undefined, path: (string | number)[]) => NodeSet;
/** Checks a fault's start and end against the run and its quiet phase, recording problems under `at`. */
type CheckTimes = (start: number, end: number | undefined, at: (string | number)[]) => void;

export function resolveFaults(spec: ScenarioSpec, names: readonly string[], problems: PathProblem[]): FaultsResolved {
  const index = new Map(names.map((name, i) => [name, i]));
  const groupMembers = resolveGroups(spec, index, problems);
  const select = nodeSelector(names.length, index, groupMembers, problems);
  const quietStart = resolveQuiet(spec, problems);
  const checkTimes = timeChecker(spec, quietStart, problems);
  const faults = spec.faults.map((f, i) => resolveListedFault(f, ['faults', i], select, checkTimes, groupMembers, names, problems));
  checkContradictions(faults, names, problems);
  const r = spec.random_faults;
  if (r !== undefined) {
    checkTimes(r.start, r.end, ['random_faults']);
    if (r.kinds.includes('partition') && names.length < 2) problems.push({ path: ['random_faults', 'kinds'], message: `expected at least 2 nodes for random partitions, found ${names.length}` });
  }
  return { faults, quietStart, random: r };
}

/** `groups:`: each group's members as node indices, ascending; groups in name order. */
function resolveGroups(spec: ScenarioSpec, index: ReadonlyMap<string, number>, problems: PathProblem[]): Map<string, number[]> {
  const groupMembers = new Map<string, number[]>();
  for (const g of Object.keys(spec.groups).sort()) {
    if (index.has(g)) problems.push({ path: ['groups', g], message: `expected a group name that is not also a node name, found ${JSON.stringify(g)}` });
    const members: number[] = [];
    spec.groups[g].forEach((name, i) => {
      const at = index.get(name);
      if (at === undefined) problems.push({ path: ['groups', g, i], message: `expected a node of this scenario, found ${JSON.stringify(name)}` });
      else members.push(at);
    });
    groupMembers.set(g, [...new Set(members)].sort((a, b) => a - b));
  }
  return groupMembers;
}

function nodeSelector(n: number, index: ReadonlyMap<string, number>, groupMembers: ReadonlyMap<string, number[]>, problems: PathProblem[]): SelectNodes {
  const groupNames = [...groupMembers.keys()];
  return (s, path) => {
    if (s === undefined) return null;
    if (typeof s === 'number') {
      if (s > n) problems.push({ path, message: `expected at most ${n} nodes (the node count), found ${s}` });
      return { draw: s };
    }
    const list: number[] = [];
    s.forEach((name, i) => {
      const at = index.get(name);
      const members = groupMembers.get(name);
      if (at !== undefined) list.push(at);
      else if (members !== undefined) list.push(...members);
      else problems.push({ path: [...path, i], message: `expected a node or group of this scenario${groupNames.length > 0 ? ` (groups: ${groupNames.join(', ')})` : ''}, found ${JSON.stringify(name)}` });
    });
    return { list: [...new Set(list)].sort((a, b) => a - b) };
  };
}

/** The start of the quiet phase (`quiet:` before the end of the run), or undefined. */
function resolveQuiet(spec: ScenarioSpec, problems: PathProblem[]): number | undefined {
  if (spec.quiet !== undefined && spec.quiet > spec.duration) {
    problems.push({ path: ['quiet'], message: `expected a quiet phase no longer than the run (duration ${secs(spec.duration)}), found ${secs(spec.quiet)}` });
  }
  return spec.quiet === undefined ? undefined : spec.duration - spec.quiet;
}

function timeChecker(spec: ScenarioSpec, quietStart: number | undefined, problems: PathProblem[]): CheckTimes {
  const horizon = quietStart ?? spec.duration;
  return (start, end, at) => {
    if (start >= horizon && !(start === 0 && horizon === 0)) {
      const what = quietStart === undefined ? `within the run (duration ${secs(spec.duration)})` : `before the quiet phase (from ${secs(quietStart)})`;
      problems.push({ path: [...at, 'start'], message: `expected a time ${what}, found ${secs(start)}` });
    }
    if (end !== undefined && end <= start) problems.push({ path: [...at, 'end'], message: `expected a time after start (${secs(start)}), found ${secs(end)}` });
    else if (end !== undefined && end > spec.duration) problems.push({ path: [...at, 'end'], message: `expected a time within the run (duration ${secs(spec.duration)}), found ${secs(end)}` });
  };
}

/** One entry of `faults:`, resolved. */
function resolveListedFault(f: ScenarioSpec['faults'][number], at: (string | number)[], select: SelectNodes, checkTimes: CheckTimes, groupMembers: ReadonlyMap<string, number[]>, names: readonly string[], problems: PathProblem[]): FaultPlan {
  const end = 'end' in f ? f.end : undefined;
  checkTimes(f.start, end, at);
  const base: FaultPlan = {
    kind: f.kind, start: f.start, end, nodes: null, from: null, to: null, groups: undefined,
    latency: undefined, loss: undefined, duplicate: undefined, rate: undefined,
  };
  switch (f.kind) {
    case 'crash':
    case 'pause':
    case 'leave':
      return { ...base, nodes: select(f.nodes, [...at, 'nodes']) };
    case 'partition':
      return { ...base, groups: expandGroups(f.groups, groupMembers, names) };
    case 'one-way':
      return { ...base, from: select(f.from, [...at, 'from']), to: select(f.to, [...at, 'to']) };
    case 'link':
      if (f.latency === undefined && f.loss === undefined && f.duplicate === undefined) {
        problems.push({ path: at, message: 'expected at least one of latency, loss or duplicate for a link fault' });
      }
      return { ...base, from: select(f.from, [...at, 'from']), to: select(f.to, [...at, 'to']), latency: f.latency, loss: f.loss, duplicate: f.duplicate };
    case 'loss-burst':
      return { ...base, from: select(f.from, [...at, 'from']), to: select(f.to, [...at, 'to']), loss: f.loss };
    case 'clog':
      return { ...base, from: select(f.from, [...at, 'from']), to: select(f.to, [...at, 'to']) };
    case 'capacity':
      return { ...base, from: select(f.from, [...at, 'from']), to: select(f.to, [...at, 'to']), rate: f.rate };
  }
}

/** Named groups inside a partition's list of groups become their members' names. */
function expandGroups(g: Groups, members: ReadonlyMap<string, number[]>, names: readonly string[]): Groups {
  if (!Array.isArray(g)) return g;
  return g.map((group) => group.flatMap((name) => members.get(name)?.map((i) => names[i]) ?? [name]));
}

/** Listed faults that cannot both hold: one node crashed and paused at once, one link with two overrides. */
function checkContradictions(faults: readonly FaultPlan[], names: readonly string[], problems: PathProblem[]): void {
  const overlap = (a: FaultPlan, b: FaultPlan): boolean => a.start < (b.end ?? Infinity) && b.start < (a.end ?? Infinity);
  const listed = (s: NodeSet): readonly number[] | undefined => (s !== null && 'list' in s ? s.list : undefined);
  const meets = (a: NodeSet, b: NodeSet): boolean => {
    if (a === null || b === null) return true;
    const la = listed(a);
    const lb = listed(b);
    if (la === undefined || lb === undefined) return false; // drawn nodes: unknown until the run
    return la.some((x) => lb.includes(x));
  };
  for (let j = 0; j < faults.length; j++) {
    for (let i = 0; i < j; i++) {
      const a = faults[i];
      const b = faults[j];
      if (!overlap(a, b)) continue;
      if (NODE_KINDS.has(a.kind) && NODE_KINDS.has(b.kind)) {
        const la = listed(a.nodes);
        const lb = listed(b.nodes);
        const both = la && lb ? la.filter((x) => lb.includes(x)) : [];
        if (both.length > 0) {
          problems.push({ path: ['faults', j], message: `expected no other crash, pause or leave of ${names[both[0]]} while faults[${i}] (${a.kind}) holds, found ${b.kind} at ${secs(b.start)}` });
        }
        continue;
      }
      const shaping = (f: FaultPlan): string | undefined => (f.kind === 'link' || f.kind === 'loss-burst' ? 'shape' : f.kind === 'capacity' ? 'capacity' : undefined);
      const sa = shaping(a);
      if (sa !== undefined && sa === shaping(b) && meets(a.from, b.from) && meets(a.to, b.to)) {
        problems.push({ path: ['faults', j], message: `expected no second ${sa === 'shape' ? 'latency/loss override' : 'capacity'} of a link while faults[${i}] (${a.kind}) holds on it, found ${b.kind} at ${secs(b.start)}` });
      }
    }
  }
}

// Random fault schedules (`random_faults:`), drawn from the `faults` stream only. Two
// profiles: `rates` splits the mean rate evenly over the listed kinds; `swarm` (in the style
// of TigerBeetle's VOPR) lets the seed also draw which kinds are on, their rates, the mean
// fault length and the burst loss, so that different seeds explore different mixes. Each
// kind's faults arrive as a Poisson process in the window; node faults pick a node that no
// other crash, pause or leave holds at the time, so drawn faults never contradict. A drawn
// `join` (churn) moves one node's join to the drawn time, if it had not joined by then.

import type { FaultPlan, FaultPlanKind } from '../scenario/faults.js';
import type { Scenario } from '../scenario/resolve.js';
import { FAULT_KINDS, type Groups, type RandomFaults } from '../scenario/schema.js';
import type { FaultProfile } from '../trace/events.js';
import type { Rng } from './rng.js';
import { shuffle } from './partitions.js';

const MIN_LENGTH = 1_000;

/** One fault's arrival: its time and kind (`k` the kind's place in FAULT_KINDS order, for ties). */
interface FaultArrival {
  readonly t: number;
  readonly kind: FaultPlanKind;
  readonly k: number;
}

/** Nodes already held by a drawn node fault (crash, pause, leave, late join), so drawn faults never contradict. */
interface HeldNodes {
  readonly busy: { node: number; start: number; end: number }[];
  readonly lateJoined: Set<number>;
}

export function drawRandomFaults(scenario: Scenario, cfg: RandomFaults, rng: Rng): { plans: FaultPlan[]; profile: FaultProfile } {
  const n = scenario.nodes;
  const horizon = scenario.quietStart ?? scenario.duration;
  const kinds = FAULT_KINDS.filter((k) => cfg.kinds.includes(k) && (k !== 'partition' || n >= 2) && (k !== 'one-way' || n >= 2));
  const profile = drawProfile(cfg, kinds, rng);
  const arrivals = drawArrivals(kinds, profile.rates, cfg.start, Math.min(cfg.end ?? horizon, horizon), rng);
  const held: HeldNodes = { busy: [], lateJoined: new Set() };
  const plans: FaultPlan[] = [];
  for (const a of arrivals) {
    const plan = planArrival(a, n, horizon, profile, held, rng);
    if (plan !== null) plans.push(plan);
  }
  return { plans, profile };
}

/** The rate of each kind, the mean fault length and the burst loss: as configured (`rates`), or drawn (`swarm`). */
function drawProfile(cfg: RandomFaults, kinds: readonly FaultPlanKind[], rng: Rng): FaultProfile {
  const rates: Record<string, number> = {};
  let meanLength = cfg.mean_duration;
  let burstLoss = 0.9;
  if (cfg.profile === 'swarm') {
    let on = kinds.filter(() => rng.next() < 0.5);
    if (on.length === 0 && kinds.length > 0) on = [kinds[Math.floor(rng.next() * kinds.length)]];
    for (const k of on) rates[k] = round3(cfg.rate * (0.05 + 0.95 * rng.next()));
    meanLength = Math.max(MIN_LENGTH, Math.round(cfg.mean_duration * (0.25 + 1.75 * rng.next())));
    burstLoss = round3(0.5 + 0.5 * rng.next());
  } else {
    for (const k of kinds) rates[k] = round3(cfg.rate / kinds.length);
  }
  return { profile: cfg.profile, rates, mean_duration: meanLength, burst_loss: burstLoss };
}

/** Each kind's arrivals as a Poisson process in [from, until), kinds in a fixed order, then all in time order. */
function drawArrivals(kinds: readonly FaultPlanKind[], rates: Readonly<Record<string, number>>, from: number, until: number, rng: Rng): FaultArrival[] {
  const arrivals: FaultArrival[] = [];
  kinds.forEach((kind, k) => {
    const rate = rates[kind];
    if (rate === undefined || rate <= 0) return;
    const meanGap = 1_000_000 / rate;
    for (let t = from + exp(meanGap, rng); t < until; t += exp(meanGap, rng)) arrivals.push({ t, kind, k });
  });
  return arrivals.sort((a, b) => a.t - b.t || a.k - b.k);
}

/** The fault an arrival becomes (its length, nodes or links drawn), or null when no node is free for it. */
function planArrival(a: FaultArrival, n: number, horizon: number, profile: FaultProfile, held: HeldNodes, rng: Rng): FaultPlan | null {
  const length = Math.max(MIN_LENGTH, exp(profile.mean_duration, rng));
  const end = a.kind === 'leave' || a.kind === 'join' ? undefined : Math.min(a.t + length, horizon);
  if (end !== undefined && end <= a.t) return null;
  const base: FaultPlan = { kind: a.kind, start: a.t, end, nodes: null, from: null, to: null, groups: undefined, latency: undefined, loss: undefined, duplicate: undefined, rate: undefined };
  switch (a.kind) {
    case 'crash':
    case 'pause':
    case 'leave': {
      const free = Array.from({ length: n }, (_, i) => i).filter((i) => !held.busy.some((b) => b.node === i && b.start < (end ?? Infinity) && a.t < b.end));
      const pickAt = Math.floor(rng.next() * free.length);
      if (free.length === 0) return null;
      const node = free[pickAt];
      held.busy.push({ node, start: a.t, end: end ?? Infinity });
      return { ...base, nodes: { list: [node] } };
    }
    case 'join': {
      // a late join: a node that has not joined by then joins now instead (none faulted before)
      const free = Array.from({ length: n }, (_, i) => i).filter((i) => !held.lateJoined.has(i) && !held.busy.some((b) => b.node === i && b.start < a.t));
      const pickAt = Math.floor(rng.next() * free.length);
      if (free.length === 0) return null;
      const node = free[pickAt];
      held.lateJoined.add(node);
      held.busy.push({ node, start: 0, end: a.t });
      return { ...base, nodes: { list: [node] } };
    }
    case 'partition': {
      const forms: Groups[] = n >= 3 ? ['halves', 'bridge', 'majorities-ring', { isolate: 1 }] : ['halves'];
      return { ...base, groups: forms[Math.floor(rng.next() * forms.length)] };
    }
    case 'one-way': {
      const order = shuffle(n, rng);
      const cut = Math.max(1, Math.floor(n / 2));
      return { ...base, from: { list: order.slice(0, cut).sort((x, y) => x - y) }, to: { list: order.slice(cut).sort((x, y) => x - y) } };
    }
    case 'loss-burst':
      return { ...base, loss: profile.burst_loss };
    case 'clog':
      return { ...base, from: { list: [Math.floor(rng.next() * n)] } };
    default:
      return null;
  }
}

function exp(mean: number, rng: Rng): number {
  return Math.round(-mean * Math.log(1 - rng.next()));
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

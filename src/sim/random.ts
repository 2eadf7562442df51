// Random fault schedules (`random_faults:`), drawn from the `faults` stream only. Two
// profiles: `rates` splits the mean rate evenly over the listed kinds; `swarm` (in the style
// of TigerBeetle's VOPR) lets the seed also draw which kinds are on, their rates, the mean
// fault length and the burst loss, so that different seeds explore different mixes. Each
// kind's faults arrive as a Poisson process in the window; node faults pick a node that no
// other crash, pause or leave holds at the time, so drawn faults never contradict. A drawn
// `join` (churn) moves one node's join to the drawn time, if it had not joined by then.

import type { FaultKind, FaultPlan } from '../scenario/faults.js';
import type { Scenario } from '../scenario/resolve.js';
import { FAULT_KINDS, type Groups, type RandomFaults } from '../scenario/schema.js';
import type { FaultProfile } from '../trace/events.js';
import type { Rng } from './rng.js';
import { shuffle } from './partitions.js';

const MIN_LENGTH = 1_000;

export function drawRandomFaults(sc: Scenario, cfg: RandomFaults, rng: Rng): { plans: FaultPlan[]; profile: FaultProfile } {
  const n = sc.nodes;
  const horizon = sc.quietStart ?? sc.duration;
  const from = cfg.start;
  const until = Math.min(cfg.end ?? horizon, horizon);
  const kinds = FAULT_KINDS.filter((k) => cfg.kinds.includes(k) && (k !== 'partition' || n >= 2) && (k !== 'one-way' || n >= 2));

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
  const profile: FaultProfile = { profile: cfg.profile, rates, mean_duration: meanLength, burst_loss: burstLoss };

  // Arrivals per kind (kinds in a fixed order), then in time order.
  const arrivals: { t: number; kind: FaultKind; k: number }[] = [];
  kinds.forEach((kind, k) => {
    const rate = rates[kind];
    if (rate === undefined || rate <= 0) return;
    const meanGap = 1_000_000 / rate;
    for (let t = from + exp(meanGap, rng); t < until; t += exp(meanGap, rng)) arrivals.push({ t, kind, k });
  });
  arrivals.sort((a, b) => a.t - b.t || a.k - b.k);

  const busy: { node: number; start: number; end: number }[] = [];
  const lateJoined = new Set<number>();
  const plans: FaultPlan[] = [];
  for (const a of arrivals) {
    const length = Math.max(MIN_LENGTH, exp(meanLength, rng));
    const end = a.kind === 'leave' || a.kind === 'join' ? undefined : Math.min(a.t + length, horizon);
    if (end !== undefined && end <= a.t) continue;
    const base: FaultPlan = { kind: a.kind, start: a.t, end, nodes: null, from: null, to: null, groups: undefined, latency: undefined, loss: undefined, duplicate: undefined, rate: undefined };
    switch (a.kind) {
      case 'crash':
      case 'pause':
      case 'leave': {
        const free = Array.from({ length: n }, (_, i) => i).filter((i) => !busy.some((b) => b.node === i && b.start < (end ?? Infinity) && a.t < b.end));
        const pickAt = Math.floor(rng.next() * free.length);
        if (free.length === 0) continue;
        const node = free[pickAt];
        busy.push({ node, start: a.t, end: end ?? Infinity });
        plans.push({ ...base, nodes: { list: [node] } });
        break;
      }
      case 'join': {
        // a late join: a node that has not joined by then joins now instead (none faulted before)
        const free = Array.from({ length: n }, (_, i) => i).filter((i) => !lateJoined.has(i) && !busy.some((b) => b.node === i && b.start < a.t));
        const pickAt = Math.floor(rng.next() * free.length);
        if (free.length === 0) continue;
        const node = free[pickAt];
        lateJoined.add(node);
        busy.push({ node, start: 0, end: a.t });
        plans.push({ ...base, nodes: { list: [node] } });
        break;
      }
      case 'partition': {
        const forms: Groups[] = n >= 3 ? ['halves', 'bridge', 'majorities-ring', { isolate: 1 }] : ['halves'];
        plans.push({ ...base, groups: forms[Math.floor(rng.next() * forms.length)] });
        break;
      }
      case 'one-way': {
        const order = shuffle(n, rng);
        const cut = Math.max(1, Math.floor(n / 2));
        plans.push({ ...base, from: { list: order.slice(0, cut).sort((x, y) => x - y) }, to: { list: order.slice(cut).sort((x, y) => x - y) } });
        break;
      }
      case 'loss-burst':
        plans.push({ ...base, loss: burstLoss });
        break;
      case 'clog':
        plans.push({ ...base, from: { list: [Math.floor(rng.next() * n)] } });
        break;
      default:
        break;
    }
  }
  return { plans, profile };
}

function exp(mean: number, rng: Rng): number {
  return Math.round(-mean * Math.log(1 - rng.next()));
}


function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

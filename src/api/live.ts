// Wiring the UDP driver to a scenario: the simulator's own fault rules, loss, latency and
// duplication, and its workload's send times, handed to src/transport as a policy. This file
// sits in src/api (the API layer), which may import both drivers; transport itself
// never imports sim, and sim's files are used unchanged (no rule code is copied or moved).
//
// The streams are the simulator's (src/sim/rng.ts), one per purpose, so a live run of a
// scenario and seed sends at the same scenario times as its simulation and draws its
// partitions' groups identically; what differs is the real network underneath and the order
// in which arrivals consume the network stream.

import type { LoadedScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/resolve.js';
import { sampler } from '../sim/dist.js';
import { drawSchedule } from '../sim/schedule.js';
import { CutRule, PartitionRule, type FaultRule } from '../sim/faults.js';
import { cutPredicate } from '../sim/partitions.js';
import { userError } from '../util/errors.js';
import { stream } from '../sim/rng.js';
import type { LiveOptions } from '../transport/driver.js';
import type { CopyFate, FaultSwitches, ReceiptPolicy, SendTimes } from '../transport/policy.js';
import { DEFAULT_BROADCAST, DEFAULT_PORT } from '../transport/defaults.js';

export interface LiveTransport {
  readonly port?: number;
  /** Broadcast address (default 127.255.255.255). */
  readonly address?: string;
  /** Wall seconds per scenario second (default 1). */
  readonly timeScale?: number;
  /** Wall ms to wait for datagrams in flight after the last send (default 500). */
  readonly graceMs?: number;
  readonly signal?: AbortSignal;
}

/** The UDP driver's options for a scenario and seed. */
export function liveOptions(loaded: LoadedScenario, seed: number, t: LiveTransport): LiveOptions {
  const scenario = loaded.scenario;
  if (scenario.faults.length > 0 || scenario.randomFaults !== undefined || scenario.quietStart !== undefined) {
    throw userError('--transport', 'expected a scenario without faults:, random_faults: or quiet: for a live run (they run in the simulator only; partitions: works live)');
  }
  if (scenario.recvBuffer !== 2048) {
    throw userError('--transport', 'expected protocol: recv_buffer: 2048 for a live run (another receive buffer runs in the simulator only)');
  }
  if (scenario.membership === 'static') {
    throw userError('--transport', 'expected join: membership: handshake for a live run (static membership runs in the simulator only)');
  }
  const { policy, faults } = receiptPolicy(scenario, seed);
  return {
    scenario: {
      names: scenario.names,
      joinAt: scenario.joinAt,
      duration: scenario.duration,
      senders: scenario.workload.senders,
      text: scenario.workload.text,
      deliverToSelf: scenario.network.deliverToSelf,
    },
    clock: scenario.clock,
    endpoint: { port: t.port ?? DEFAULT_PORT, address: t.address ?? DEFAULT_BROADCAST },
    timeScale: t.timeScale ?? 1,
    policy,
    faults,
    sendTimes: sendTimes(scenario, seed),
    graceMs: t.graceMs,
    signal: t.signal,
  };
}

/** Per-receiver fates, in the simulator's order: fault rules, then loss, latency, duplicate. */
export function receiptPolicy(scenario: Scenario, seed: number): { policy: ReceiptPolicy; faults: FaultSwitches } {
  const net = stream(seed, 'network');
  const latency = sampler(scenario.network.latency);
  // Live runs take the `partitions:` list only: the schedule's first records.
  const schedule = drawSchedule(scenario, seed);
  const records = schedule.records.slice(0, scenario.partitions.length);
  const partitions = schedule.faults.slice(0, scenario.partitions.length).map((f) => {
    const cut = f.cut!;
    return cut.bridge === undefined && cut.ring === undefined ? new PartitionRule(f.record.id, cut.groups, scenario.nodes) : new CutRule(f.record.id, 'partition', cutPredicate(cut, scenario.nodes));
  });
  const rules: FaultRule[] = [...partitions];
  const { loss, duplicate } = scenario.network;
  const copy = (c: number): CopyFate => {
    if (loss > 0 && net.next() < loss) return { copy: c, drop: 'dropped', reason: 'loss' };
    return { copy: c, delay: latency(net) };
  };
  const policy: ReceiptPolicy = {
    decide(from, to, now) {
      if (from >= 0) {
        for (const r of rules) {
          const v = r.judge(from, to, now);
          if (v !== undefined) return [{ copy: 0, drop: v.outcome, reason: v.reason }];
        }
      }
      const fates = [copy(0)];
      if (duplicate > 0 && net.next() < duplicate) fates.push(copy(1));
      return fates;
    },
  };
  const changes = scenario.partitions.flatMap((p, index) => [
    { t: p.start, index, on: true },
    ...(p.end !== undefined ? [{ t: p.end, index, on: false }] : []),
  ]).sort((a, b) => a.t - b.t);
  const faults: FaultSwitches = {
    records,
    changes,
    set(index, on) { partitions[index].active = on; },
  };
  return { policy, faults };
}

/** The workload's send times, drawn exactly as src/sim/driver.ts `scheduleSend` draws them. */
export function sendTimes(scenario: Scenario, seed: number): SendTimes {
  const workload = scenario.workload;
  const rngs = scenario.names.map((name) => stream(seed, `workload/${name}`));
  return {
    next(node, sent, prev) {
      if (workload.count !== undefined && sent >= workload.count) return null;
      const gap = workload.process === 'fixed' ? workload.interval : Math.round(-workload.interval * Math.log(1 - rngs[node].next()));
      return Math.max(prev, workload.start) + gap;
    },
  };
}

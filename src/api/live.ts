// Wiring the UDP driver to a scenario: the simulator's own fault rules, loss, latency and
// duplication, and its workload's send times, handed to src/transport as a policy. This file
// sits in src/api (the API layer), which may import both drivers; transport itself
// never imports sim, and sim's files are used unchanged (no rule code is copied or moved).
//
// The streams are the simulator's (src/world/rng.ts), one per purpose, so a live run of a
// scenario and seed sends at the same scenario times as its simulation and draws its
// partitions' groups identically; what differs is the real network underneath and the order
// in which arrivals consume the network stream.

import { LIVE_CLOCK_RULES } from '../core/rules.js';
import type { LoadedScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/resolve.js';
import { LinkModel } from '../world/links.js';
import { drawSchedule } from '../world/schedule.js';
import { Workload } from '../world/workload.js';
import { userError } from '../util/errors.js';
import { stream } from '../world/rng.js';
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
  if (!LIVE_CLOCK_RULES.includes(scenario.clock)) {
    throw userError('--transport', `expected protocol: clock: ${LIVE_CLOCK_RULES.join(', ')} for a live run (the ${scenario.clock} clock runs in the simulator only; docs/clocks.md)`);
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

/** Per-receiver fates, by the link model's chain (src/world/links.ts) over the `partitions:` list. */
export function receiptPolicy(scenario: Scenario, seed: number): { policy: ReceiptPolicy; faults: FaultSwitches } {
  // Live runs take the `partitions:` list only: the schedule's first records.
  const schedule = drawSchedule(scenario, seed);
  const records = schedule.records.slice(0, scenario.partitions.length);
  const links = new LinkModel<never>(schedule.faults.slice(0, scenario.partitions.length), scenario.nodes, scenario.network, stream(seed, 'network'));
  const policy: ReceiptPolicy = {
    decide(from, to) {
      const copies = links.attempt(from, to);
      if (copies === 0) return [{ copy: 0, drop: links.refusal!.outcome, reason: links.refusal!.reason }];
      const fates: CopyFate[] = [];
      for (let c = 0; c < copies; c++) {
        const reason = links.dropReason[c];
        fates.push(reason !== null ? { copy: c, drop: 'dropped', reason } : { copy: c, delay: links.delay[c] });
      }
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
    set(index, on) { links.set(index, on); },
  };
  return { policy, faults };
}

/** The workload's send times, drawn by the simulator's own Workload (src/world/workload.ts). */
export function sendTimes(scenario: Scenario, seed: number): SendTimes {
  const workload = new Workload(scenario, seed);
  return { next: (node, sent, prev) => workload.next(node, sent, prev) };
}

// What a run will cost, estimated from its scenario before it starts (docs/errors.md,
// "Limits"): delivery attempts (each one trace event), node events, and the peak of the event
// queue, the simulator's one structure that grows with the load. Rough on purpose (a factor
// of two either way): it is there to refuse a run that cannot fit in memory, and to warn with
// numbers before a run that will take minutes.

import type { Latency } from '../scenario/schema.js';
import type { Scenario } from '../scenario/resolve.js';

/** Bytes one queued delivery takes (a Work object and its heap slot, measured roughly). */
export const BYTES_PER_QUEUED = 160;

export interface RunEstimate {
  /** Chat messages sent. */
  readonly sends: number;
  /** Delivery attempts (handshake and chat), each one trace event. */
  readonly deliveries: number;
  /** Trace events, roughly: deliveries plus sends and joins. */
  readonly events: number;
  /** Deliveries in the event queue at its fullest. */
  readonly peakQueue: number;
  /** Memory of the queue at its fullest, in bytes. */
  readonly peakBytes: number;
}

/** The mean of a latency distribution in microseconds (a heavy tail counts as 10x its scale). */
export function meanLatency(d: Latency): number {
  switch (d.dist) {
    case 'constant': return d.value;
    case 'uniform': return (d.min + d.max) / 2;
    case 'exponential': return d.mean;
    case 'normal': return Math.max(0, d.mean);
    case 'lognormal': return d.median * Math.min(Math.exp((d.sigma * d.sigma) / 2), 10);
    case 'pareto': return d.alpha > 1 ? (d.min * d.alpha) / (d.alpha - 1) : d.min * 10;
  }
}

export function estimateRun(sc: Scenario): RunEstimate {
  const n = sc.nodes;
  const w = sc.workload;
  const window = Math.max(0, sc.duration - w.start);
  const perSender = w.interval === 0 ? w.count ?? 0 : Math.min(w.count ?? Infinity, window / w.interval + 1);
  const sends = w.senders.length * perSender;
  const copies = 1 + sc.network.duplicate;
  const chatDeliveries = sends * n * copies;
  // The seed's handshake: n announcements to n nodes, each answered by a reply to all n.
  const handshake = sc.membership === 'handshake' ? (n * n + n * (n - 1) * n) * copies : 0;
  const deliveries = chatDeliveries + handshake;
  const latency = Math.max(1, meanLatency(sc.network.latency));
  // Peak of the queue: chat deliveries in flight at once, or the handshake's burst (the
  // replies to every announcement made within one latency of each other are in flight together).
  const chatRate = w.interval === 0 ? sends : (w.senders.length / w.interval) * n * copies;
  const chatPeak = Math.min(chatDeliveries, chatRate * latency + n);
  let first = Infinity;
  let last = -Infinity;
  for (const t of sc.joinAt) {
    if (t < first) first = t;
    if (t > last) last = t;
  }
  const joinSpread = n > 1 ? (last - first) / (n - 1) : 0;
  const joinsTogether = Math.min(n, 1 + (joinSpread === 0 ? n : latency / joinSpread));
  const handshakePeak = sc.membership === 'handshake' ? joinsTogether * n * n * copies : 0;
  const peakQueue = Math.max(chatPeak, handshakePeak, n);
  return {
    sends,
    deliveries,
    events: deliveries + sends + n,
    peakQueue,
    peakBytes: peakQueue * BYTES_PER_QUEUED,
  };
}

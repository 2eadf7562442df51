// Fault rules: each is asked about every delivery attempt (sender, receiver, time) and
// returns no opinion, or a verdict (drop, with the outcome and the fault that caused it).
// The first rule with an opinion wins; the network's own loss and latency apply after.
// A rule never draws randomness while judging, so asking it is free of side effects.
//
// Beside the drop rules live the link rules the driver asks at other moments:
//   ShapeRule     (link, loss-burst) at send time: replaces latency, loss or duplication;
//   ClogRule      at arrival: holds the datagram until the clog ends, then releases it;
//   CapacityRule  at arrival: one datagram per link per 1/rate seconds, the rest queue.
// Node faults (crash, pause, leave) are node states, kept by the driver.

import type { DropOutcome } from '../trace/events.js';
import { groupIndex } from './partitions.js';
import type { Sampler } from './dist.js';

/** A rule's opinion on a delivery attempt: drop it, and why (the checker's Verdict on a pair of events is another thing). */
export interface DropVerdict {
  readonly outcome: DropOutcome;
  /** The fault that refused the delivery, e.g. `partition p1`. */
  readonly reason: string;
}

export interface FaultRule {
  judge(from: number, to: number, now: number): DropVerdict | undefined;
}

/** A partition: active in [start, end); a datagram between groups is dropped. */
export class PartitionRule implements FaultRule {
  private readonly groupOf: Int32Array;
  private readonly verdict: DropVerdict;
  active = false;

  constructor(readonly id: string, groups: readonly (readonly number[])[], n: number) {
    this.groupOf = groupIndex(groups, n);
    this.verdict = { outcome: 'partitioned', reason: `partition ${id}` };
  }

  judge(from: number, to: number): DropVerdict | undefined {
    if (this.active && this.groupOf[from] !== this.groupOf[to]) return this.verdict;
    return undefined;
  }
}

/** Any cut given as a predicate (bridge, majorities-ring, one-way): blocked pairs drop. */
export class CutRule implements FaultRule {
  private readonly verdict: DropVerdict;
  active = false;

  constructor(readonly id: string, kind: string, private readonly blocked: (from: number, to: number) => boolean) {
    this.verdict = { outcome: 'partitioned', reason: `${kind} ${id}` };
  }

  judge(from: number, to: number): DropVerdict | undefined {
    if (this.active && this.blocked(from, to)) return this.verdict;
    return undefined;
  }
}

/** Which directed links a link fault covers: sender and receiver masks (null: all). */
export class LinkSet {
  constructor(private readonly from: Uint8Array | null, private readonly to: Uint8Array | null) {}

  static of(from: readonly number[] | null, to: readonly number[] | null, n: number): LinkSet {
    const mask = (l: readonly number[] | null): Uint8Array | null => {
      if (l === null) return null;
      const m = new Uint8Array(n);
      for (const i of l) m[i] = 1;
      return m;
    };
    return new LinkSet(mask(from), mask(to));
  }

  has(from: number, to: number): boolean {
    return (this.from === null || this.from[from] === 1) && (this.to === null || this.to[to] === 1);
  }
}

/** A link override (latency, loss, duplication) or a loss burst, while active. */
export class ShapeRule {
  active = false;
  /** The drop reason for its losses, e.g. `loss-burst f3`. */
  readonly reason: string;

  constructor(
    readonly id: string,
    kind: string,
    readonly links: LinkSet,
    readonly latency: Sampler | undefined,
    readonly loss: number | undefined,
    readonly duplicate: number | undefined,
  ) {
    this.reason = `${kind} ${id}`;
  }
}

/** Holds arrivals on its links while active; the driver releases them, in order, at the end. */
export class ClogRule<T> {
  active = false;
  readonly held: T[] = [];
  constructor(readonly id: string, readonly links: LinkSet) {}
}

/** A link capacity: each directed link delivers one datagram per `service` microseconds. */
export class CapacityRule {
  active = false;
  private readonly busyUntil = new Map<number, number>();
  readonly service: number;

  constructor(readonly id: string, readonly links: LinkSet, rate: number, private readonly n: number) {
    this.service = Math.max(1, Math.round(1_000_000 / rate));
  }

  /** The time a datagram arriving now on from->to gets delivered (now, or later if queued). */
  slot(from: number, to: number, now: number): number {
    const key = from * this.n + to;
    const t = Math.max(now, this.busyUntil.get(key) ?? 0);
    this.busyUntil.set(key, t + this.service);
    return t;
  }

  reset(): void {
    this.busyUntil.clear();
  }
}

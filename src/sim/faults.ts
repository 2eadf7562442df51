// Fault rules: each is asked about every delivery attempt (sender, receiver, time) and
// returns no opinion, or a verdict (drop, with the outcome and the fault that caused it).
// The first rule with an opinion wins; the network's own loss and latency apply after.
// A rule never draws randomness while judging, so asking it is free of side effects.

import type { DropOutcome } from '../trace/events.js';
import { groupIndex } from './partitions.js';

export interface Verdict {
  readonly outcome: DropOutcome;
  /** The fault that refused the delivery, e.g. `partition p1`. */
  readonly reason: string;
}

export interface FaultRule {
  judge(from: number, to: number, now: number): Verdict | undefined;
}

/** A partition: active in [start, end); a datagram between groups is dropped. */
export class PartitionRule implements FaultRule {
  private readonly groupOf: Int32Array;
  private readonly verdict: Verdict;
  active = false;

  constructor(readonly id: string, groups: readonly (readonly number[])[], n: number) {
    this.groupOf = groupIndex(groups, n);
    this.verdict = { outcome: 'partitioned', reason: `partition ${id}` };
  }

  judge(from: number, to: number): Verdict | undefined {
    if (this.active && this.groupOf[from] !== this.groupOf[to]) return this.verdict;
    return undefined;
  }
}

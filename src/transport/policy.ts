// What the UDP driver is told about the scenario's network, by whoever wires it (src/api/live.ts):
// the fate of each datagram as it arrives at each receiver (faults, loss, latency,
// duplication), the fault schedule, and the workload's send times. The driver only asks;
// the rules themselves are the simulator's, injected, so transport never imports sim.

import type { DropOutcome, FaultRecord } from '../trace/events.js';

/** One copy of an arrived datagram: hand it to the core after `delay` µs, or drop it. */
export type CopyFate =
  | { readonly copy: number; readonly delay: number }
  | { readonly copy: number; readonly drop: DropOutcome; readonly reason: string };

export interface ReceiptPolicy {
  /**
   * The fate of a datagram from node `from` (-1: not a node of this run) arriving at node
   * `to` at scenario time `now` (µs): one entry per copy (a duplicate adds a second).
   */
  decide(from: number, to: number, now: number): readonly CopyFate[];
}

/** The run's faults as the live driver switches them on and off at their times (the simulator's drawn schedule is src/world/schedule.ts FaultSchedule). */
export interface FaultSwitches {
  readonly records: readonly FaultRecord[];
  /** Switch points in scenario time, in time order. */
  readonly changes: readonly { readonly t: number; readonly index: number; readonly on: boolean }[];
  /** Turns fault `index` on or off (the policy sees the change at once). */
  set(index: number, on: boolean): void;
}

export interface SendTimes {
  /**
   * The scenario time of node `node`'s next send, after its send number `sent` (0 before
   * the first) was scheduled at `prev` (its join time before the first), or null: no more.
   */
  next(node: number, sent: number, prev: number): number | null;
}

// The trace: the one contract between what produces events (the simulator, the UDP
// transport) and what consumes them (the checker, the CSV and JSONL writers, the summary,
// the diagrams, the digest). Producers do not know consumers. Every field here is
// documented in docs/outputs.md, "The trace format" and stays stable; add, never rename.
//
// Times are integer microseconds. `ev` numbers the node events (the rows of events.csv);
// `msg` numbers broadcasts (every datagram a node sends, handshakes included), so a chat
// message has the same `msg` on its send and on each of its receives.

import type { ClockSnapshot } from '../core/clock.js';
import type { DeathCause, IgnoredReason } from '../core/node.js';
import type { ClockRuleName } from '../core/rules.js';

/** Format 2: compact clocks and node ids (docs/outputs.md, "The trace format"); format 1 is still read. */
export const TRACE_FORMAT = 2;

/** What a datagram was sent as. */
export type DatagramKind = 'join' | 'reply' | 'chat';

export interface TraceHeader {
  readonly type: 'header';
  readonly vcsim: string;
  readonly format: number;
  readonly transport: 'sim' | 'udp';
  /** False for live runs: their trace cannot be recomputed from the header. */
  readonly replayable: boolean;
  readonly seed: number;
  readonly clock: ClockRuleName;
  readonly nodes: readonly string[];
  /** The scenario as loaded, overrides applied: enough to rerun the run by itself. */
  readonly scenario: Record<string, unknown>;
  /** The fault schedule as drawn from the seed (partitions with their concrete groups). */
  readonly faults: readonly FaultRecord[];
  /** With `random_faults:` only: the profile the schedule was drawn with (swarm: drawn too). */
  readonly fault_profile?: FaultProfile;
  /** With `physical_clocks:` only: each node's physical clock as drawn from the seed (docs/clocks.md, "hlc"). */
  readonly physical_clocks?: Readonly<Record<string, { readonly offset_us: number; readonly drift_ppm: number }>>;
  /** Live runs only: where they ran, and wall seconds per scenario second. */
  readonly live?: { readonly port: number; readonly address: string; readonly time_scale: number };
}

/** Every kind of fault a trace records; `quiet` marks the start of the final quiet phase (a planned fault's kind, src/scenario/faults.ts FaultPlanKind, is one of the others). */
export type FaultKind = 'partition' | 'crash' | 'pause' | 'leave' | 'join' | 'one-way' | 'link' | 'loss-burst' | 'clog' | 'capacity' | 'quiet';

export interface FaultRecord {
  readonly id: string;
  readonly kind: FaultKind;
  readonly start: number;
  /** When it heals (crash: the restart; pause: the resume); null: never by itself. */
  readonly end: number | null;
  /** partition: the concrete groups; [] for other kinds. */
  readonly groups: readonly (readonly string[])[];
  /** crash, pause, leave: the nodes. */
  readonly nodes?: readonly string[];
  /** one-way and link faults: senders and receivers it applies to (absent: all). */
  readonly from?: readonly string[];
  readonly to?: readonly string[];
  /** partition `bridge`: the node that still hears and reaches both halves. */
  readonly bridge?: string;
  /** partition `majorities-ring`: the ring order; each node hears its nearest neighbours. */
  readonly ring?: readonly string[];
  /** link: latency override (as in the scenario, microseconds). */
  readonly latency?: Readonly<Record<string, string | number>>;
  readonly loss?: number;
  readonly duplicate?: number;
  /** capacity: datagrams per second per link. */
  readonly rate?: number;
  /** Set on faults drawn by `random_faults:`. */
  readonly origin?: 'random';
}

export interface FaultProfile {
  readonly profile: 'rates' | 'swarm';
  /** Mean faults per second, per kind. */
  readonly rates: Readonly<Record<string, number>>;
  readonly mean_duration: number;
  /** loss-burst: the loss probability drawn faults use. */
  readonly burst_loss: number;
}

/** Where a delivered datagram came from (on every event caused by a delivery). */
interface Delivery {
  readonly msg: number;
  readonly from: string;
  readonly sent: number;
  /** 0 for the original copy, 1 for a network duplicate. */
  readonly copy: number;
  readonly dg: DatagramKind;
}

export type TraceEvent =
  /** join: `msg` is the announcement's message id, 0 if none was sent (static membership). */
  | { readonly type: 'join'; readonly ev: number; readonly t: number; readonly node: string; readonly msg: number; readonly after: ClockSnapshot }
  | ({ readonly type: 'join_seen'; readonly ev: number; readonly t: number; readonly node: string; readonly reply: number; readonly reset: boolean; readonly before: ClockSnapshot; readonly after: ClockSnapshot } & Delivery)
  | ({ readonly type: 'reply_seen'; readonly ev: number; readonly t: number; readonly node: string; readonly before: ClockSnapshot; readonly after: ClockSnapshot } & Delivery)
  | { readonly type: 'send'; readonly ev: number; readonly t: number; readonly node: string; readonly msg: number; readonly text: string; readonly bytes: number; readonly before: ClockSnapshot; readonly after: ClockSnapshot }
  | ({ readonly type: 'receive'; readonly ev: number; readonly t: number; readonly node: string; readonly before: ClockSnapshot; readonly after: ClockSnapshot } & Delivery)
  | ({ readonly type: 'receiver_died'; readonly ev: number; readonly t: number; readonly node: string; readonly cause: DeathCause; readonly detail: string; readonly before: ClockSnapshot; readonly after: ClockSnapshot } & Delivery)
  | ({ readonly type: 'ignored'; readonly t: number; readonly node: string; readonly reason: IgnoredReason; readonly detail: string } & Delivery)
  | ({ readonly type: 'drop'; readonly t: number; readonly to: string; readonly outcome: DropOutcome; readonly reason: string } & Delivery)
  | { readonly type: 'fault'; readonly t: number; readonly id: string; readonly kind: FaultKind; readonly phase: 'start' | 'end'; readonly groups: readonly (readonly string[])[]; readonly nodes?: readonly string[]; readonly from?: readonly string[]; readonly to?: readonly string[]; readonly released?: number }
  | { readonly type: 'end'; readonly t: number; readonly events: number; readonly messages: number };

/**
 * Why a delivery attempt did not reach the node's protocol logic. `dropped`: lost by the
 * network; `partitioned`: a partition separated sender and receiver; `receiver_dead`: the
 * receiver's receiving thread had died (seed rule), so nobody read it; `receiver_down`: the
 * receiver was crashed or had left (the reason names the fault).
 */
export type DropOutcome = 'dropped' | 'partitioned' | 'receiver_dead' | 'receiver_down';

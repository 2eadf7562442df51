// The truth about causality in a run: Lamport's happened-before relation over its chat
// events, as true vector timestamps computed from the trace itself (not from the clocks the
// nodes kept). Pure and incremental: events in, one true vector timestamp per chat event out.
//
// Chat events are the node events of the chat: `send`, and the receipt of a chat datagram
// (`receive`, and `receiver_died` with dg 'chat': the node read the datagram, then its
// receiving thread died). Handshake events (join, join_seen, reply_seen) are not chat events.
// The relation is the smallest one holding program order per node (events of one node in
// trace order) and send -> each receipt of the same `msg` (duplicates included).
//
// A true vector timestamp V(e) counts, for each node n, the chat events of n that happened
// before e or are e (entries that would be 0 are left out). So V(e)[node(e)] is e's position
// among its node's chat events (1, 2, 3, ...), and for events a != b:
//   a happened before b  <=>  V(a)[node(a)] <= V(b)[node(a)]

import { Truth } from '../check/truth.js';

/** What the truth reads of a trace event (TraceEvent and PlainEvent both fit). */
export interface CausalInput {
  readonly type: string;
  readonly ev?: number;
  readonly node?: string;
  readonly msg?: number;
  readonly dg?: string;
}

/** A true vector timestamp: node name -> count, zero entries left out. */
export type TrueClock = Readonly<Record<string, number>>;

export function isChatEvent(e: CausalInput): boolean {
  if (e.ev === undefined || e.node === undefined) return false;
  if (e.type === 'send') return true;
  return (e.type === 'receive' || e.type === 'receiver_died') && e.dg === 'chat';
}

/**
 * The truth, computed as events stream past (in trace order): the checker's own Truth
 * (src/check/truth.ts), so the pictures and the verdicts cannot disagree about what
 * happened, with its timestamps given as name -> count records for the report and ShiViz.
 */
export class TruthTracker {
  private readonly truth = new Truth([], true);

  /** The event's true vector timestamp, or null if it is not a chat event. */
  observe(e: CausalInput): TrueClock | null {
    const vt = this.step(e);
    return vt === null ? null : this.record(vt);
  }

  /** The event's true timestamp as the checker's vector (cheap), or null if not a chat event. */
  step(e: CausalInput): Int32Array | null {
    if (!isChatEvent(e) || e.msg === undefined) return null;
    const node = e.node as string;
    return e.type === 'send' ? this.truth.send(node, e.msg) : this.truth.receive(node, e.msg);
  }

  /** A timestamp from step() as a name -> count record (only for the events drawn). */
  record(vt: Int32Array): TrueClock {
    const v: Record<string, number> = {};
    for (let i = 0; i < vt.length; i++) if (vt[i] > 0) v[this.truth.nameOf(i)] = vt[i];
    return v;
  }
}

/** True vector timestamps of every chat event, by the event's `ev`. */
export function trueVectorClocks(events: Iterable<CausalInput>): Map<number, TrueClock> {
  const t = new TruthTracker();
  const out = new Map<number, TrueClock>();
  for (const e of events) {
    const v = t.observe(e);
    if (v !== null) out.set(e.ev as number, v);
  }
  return out;
}

/** `a` happened before `b` (strictly; a chat event does not happen before itself). */
export function happenedBefore(a: { node: string; v: TrueClock }, b: { node: string; v: TrueClock }): boolean {
  if (a === b) return false;
  const own = a.v[a.node] ?? 0;
  return own <= (b.v[a.node] ?? 0) && !(a.node === b.node && own === (b.v[b.node] ?? 0));
}

// From the core's node events to trace events, for live drivers: the same mapping the
// simulator makes (src/sim/driver.ts `trace`), so every trace consumer works unchanged on a
// live run. Times are wall-clock microseconds since the run started; `ev` numbers node
// events across the whole run.

import type { NodeEvent } from '../core/node.js';
import type { TraceBus } from '../trace/bus.js';
import type { DatagramKind } from '../trace/events.js';
import type { Datagram } from '../core/wire.js';

/** Where a datagram that reached a node came from. `msg` 0: sent outside this trace. */
export interface Arrival {
  readonly msg: number;
  readonly from: string;
  readonly sent: number;
  readonly copy: number;
  readonly dg: DatagramKind;
}

/** What a datagram is, for the trace's `dg` field. */
export function datagramKind(dg: Datagram): DatagramKind {
  const p = dg.parsed;
  return p.kind === 'join' ? 'join' : p.kind === 'reply' ? 'reply' : 'chat';
}

/** The name a datagram claims to come from ('' if it does not parse). */
export function claimedSender(dg: Datagram): string {
  const p = dg.parsed;
  return p.kind === 'chat' ? p.sender : p.kind === 'unparsable' ? p.sender ?? '' : p.name;
}

export class LiveTracer {
  private nextEv = 0;

  constructor(private readonly bus: TraceBus) {}

  get events(): number {
    return this.nextEv;
  }

  /**
   * Traces one core event. `msg` and `bytes`: the first datagram the input transmitted (the
   * join announcement, the chat message, the join reply); `cause`: the delivery behind it.
   */
  node(e: NodeEvent, msg: number, bytes: number, cause: Arrival | null): void {
    const bus = this.bus;
    switch (e.type) {
      case 'join':
        bus.emit({ type: 'join', ev: this.nextEv++, t: e.t, node: e.node, msg, after: e.after });
        return;
      case 'send':
        bus.emit({ type: 'send', ev: this.nextEv++, t: e.t, node: e.node, msg, text: e.text, bytes, before: e.before, after: e.after });
        return;
    }
    if (cause === null) throw new Error(`bug: ${e.type} without a delivery`);
    const d = { msg: cause.msg, from: cause.from, sent: cause.sent, copy: cause.copy, dg: cause.dg };
    switch (e.type) {
      case 'join_seen':
        bus.emit({ type: 'join_seen', ev: this.nextEv++, t: e.t, node: e.node, ...d, reply: msg, reset: e.reset, before: e.before, after: e.after });
        return;
      case 'reply_seen':
        bus.emit({ type: 'reply_seen', ev: this.nextEv++, t: e.t, node: e.node, ...d, before: e.before, after: e.after });
        return;
      case 'receive':
        bus.emit({ type: 'receive', ev: this.nextEv++, t: e.t, node: e.node, ...d, before: e.before, after: e.after });
        return;
      case 'receiver_died':
        bus.emit({ type: 'receiver_died', ev: this.nextEv++, t: e.t, node: e.node, ...d, cause: e.cause, detail: e.detail, before: e.before, after: e.after });
        return;
      case 'ignored':
        bus.emit({ type: 'ignored', t: e.t, node: e.node, ...d, reason: e.reason, detail: e.detail });
        return;
    }
  }
}

/** A monotonic wall clock in integer microseconds since `start()`. */
export class WallClock {
  private t0 = performance.now();

  start(): void {
    this.t0 = performance.now();
  }

  now(): number {
    return Math.round((performance.now() - this.t0) * 1000);
  }
}

// The fault switch: turns each fault of the schedule on and off, for the simulator and the
// live driver alike. Link faults go to the link model (src/world/links.ts), node faults to
// the node states (src/world/nodes.ts), the quiet phase heals both; the trace's fault and
// drop events are built here, the one place both drivers take them from.

import type { DatagramKind, DropOutcome, TraceEvent } from '../trace/events.js';
import type { LinkModel } from './links.js';
import type { NodeHost, NodeStates } from './nodes.js';
import type { ConcreteFault } from './schedule.js';

/** What a driver does when faults switch: the node faults' host, plus the trace and clog releases. */
export interface FaultHost<T, D> extends NodeHost<D> {
  emit(e: TraceEvent): void;
  /** A clog ended: these copies arrive now, in this order (through the chain's step 4 again). */
  release(items: readonly T[]): void;
}

export class FaultSwitch<T, D> {
  private readonly active: Uint8Array;
  private quiet = false;

  constructor(private readonly faults: readonly ConcreteFault[], readonly links: LinkModel<T>, readonly nodes: NodeStates<D>) {
    this.active = new Uint8Array(faults.length);
  }

  /** Fault f starts (`on`) or ends at time `now`. A fault the quiet phase healed stays healed. */
  toggle(f: number, on: boolean, now: number, host: FaultHost<T, D>): void {
    if (on === (this.active[f] === 1)) return;
    if (on && this.quiet) return;
    const fault = this.faults[f];
    this.active[f] = on ? 1 : 0;
    host.emit(faultEvent(fault, now, on, !on && fault.kind === 'clog' ? this.links.holding(f) : undefined));
    if (this.links.owns(f)) {
      const released = this.links.set(f, on);
      if (released.length > 0) host.release(released);
      return;
    }
    if (fault.kind === 'quiet') return this.startQuiet(f, now, host);
    this.nodes.switchFault(f, on, host);
  }

  /** The quiet phase: every active fault heals now (leaves and joins stay), crashed nodes restart, no more loss. */
  private startQuiet(f: number, now: number, host: FaultHost<T, D>): void {
    this.quiet = true;
    this.links.quiet = true;
    for (let g = 0; g < this.faults.length; g++) {
      const kind = this.faults[g].kind;
      if (g !== f && this.active[g] === 1 && kind !== 'leave' && kind !== 'join') this.toggle(g, false, now, host);
    }
    this.nodes.restartCrashed(host);
  }
}

/** The trace's fault event for a fault's start or end (`released`: what a clog let go). */
export function faultEvent(fault: ConcreteFault, t: number, on: boolean, released?: number): TraceEvent {
  const r = fault.record;
  return {
    type: 'fault', t, id: r.id, kind: r.kind, phase: on ? 'start' : 'end', groups: r.groups,
    ...(r.nodes !== undefined ? { nodes: r.nodes } : {}),
    ...(r.from !== undefined ? { from: r.from } : {}),
    ...(r.to !== undefined ? { to: r.to } : {}),
    ...(released !== undefined ? { released } : {}),
  };
}

/**
 * The trace's drop event for one copy of datagram `msg` (sent by `from` at `sent`, copy
 * 0 or 1, of kind `dg`) that does not reach `to` (key order as the trace has always had it).
 */
export function dropEvent(t: number, msg: number, from: string, sent: number, copy: number, dg: DatagramKind, to: string, outcome: DropOutcome, reason: string): TraceEvent {
  return { type: 'drop', t, msg, from, sent, copy, dg, to, outcome, reason };
}

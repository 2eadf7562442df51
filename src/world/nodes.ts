// The receivers' side of the chain (docs/faults.md, "The chain"): each node's state under
// node faults (crash, pause, leave, join), shared by the simulator and the live driver. A
// driver asks `accepts` before it hands a copy to a node, and tells the node faults'
// starts and ends to `switchFault`, which calls back the driver's host for what only a
// driver can do (start a node's protocol logic, hand it held inputs, drop what is lost).
//
//   not joined, left  the node is not bound to the port: no copy is made for it at all;
//   crashed           copies are dropped `receiver_down` (the crash's name as the reason);
//   paused            inputs are held, in order, and handled when the pause ends; a crash
//                     or leave meanwhile loses them (dropped `receiver_down`);
//   up                the copy reaches the node's protocol logic (which may have a dead
//                     receiver thread: `receiver_dead`, the core's state, not this file's).

import type { ConcreteFault } from './schedule.js';

export const NOT_JOINED = 0;
export const UP = 1;
export const CRASHED = 2;
export const LEFT = 3;

/** An input a paused node has not handled yet: a delivery (the driver's `D`), a typed line, or its join. */
export type HeldInput<D> = { readonly kind: 'deliver'; readonly d: D } | { readonly kind: 'send'; readonly seq: number } | { readonly kind: 'join' };

/** What a driver does on behalf of the node faults. `D` is a delivery held while paused. */
export interface NodeHost<D> {
  /** Start node i's protocol logic afresh (its join, or a restart after a crash). */
  start(i: number): void;
  /** Node i's join time came (or a join fault moved it here): join unless it is down or paused. */
  join(i: number): void;
  /** Node i went down (fault f): these held deliveries are lost with it. */
  lost(i: number, f: number, held: readonly D[]): void;
  /** A held typed line: node i sends its chat number `seq` now (at its resume). */
  sendNow(i: number, seq: number): void;
  /** A held delivery reaches its node now (at its resume). */
  deliverNow(d: D): void;
}

/** The deliveries among held inputs (what a crash, a leave or the run's end loses). */
function deliveries<D>(held: readonly HeldInput<D>[]): D[] {
  const out: D[] = [];
  for (const h of held) if (h.kind === 'deliver') out.push(h.d);
  return out;
}

export class NodeStates<D> {
  readonly status: Uint8Array;
  /** The crash or leave fault that took a node down; -1 if none. */
  readonly downBy: Int32Array;
  /** The pause holding a node; -1 if none. */
  readonly pausedBy: Int32Array;
  private readonly held: (HeldInput<D>[] | null)[];

  constructor(n: number, private readonly faults: readonly ConcreteFault[], private readonly joinAt: readonly number[]) {
    this.status = new Uint8Array(n);
    this.downBy = new Int32Array(n).fill(-1);
    this.pausedBy = new Int32Array(n).fill(-1);
    this.held = Array.from({ length: n }, () => null);
  }

  /** The receiver exists on the port (joined, not left): a broadcast makes a copy for it. */
  bound(i: number): boolean {
    const s = this.status[i];
    return s === UP || s === CRASHED;
  }

  /** The drop reason while node i is down (`crash f2`), or while paused (`pause f3`). */
  downReason(i: number): string {
    const f = this.downBy[i] >= 0 ? this.downBy[i] : this.pausedBy[i];
    const r = this.faults[f].record;
    return `${r.kind} ${r.id}`;
  }

  isDown(i: number): boolean {
    const s = this.status[i];
    return s === CRASHED || s === LEFT;
  }

  isPaused(i: number): boolean {
    return this.pausedBy[i] >= 0;
  }

  /** Keeps an input for a paused node. */
  hold(i: number, h: HeldInput<D>): void {
    this.held[i]!.push(h);
  }

  /** Node i's protocol logic started (or restarted). */
  up(i: number): void {
    this.status[i] = UP;
    this.downBy[i] = -1;
  }

  /** Node fault f starts (`on`) or ends. */
  switchFault(f: number, on: boolean, host: NodeHost<D>): void {
    const fault = this.faults[f];
    switch (fault.kind) {
      case 'crash':
        for (const i of fault.nodes) {
          if (on) this.takeDown(i, f, CRASHED, host);
          else if (this.status[i] === CRASHED && this.downBy[i] === f) host.start(i);
        }
        return;
      case 'leave':
        if (on) for (const i of fault.nodes) this.takeDown(i, f, LEFT, host);
        return;
      case 'join':
        if (on) for (const i of fault.nodes) if (this.joinAt[i] < fault.start) host.join(i);
        return;
      case 'pause':
        for (const i of fault.nodes) {
          if (on && !this.isDown(i) && this.pausedBy[i] < 0) {
            this.pausedBy[i] = f;
            this.held[i] = [];
          } else if (!on && this.pausedBy[i] === f) this.resume(i, host);
        }
        return;
      default:
        throw new Error(`bug: ${fault.kind} is not a node fault`);
    }
  }

  /** The quiet phase: every crashed node restarts. */
  restartCrashed(host: NodeHost<D>): void {
    for (let i = 0; i < this.status.length; i++) if (this.status[i] === CRASHED) host.start(i);
  }

  /** A node crashes or leaves: its state is gone; inputs it held are lost with it. */
  private takeDown(i: number, f: number, state: number, host: NodeHost<D>): void {
    if (this.status[i] === LEFT) return;
    this.status[i] = state;
    this.downBy[i] = f;
    const held = this.held[i];
    this.pausedBy[i] = -1;
    this.held[i] = null;
    host.lost(i, f, held === null ? [] : deliveries(held));
  }

  /** A paused node resumes: what it held is handled now, in the order it came; a node taken down meanwhile (a crash during the handling) handles no more but a join. */
  private resume(i: number, host: NodeHost<D>): void {
    const held = this.held[i]!;
    this.pausedBy[i] = -1;
    this.held[i] = null;
    for (const h of held) {
      if (this.status[i] !== UP && h.kind !== 'join') break;
      if (h.kind === 'join') host.start(i);
      else if (h.kind === 'send') host.sendNow(i, h.seq);
      else host.deliverNow(h.d);
    }
  }

  /** At the end of a run: every node still paused, with the deliveries it held (then forgotten). */
  stillPaused(): { node: number; held: D[] }[] {
    const out: { node: number; held: D[] }[] = [];
    for (let i = 0; i < this.held.length; i++) {
      const held = this.held[i];
      if (held === null) continue;
      out.push({ node: i, held: deliveries(held) });
      this.held[i] = null;
    }
    return out;
  }
}

// The simulation driver: virtual time, the event queue, the seeded network and workload,
// driving the unchanged core Node of src/core/node.ts. It owns the run's loop and nothing
// of the protocol: every protocol decision is the core's.
//
// Theory of operation. The queue holds four kinds of work, ordered by (time, seq):
//   join     a node starts: the core announces it;
//   send     a node's workload sends a chat message, then schedules its next send;
//   deliver  one copy of one broadcast reaches one receiver;
//   fault    a partition starts or heals.
// A broadcast becomes one delivery attempt per node that has joined (the sender included,
// as UDP broadcast loops back), judged by the chain of src/world (docs/faults.md, "The
// chain"): the receiver's state, the link model's cuts, loss, latency and duplicate at send
// time, its clogs and capacities at arrival, the receiver's state again at arrival. Drops
// are traced when they are decided; deliveries when they land. Sends stop at the scenario's duration; the run ends
// when the queue is empty, so every datagram in flight lands or is dropped.
// With `join: { membership: static }` a node starts knowing every name (Node.preload) and
// announces nothing: no handshake datagrams (a deliberate departure, for large N).

import { NameTable, type ClockSnapshot } from '../core/clock.js';
import { Node, type NodeEvent, type Outbox } from '../core/node.js';
import type { ClockRuleName } from '../core/rules.js';
import type { PhysicalClock } from '../core/stamps.js';
import { drawPhysicalClocks } from '../world/clocks.js';
import { initialId, type Id } from '../core/itc.js';
import { Datagram } from '../core/wire.js';
import type { Scenario } from '../scenario/resolve.js';
import type { TraceBus } from '../trace/bus.js';
import type { DatagramKind, TraceEvent } from '../trace/events.js';
import { dropEvent, FaultSwitch, type FaultHost } from '../world/faults.js';
import { HELD, LinkModel } from '../world/links.js';
import { CRASHED, LEFT, NodeStates, NOT_JOINED, UP } from '../world/nodes.js';
import { stream } from '../world/rng.js';
import { drawSchedule, type ConcreteFault } from '../world/schedule.js';
import { Workload } from '../world/workload.js';
import { DatagramTable } from './datagrams.js';
import { TypedEventQueue } from './queue.js';

// A queue entry is (time, node, a, b), no object: b holds the kind in its low 2 bits and
// the flags above them; a is the datagram's slot (DELIVER) or the fault's index (FAULT).
// node is the node (the receiver for DELIVER), -1 for FAULT.
const JOIN = 0;
const SEND = 1;
const DELIVER = 2;
const FAULT = 3;
const KIND_MASK = 3;
/** DELIVER: the copy is a network duplicate (copy 1). */
const DUPLICATE = 4;
/** DELIVER: the copy already waited for its link's capacity. */
const CAPACITY_DONE = 8;
/** FAULT: the fault starts (else it ends). */
const ON = 16;

/** One copy of a datagram for one receiver, as an object only while a clog or a pause holds it. */
interface Copy {
  readonly slot: number;
  readonly node: number;
  /** DELIVER's flags (DUPLICATE, CAPACITY_DONE). */
  readonly flags: number;
}


/** What the driver asks of a node: the core Node, or an object with the same inputs (src/program). */
export type SimNode = Pick<Node, 'start' | 'send' | 'receive' | 'receiving' | 'preload'>;

export interface SimOptions {
  readonly scenario: Scenario;
  /** Makes node i's object at each start and restart; null (or no hook): the core Node. */
  readonly makeNode?: (index: number, name: string) => SimNode | null;
  readonly seed: number;
  readonly clock: ClockRuleName;
  /** Events per batch between backpressure checks. */
  readonly batch?: number;
}

export async function simulate(opts: SimOptions, bus: TraceBus): Promise<void> {
  const sim = new Simulation(opts, bus);
  await sim.run(opts.batch ?? 4096);
}

class Simulation implements Outbox, FaultHost<Copy, Copy> {
  private readonly scenario: Scenario;
  private readonly names: readonly string[];
  private readonly nodes: (SimNode | null)[];
  private readonly queue = new TypedEventQueue();
  private readonly dgs = new DatagramTable();
  private readonly workload: Workload;
  private readonly faults: ConcreteFault[];
  private readonly links: LinkModel<Copy>;
  private readonly states: NodeStates<Copy>;
  private readonly switch: FaultSwitch<Copy, Copy>;
  private readonly sentCount: Int32Array;
  /** One name table for all nodes of the run, so attached clocks resolve once per datagram. */
  private readonly table = new NameTable();
  /** 1 while a node's chain of workload sends is scheduled. */
  private readonly chain: Uint8Array;
  private batches = 0;
  private now = 0;
  private nextEv = 0;
  private nextMsg = 1;
  /** The node whose input is being handled, and the delivery that caused it (its slot, or -1, and copy). */
  private current = -1;
  private cause = -1;
  private causeCopy = 0;
  /** The current input's outputs: the first nTx / nEv entries (reused, never truncated). */
  private readonly pendingTx: string[] = [];
  private readonly pendingEv: NodeEvent[] = [];
  private nTx = 0;
  private nEv = 0;

  /** Each node's physical clock (physical_clocks:), or undefined. */
  private readonly physical: readonly PhysicalClock[] | undefined;
  /** Interval tree clocks: each initial node's id (undefined for newcomers). */
  private readonly itcIds: readonly (Id | undefined)[];

  constructor(private readonly opts: SimOptions, private readonly bus: TraceBus) {
    const scenario = opts.scenario;
    const n = scenario.nodes;
    this.scenario = scenario;
    this.names = scenario.names;
    this.nodes = scenario.names.map(() => null);
    this.workload = new Workload(scenario, opts.seed);
    this.physical = drawPhysicalClocks(scenario, opts.seed);
    this.sentCount = new Int32Array(n);
    this.chain = new Uint8Array(n);
    this.faults = drawSchedule(scenario, opts.seed).faults;
    this.itcIds = opts.clock === 'itc' ? initialItcIds(scenario, this.lateByFault()) : [];
    this.links = new LinkModel<Copy>(this.faults, n, scenario.network, stream(opts.seed, 'network'));
    this.states = new NodeStates<Copy>(n, this.faults, scenario.joinAt);
    this.switch = new FaultSwitch(this.faults, this.links, this.states);
  }

  /** Nodes whose join a `join` fault moves later (churn). */
  private lateByFault(): Set<number> {
    const joinAt = this.scenario.joinAt;
    return new Set(this.faults.filter((f) => f.kind === 'join').flatMap((f) => f.nodes.filter((i) => joinAt[i] < f.start)));
  }

  async run(batch: number): Promise<void> {
    const late = this.lateByFault();
    const q = this.queue;
    this.scenario.joinAt.forEach((t, i) => { if (!late.has(i)) q.push(t, i, 0, JOIN); });
    this.faults.forEach((f, i) => {
      q.push(f.start, -1, i, FAULT | ON);
      if (f.end !== undefined) q.push(f.end, -1, i, FAULT);
    });
    for (;;) {
      for (let k = 0; k < batch; k++) {
        if (!q.pop()) {
          this.dropNeverResumed();
          this.bus.emit({ type: 'end', t: this.now, events: this.nextEv, messages: this.nextMsg - 1 });
          return;
        }
        this.now = q.time;
        this.step(q.node, q.a, q.b);
      }
      if (this.bus.backlogged()) await this.bus.drain();
      // Let the event loop breathe now and then (signals, progress), whatever the outputs:
      // a run with nothing to write never awaits otherwise. The trace does not depend on it.
      else if ((++this.batches & 15) === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private step(node: number, a: number, b: number): void {
    switch (b & KIND_MASK) {
      case JOIN: return this.join(node);
      case SEND: return this.send(node);
      case DELIVER: return this.deliver(node, a, b);
      case FAULT: return this.switch.toggle(a, (b & ON) !== 0, this.now, this);
    }
  }

  // --- FaultHost: what the node faults and clogs ask of the driver -------------------------

  join(i: number): void {
    if (this.states.status[i] !== NOT_JOINED) return; // crashed or left before it joined
    if (this.states.isPaused(i)) return this.states.hold(i, { kind: 'join' });
    this.start(i);
  }

  /** A node starts (or restarts afresh under its name): a new core Node announces itself. */
  start(i: number): void {
    const node = this.opts.makeNode?.(i, this.names[i]) ?? new Node(this.names[i], this.opts.clock, { names: this.table, recordClocks: this.bus.wantsClocks, countReceives: this.bus.counting, index: i, physical: this.physical?.[i], itcId: this.itcIds[i] });
    this.nodes[i] = node;
    this.states.up(i);
    const staticMembership = this.scenario.membership === 'static';
    if (staticMembership) node.preload(this.names);
    this.begin(i, -1, 0);
    node.start(this.now, this, !staticMembership);
    this.finishInput(i);
    if (this.chain[i] === 0 && this.workload.isSender[i] === 1) this.scheduleSend(i);
  }

  /** A node crashed or left: its state is gone, and the deliveries it held with it. */
  lost(i: number, _f: number, held: readonly Copy[]): void {
    this.nodes[i] = null;
    for (const c of held) this.dropDown(c.slot, c.node, c.flags);
  }

  /** A delivery a paused node held reaches it now (at its resume). */
  deliverNow(c: Copy): void {
    this.handle(c.slot, c.node, c.flags);
  }

  emit(e: TraceEvent): void {
    this.bus.emit(e);
  }

  /** A clog ended: what it held arrives now, in order. */
  release(items: readonly Copy[]): void {
    for (const c of items) this.queue.push(this.now, c.node, c.slot, DELIVER | c.flags);
  }

  // --- The workload -------------------------------------------------------------------------

  private scheduleSend(i: number): void {
    this.chain[i] = 0;
    const t = this.workload.next(i, this.sentCount[i], this.now);
    if (t === null) return;
    this.chain[i] = 1;
    this.queue.push(t, i, 0, SEND);
  }

  private send(i: number): void {
    const states = this.states;
    if (states.status[i] !== UP) {
      // A crashed node types nothing, but its user comes back; a node that left is gone.
      if (states.status[i] === LEFT) this.chain[i] = 0;
      else this.scheduleSend(i);
      return;
    }
    const seq = ++this.sentCount[i];
    if (states.isPaused(i)) states.hold(i, { kind: 'send', seq });
    else this.sendNow(i, seq);
    this.scheduleSend(i);
  }

  /** Node i's user types chat line number `seq` now. */
  sendNow(i: number, seq: number): void {
    const node = this.nodes[i]!;
    this.begin(i, -1, 0);
    node.send(this.now, this.workload.text(i, seq), this);
    this.finishInput(i);
  }

  // --- Deliveries ---------------------------------------------------------------------------

  /** A copy of the datagram in `slot` arrives at node i (flags: DUPLICATE, CAPACITY_DONE). */
  private deliver(i: number, slot: number, flags: number): void {
    const links = this.links;
    if (links.judgesArrivals) {
      // Clogs and capacities (an object per copy only in runs that have them).
      const at = links.arrive(this.dgs.from[slot], i, this.now, { slot, node: i, flags }, (flags & CAPACITY_DONE) !== 0);
      if (at === HELD) return;
      if (at > this.now) {
        this.queue.push(at, i, slot, DELIVER | flags | CAPACITY_DONE);
        return;
      }
    }
    const states = this.states;
    if (states.isDown(i)) return this.dropDown(slot, i, flags);
    if (states.isPaused(i)) return states.hold(i, { kind: 'deliver', d: { slot, node: i, flags } });
    this.handle(slot, i, flags);
  }

  /** A delivery reaches node i's protocol logic (or its dead receiver). */
  private handle(slot: number, i: number, flags: number): void {
    const node = this.nodes[i]!;
    const t = this.dgs;
    const copy = (flags & DUPLICATE) !== 0 ? 1 : 0;
    if (!node.receiving) {
      this.bus.emit(dropEvent(this.now, t.msg[slot], this.names[t.from[slot]], t.sent[slot], copy, t.kind(slot), this.names[i], 'receiver_dead', 'receiver thread died'));
    } else {
      this.begin(i, slot, copy);
      node.receive(this.now, t.dg(slot), this);
      this.finishInput(i);
    }
    t.unref(slot);
  }

  private dropDown(slot: number, i: number, flags: number): void {
    const t = this.dgs;
    const copy = (flags & DUPLICATE) !== 0 ? 1 : 0;
    this.bus.emit(dropEvent(this.now, t.msg[slot], this.names[t.from[slot]], t.sent[slot], copy, t.kind(slot), this.names[i], 'receiver_down', this.states.downReason(i)));
    t.unref(slot);
  }

  /** At the end of the run, deliveries held by nodes still paused are lost with them. */
  private dropNeverResumed(): void {
    for (const { held } of this.states.stillPaused()) for (const c of held) this.dropDown(c.slot, c.node, c.flags);
  }

  /**
   * One core input for node i, `cause` the delivery that triggered it: `begin`, then the
   * core's method, then `finishInput`. The core's outputs are collected, then traced (events
   * first, so a send precedes its drops), then the datagrams are broadcast, each under the
   * next message id. (No closure per input: this runs once per delivery.)
   */
  private begin(i: number, cause: number, copy: number): void {
    this.current = i;
    this.cause = cause;
    this.causeCopy = copy;
  }

  private finishInput(i: number): void {
    const txs = this.pendingTx;
    const evs = this.pendingEv;
    const firstMsg = this.nextMsg;
    const nTx = this.nTx;
    const nEv = this.nEv;
    this.nTx = 0;
    this.nEv = 0;
    this.nextMsg += nTx;
    if (nTx === 0) {
      for (let k = 0; k < nEv; k++) this.trace(evs[k], firstMsg, undefined);
    } else {
      const dgs: Datagram[] = [];
      for (let k = 0; k < nTx; k++) dgs.push(new Datagram(txs[k], undefined, this.scenario.recvBuffer));
      for (let k = 0; k < nEv; k++) this.trace(evs[k], firstMsg, dgs[0]);
      for (let k = 0; k < nTx; k++) this.fanOut(dgs[k], firstMsg + k, i);
    }
    this.current = -1;
    this.cause = -1;
  }

  // --- Outbox: the core's outputs, collected between begin and finishInput ----------------

  transmit(payload: string): void {
    this.pendingTx[this.nTx++] = payload;
  }

  event(e: NodeEvent): void {
    this.pendingEv[this.nEv++] = e;
  }

  /** The counting path (TraceBus.counting): a chat receive as integers, no event object. */
  received(now: number, after: ClockSnapshot): void {
    const c = this.cause;
    if (c < 0 || this.nEv !== 0 || this.nTx !== 0) throw new Error('bug: a counted receive that is not the only output of a delivery');
    this.nextEv++;
    const t = this.dgs;
    this.bus.countReceive(now, this.current, t.from[c], t.msg[c], this.causeCopy, after);
  }

  /** One delivery attempt per joined node: the receiver's state, then the link model's chain. */
  private fanOut(dg: Datagram, msg: number, from: number): void {
    const p = dg.parsed;
    const dgKind: DatagramKind = p.kind === 'join' ? 'join' : p.kind === 'reply' ? 'reply' : 'chat';
    const now = this.now;
    const deliverToSelf = this.scenario.network.deliverToSelf;
    const status = this.states.status;
    const links = this.links;
    const fromName = this.names[from];
    const table = this.dgs;
    const slot = table.add(dg, msg, from, now, dgKind);
    for (let to = 0; to < status.length; to++) {
      const state = status[to];
      if (state === NOT_JOINED || state === LEFT) continue; // not bound to the port: no copy for it
      if (to === from && !deliverToSelf) continue;
      if (state === CRASHED) {
        this.bus.emit(dropEvent(now, msg, fromName, now, 0, dgKind, this.names[to], 'receiver_down', this.states.downReason(to)));
        continue;
      }
      const copies = links.attempt(from, to);
      if (copies === 0) {
        const v = links.refusal!;
        this.bus.emit(dropEvent(now, msg, fromName, now, 0, dgKind, this.names[to], v.outcome, v.reason));
        continue;
      }
      for (let c = 0; c < copies; c++) {
        const reason = links.dropReason[c];
        if (reason !== null) this.bus.emit(dropEvent(now, msg, fromName, now, c, dgKind, this.names[to], 'dropped', reason));
        else {
          this.queue.push(now + links.delay[c], to, slot, c === 0 ? DELIVER : DELIVER | DUPLICATE);
          table.ref(slot);
        }
      }
    }
    table.releaseIfUnused(slot);
  }

  private trace(e: NodeEvent, msg: number, dg: Datagram | undefined): void {
    const c = this.cause;
    const bus = this.bus;
    switch (e.type) {
      case 'join':
        // msg is the announcement's id; 0 when the node announced nothing (static membership).
        bus.emit({ type: 'join', ev: this.nextEv++, t: e.t, node: e.node, msg: dg === undefined ? 0 : msg, after: e.after });
        return;
      case 'send':
        bus.emit({ type: 'send', ev: this.nextEv++, t: e.t, node: e.node, msg, text: e.text, bytes: dg!.byteLength, before: e.before, after: e.after });
        return;
    }
    if (c < 0) throw new Error(`bug: ${e.type} without a delivery`);
    // Literal objects (key order as the trace has always had it: type, ev, t, node, the
    // delivery's msg, from, sent, copy, dg, then the event's own fields), not spreads.
    const table = this.dgs;
    const from = this.names[table.from[c]];
    const cMsg = table.msg[c];
    const sent = table.sent[c];
    const copy = this.causeCopy;
    const dgKind = table.kind(c);
    switch (e.type) {
      case 'join_seen':
        bus.emit({ type: 'join_seen', ev: this.nextEv++, t: e.t, node: e.node, msg: cMsg, from, sent, copy, dg: dgKind, reply: msg, reset: e.reset, before: e.before, after: e.after });
        return;
      case 'reply_seen':
        bus.emit({ type: 'reply_seen', ev: this.nextEv++, t: e.t, node: e.node, msg: cMsg, from, sent, copy, dg: dgKind, before: e.before, after: e.after });
        return;
      case 'receive':
        bus.emit({ type: 'receive', ev: this.nextEv++, t: e.t, node: e.node, msg: cMsg, from, sent, copy, dg: dgKind, before: e.before, after: e.after });
        return;
      case 'receiver_died':
        bus.emit({ type: 'receiver_died', ev: this.nextEv++, t: e.t, node: e.node, msg: cMsg, from, sent, copy, dg: dgKind, cause: e.cause, detail: e.detail, before: e.before, after: e.after });
        return;
      case 'ignored':
        bus.emit({ type: 'ignored', t: e.t, node: e.node, msg: cMsg, from, sent, copy, dg: dgKind, reason: e.reason, detail: e.detail });
        return;
    }
  }
}

/**
 * Interval tree clocks: the initial nodes (those joining with the scenario's join.at and
 * stagger, not listed in join.times nor moved by a join fault; under static membership every
 * node) split the id space evenly, in node order; newcomers get none and ask for a share
 * (docs/clocks.md, "itc").
 */
export function initialItcIds(sc: Scenario, late: ReadonlySet<number>): (Id | undefined)[] {
  const initial = sc.names.map((_, i) => sc.membership === 'static' || (!sc.joinTimed[i] && !late.has(i)));
  const n = initial.filter(Boolean).length;
  let k = 0;
  return initial.map((yes) => (yes ? initialId(k++, n) : undefined));
}

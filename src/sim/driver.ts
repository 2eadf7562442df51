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
// as UDP broadcast loops back): each attempt asks the fault rules, then the network's loss,
// then draws a latency (and maybe a duplicate with its own latency). Drops are traced at
// send time; deliveries when they land. Sends stop at the scenario's duration; the run ends
// when the queue is empty, so every datagram in flight lands or is dropped.
// With `join: { membership: static }` a node starts knowing every name (Node.preload) and
// announces nothing: no handshake datagrams (a deliberate departure, for large N).

import { NameTable } from '../core/clock.js';
import { Node, type NodeEvent, type Outbox } from '../core/node.js';
import type { ClockRuleName } from '../core/rules.js';
import type { PhysicalClock } from '../core/stamps.js';
import { drawPhysicalClocks } from './clocks.js';
import { initialId, type Id } from '../core/itc.js';
import { Datagram } from '../core/wire.js';
import type { Scenario } from '../scenario/resolve.js';
import type { TraceBus } from '../trace/bus.js';
import type { DatagramKind, TraceEvent } from '../trace/events.js';
import { sampler, type Sampler } from './dist.js';
import { CapacityRule, ClogRule, CutRule, LinkSet, PartitionRule, ShapeRule, type FaultRule } from './faults.js';
import { cutPredicate } from './partitions.js';
import { EventQueue } from './queue.js';
import { stream, type Rng } from './rng.js';
import { drawSchedule, type ConcreteFault } from './schedule.js';

const JOIN = 0;
const SEND = 1;
const DELIVER = 2;
const FAULT = 3;

/** Work flag: a delivery that already waited for its link's capacity. */
const CAPACITY_DONE = 1;

/** Node states (crash and leave keep the fault that caused them in downBy). */
const NOT_JOINED = 0;
const UP = 1;
const CRASHED = 2;
const LEFT = 3;

interface Work {
  time: number;
  seq: number;
  kind: number;
  /** JOIN, SEND, DELIVER: the node (the receiver for DELIVER); -1 for FAULT. */
  node: number;
  /** DELIVER: the copy of the datagram (0 the first, 1 a network duplicate). */
  copy: number;
  /** FAULT: the fault's index in the schedule. */
  fault: number;
  dg: Datagram | null;
  msg: number;
  from: number;
  sent: number;
  dgKind: DatagramKind;
  /** FAULT: true to start, false to end. */
  on: boolean;
  flags: number;
}

/** An input a paused node has not handled yet. */
type Held = { kind: 'deliver'; w: Work } | { kind: 'send'; seq: number } | { kind: 'join' };

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

class Simulation implements Outbox {
  private readonly scenario: Scenario;
  private readonly names: readonly string[];
  private readonly nodes: (SimNode | null)[];
  private readonly queue = new EventQueue<Work>();
  private readonly net: Rng;
  /** Per node: the stream its workload's send times are drawn from. */
  private readonly workloadRng: Rng[];
  private readonly latency: (rng: Rng) => number;
  private readonly rules: FaultRule[] = [];
  private readonly faults: ConcreteFault[];
  /** Per fault: its rule (drop rules, shapes, clogs, capacities), or null for node faults. */
  private readonly effect: (CutRule | PartitionRule | ShapeRule | ClogRule<Work> | CapacityRule | null)[] = [];
  private readonly faultActive: Uint8Array;
  private readonly shapes: ShapeRule[] = [];
  private readonly clogs: ClogRule<Work>[] = [];
  private readonly capacities: CapacityRule[] = [];
  private readonly sentCount: Int32Array;
  /** One name table for all nodes of the run, so attached clocks resolve once per datagram. */
  private readonly table = new NameTable();
  private readonly status: Uint8Array;
  /** The crash or leave fault that took a node down, or the pause holding it; -1 if none. */
  private readonly downBy: Int32Array;
  private readonly pausedBy: Int32Array;
  private readonly held: (Held[] | null)[];
  /** 1 for the nodes whose workload sends. */
  private readonly isSender: Uint8Array;
  /** 1 while a node's chain of workload sends is scheduled. */
  private readonly chain: Uint8Array;
  private quiet = false;
  private batches = 0;
  private now = 0;
  private nextEv = 0;
  private nextMsg = 1;
  /** The node whose input is being handled, and the delivery that caused it (if any). */
  private current = -1;
  private cause: Work | null = null;
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
    this.net = stream(opts.seed, 'network');
    this.workloadRng = scenario.names.map((name) => stream(opts.seed, `workload/${name}`));
    this.latency = sampler(scenario.network.latency);
    this.physical = drawPhysicalClocks(scenario, opts.seed);
    this.sentCount = new Int32Array(n);
    this.status = new Uint8Array(n);
    this.downBy = new Int32Array(n).fill(-1);
    this.pausedBy = new Int32Array(n).fill(-1);
    this.held = scenario.names.map(() => null);
    this.chain = new Uint8Array(n);
    this.isSender = new Uint8Array(n);
    for (const i of scenario.workload.senders) this.isSender[i] = 1;
    this.faults = drawSchedule(scenario, opts.seed).faults;
    this.itcIds = opts.clock === 'itc' ? initialItcIds(scenario, this.lateByFault()) : [];
    this.faultActive = new Uint8Array(this.faults.length);
    for (const f of this.faults) this.effect.push(this.makeEffect(f, n));
  }

  private makeEffect(f: ConcreteFault, n: number): Simulation['effect'][number] {
    const id = f.record.id;
    const links = (): LinkSet => LinkSet.of(f.from, f.to, n);
    switch (f.kind) {
      case 'partition': {
        const cut = f.cut!;
        const rule = cut.bridge === undefined && cut.ring === undefined ? new PartitionRule(id, cut.groups, n) : new CutRule(id, 'partition', cutPredicate(cut, n));
        this.rules.push(rule);
        return rule;
      }
      case 'one-way': {
        const set = links();
        const rule = new CutRule(id, 'one-way', (from, to) => set.has(from, to));
        this.rules.push(rule);
        return rule;
      }
      case 'link':
      case 'loss-burst': {
        const lat: Sampler | undefined = f.latency !== undefined ? sampler(f.latency) : undefined;
        const rule = new ShapeRule(id, f.kind, links(), lat, f.loss, f.duplicate);
        this.shapes.push(rule);
        return rule;
      }
      case 'clog': {
        const rule = new ClogRule<Work>(id, links());
        this.clogs.push(rule);
        return rule;
      }
      case 'capacity': {
        const rule = new CapacityRule(id, links(), f.rate!, n);
        this.capacities.push(rule);
        return rule;
      }
      default:
        return null;
    }
  }

  /** Nodes whose join a `join` fault moves later (churn). */
  private lateByFault(): Set<number> {
    const joinAt = this.scenario.joinAt;
    return new Set(this.faults.filter((f) => f.kind === 'join').flatMap((f) => f.nodes.filter((i) => joinAt[i] < f.start)));
  }

  async run(batch: number): Promise<void> {
    const late = this.lateByFault();
    this.scenario.joinAt.forEach((t, i) => { if (!late.has(i)) this.schedule(t, JOIN, i); });
    this.faults.forEach((f, i) => {
      this.schedule(f.start, FAULT, -1, i, true);
      if (f.end !== undefined) this.schedule(f.end, FAULT, -1, i, false);
    });
    const q = this.queue;
    for (;;) {
      for (let k = 0; k < batch; k++) {
        const w = q.pop();
        if (w === undefined) {
          this.dropNeverResumed();
          this.bus.emit({ type: 'end', t: this.now, events: this.nextEv, messages: this.nextMsg - 1 });
          return;
        }
        this.now = w.time;
        this.step(w);
      }
      if (this.bus.backlogged()) await this.bus.drain();
      // Let the event loop breathe now and then (signals, progress), whatever the outputs:
      // a run with nothing to write never awaits otherwise. The trace does not depend on it.
      else if ((++this.batches & 15) === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private schedule(time: number, kind: number, node: number, fault = -1, on = false): void {
    this.queue.push({ time, seq: 0, kind, node, copy: 0, fault, dg: null, msg: 0, from: -1, sent: 0, dgKind: 'chat', on, flags: 0 });
  }

  private step(w: Work): void {
    switch (w.kind) {
      case JOIN: return this.join(w.node);
      case SEND: return this.send(w);
      case DELIVER: return this.deliver(w);
      case FAULT: return this.toggleFault(w.fault, w.on);
    }
  }

  private join(i: number): void {
    if (this.status[i] !== NOT_JOINED) return; // crashed or left before it joined
    if (this.pausedBy[i] >= 0) {
      this.held[i]!.push({ kind: 'join' });
      return;
    }
    this.start(i);
  }

  /** A node starts (or restarts afresh under its name): a new core Node announces itself. */
  private start(i: number): void {
    const node = this.opts.makeNode?.(i, this.names[i]) ?? new Node(this.names[i], this.opts.clock, { names: this.table, recordClocks: this.bus.wantsClocks, index: i, physical: this.physical?.[i], itcId: this.itcIds[i] });
    this.nodes[i] = node;
    this.status[i] = UP;
    this.downBy[i] = -1;
    const staticMembership = this.scenario.membership === 'static';
    if (staticMembership) node.preload(this.names);
    this.begin(i, null);
    node.start(this.now, this, !staticMembership);
    this.finishInput(i);
    if (this.chain[i] === 0 && this.isSender[i] === 1) this.scheduleSend(i);
  }

  private scheduleSend(i: number): void {
    const workload = this.scenario.workload;
    this.chain[i] = 0;
    if (workload.count !== undefined && this.sentCount[i] >= workload.count) return;
    const gap = workload.process === 'fixed' ? workload.interval : Math.round(-workload.interval * Math.log(1 - this.workloadRng[i].next()));
    const t = Math.max(this.now, workload.start) + gap;
    if (t >= this.scenario.duration) return;
    this.chain[i] = 1;
    this.schedule(t, SEND, i);
  }

  private send(w: Work): void {
    const i = w.node;
    const state = this.status[i];
    if (state === LEFT) {
      this.chain[i] = 0;
      return;
    }
    if (state !== UP) {
      this.scheduleSend(i); // a crashed node types nothing, but its user comes back
      return;
    }
    const seq = ++this.sentCount[i];
    if (this.pausedBy[i] >= 0) this.held[i]!.push({ kind: 'send', seq });
    else this.doSend(i, seq);
    this.scheduleSend(i);
  }

  private doSend(i: number, seq: number): void {
    const node = this.nodes[i]!;
    const text = this.scenario.workload.text.replaceAll('{seq}', String(seq)).replaceAll('{node}', this.names[i]);
    this.begin(i, null);
    node.send(this.now, text, this);
    this.finishInput(i);
  }

  private deliver(w: Work): void {
    const i = w.node;
    for (let c = 0; c < this.clogs.length; c++) {
      const clog = this.clogs[c];
      if (clog.active && clog.links.has(w.from, i)) {
        clog.held.push(w);
        return;
      }
    }
    if ((w.flags & CAPACITY_DONE) === 0) {
      for (let c = 0; c < this.capacities.length; c++) {
        const cap = this.capacities[c];
        if (!cap.active || !cap.links.has(w.from, i)) continue;
        const slot = cap.slot(w.from, i, this.now);
        if (slot > this.now) {
          w.flags |= CAPACITY_DONE;
          w.time = slot;
          this.queue.push(w);
          return;
        }
        break;
      }
    }
    const state = this.status[i];
    if (state === CRASHED || state === LEFT) return this.dropDown(w);
    if (this.pausedBy[i] >= 0) {
      this.held[i]!.push({ kind: 'deliver', w });
      return;
    }
    this.handle(w);
  }

  /** A delivery reaches node i's protocol logic (or its dead receiver). */
  private handle(w: Work): void {
    const i = w.node;
    const node = this.nodes[i]!;
    if (!node.receiving) {
      this.bus.emit({ type: 'drop', t: this.now, msg: w.msg, from: this.names[w.from], sent: w.sent, copy: w.copy, dg: w.dgKind, to: this.names[i], outcome: 'receiver_dead', reason: 'receiver thread died' });
      return;
    }
    this.begin(i, w);
    node.receive(this.now, w.dg!, this);
    this.finishInput(i);
  }

  private dropDown(w: Work): void {
    const i = w.node;
    this.bus.emit({ type: 'drop', t: this.now, msg: w.msg, from: this.names[w.from], sent: w.sent, copy: w.copy, dg: w.dgKind, to: this.names[i], outcome: 'receiver_down', reason: this.faultName(this.downBy[i]) });
  }

  private faultName(f: number): string {
    const r = this.faults[f].record;
    return `${r.kind} ${r.id}`;
  }

  // --- Faults: start and end ---------------------------------------------------------------

  /** Fault f starts (`on`) or ends: its rule turns on or off, or its nodes go down, come up, pause or resume. */
  private toggleFault(f: number, on: boolean): void {
    if (on === (this.faultActive[f] === 1)) return; // already healed by the quiet phase
    if (on && this.quiet) return;
    const fault = this.faults[f];
    this.faultActive[f] = on ? 1 : 0;
    const effect = this.effect[f];
    this.emitFault(fault, on, !on && effect instanceof ClogRule ? effect.held.length : undefined);
    if (effect !== null) {
      effect.active = on;
      if (!on && effect instanceof ClogRule) {
        for (const w of effect.held) {
          w.time = this.now;
          this.queue.push(w);
        }
        effect.held.length = 0;
      }
      if (!on && effect instanceof CapacityRule) effect.reset();
      return;
    }
    switch (fault.kind) {
      case 'crash':
        for (const i of fault.nodes) {
          if (on) this.takeDown(i, f, CRASHED);
          else if (this.status[i] === CRASHED && this.downBy[i] === f) this.start(i);
        }
        return;
      case 'leave':
        if (on) for (const i of fault.nodes) this.takeDown(i, f, LEFT);
        return;
      case 'join':
        if (on) for (const i of fault.nodes) if (this.scenario.joinAt[i] < fault.start) this.join(i);
        return;
      case 'pause':
        for (const i of fault.nodes) {
          if (on && this.status[i] !== CRASHED && this.status[i] !== LEFT && this.pausedBy[i] < 0) {
            this.pausedBy[i] = f;
            this.held[i] = [];
          } else if (!on && this.pausedBy[i] === f) this.resume(i);
        }
        return;
      case 'quiet':
        return this.startQuiet(f);
      default:
        return;
    }
  }

  private emitFault(fault: ConcreteFault, on: boolean, released?: number): void {
    const r = fault.record;
    const e: TraceEvent = {
      type: 'fault', t: this.now, id: r.id, kind: r.kind, phase: on ? 'start' : 'end', groups: r.groups,
      ...(r.nodes !== undefined ? { nodes: r.nodes } : {}),
      ...(r.from !== undefined ? { from: r.from } : {}),
      ...(r.to !== undefined ? { to: r.to } : {}),
      ...(released !== undefined ? { released } : {}),
    };
    this.bus.emit(e);
  }

  /** A node crashes or leaves: its state is gone; inputs it held are lost with it. */
  private takeDown(i: number, f: number, downState: number): void {
    if (this.status[i] === LEFT) return;
    this.status[i] = downState;
    this.downBy[i] = f;
    this.nodes[i] = null;
    const held = this.held[i];
    this.pausedBy[i] = -1;
    this.held[i] = null;
    if (held !== null) for (const h of held) if (h.kind === 'deliver') this.dropDown(h.w);
  }

  /** A paused node resumes: the inputs it held are handled now, in the order they came. */
  private resume(i: number): void {
    const held = this.held[i]!;
    this.pausedBy[i] = -1;
    this.held[i] = null;
    for (const h of held) {
      if (this.status[i] !== UP && h.kind !== 'join') break;
      if (h.kind === 'join') this.start(i);
      else if (h.kind === 'send') this.doSend(i, h.seq);
      else this.handle(h.w);
    }
  }

  /** At the end of the run, deliveries held by nodes still paused are lost with them. */
  private dropNeverResumed(): void {
    for (let i = 0; i < this.held.length; i++) {
      const held = this.held[i];
      if (held === null) continue;
      for (const h of held) {
        if (h.kind !== 'deliver') continue;
        const w = h.w;
        this.bus.emit({ type: 'drop', t: this.now, msg: w.msg, from: this.names[w.from], sent: w.sent, copy: w.copy, dg: w.dgKind, to: this.names[i], outcome: 'receiver_down', reason: this.faultName(this.pausedBy[i]) });
      }
      this.held[i] = null;
    }
  }

  /** The quiet phase: every active fault heals now, crashed nodes restart, nothing is lost. */
  private startQuiet(f: number): void {
    this.quiet = true;
    for (let g = 0; g < this.faults.length; g++) {
      if (g !== f && this.faultActive[g] === 1 && this.faults[g].kind !== 'leave' && this.faults[g].kind !== 'join') this.toggleFault(g, false);
    }
    for (let i = 0; i < this.status.length; i++) if (this.status[i] === CRASHED) this.start(i);
  }

  /**
   * One core input for node i, `cause` the delivery that triggered it: `begin`, then the
   * core's method, then `finishInput`. The core's outputs are collected, then traced (events
   * first, so a send precedes its drops), then the datagrams are broadcast, each under the
   * next message id. (No closure per input: this runs once per delivery.)
   */
  private begin(i: number, cause: Work | null): void {
    this.current = i;
    this.cause = cause;
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
    this.cause = null;
  }

  // --- Outbox: the core's outputs, collected between begin and finishInput ----------------

  transmit(payload: string): void {
    this.pendingTx[this.nTx++] = payload;
  }

  event(e: NodeEvent): void {
    this.pendingEv[this.nEv++] = e;
  }

  /** One delivery attempt per joined node: fault rules, then loss, latency, duplication. */
  private fanOut(dg: Datagram, msg: number, from: number): void {
    const p = dg.parsed;
    const dgKind: DatagramKind = p.kind === 'join' ? 'join' : p.kind === 'reply' ? 'reply' : 'chat';
    const now = this.now;
    const net = this.scenario.network;
    const status = this.status;
    const rules = this.rules;
    const shapes = this.shapes;
    for (let to = 0; to < status.length; to++) {
      const state = status[to];
      if (state === NOT_JOINED || state === LEFT) continue; // not bound to the port: no copy for it
      if (to === from && !net.deliverToSelf) continue;
      if (state === CRASHED) {
        this.bus.emit({ type: 'drop', t: now, msg, from: this.names[from], sent: now, copy: 0, dg: dgKind, to: this.names[to], outcome: 'receiver_down', reason: this.faultName(this.downBy[to]) });
        continue;
      }
      let verdict = undefined;
      for (let r = 0; r < rules.length && verdict === undefined; r++) verdict = rules[r].judge(from, to, now);
      if (verdict !== undefined) {
        this.bus.emit({ type: 'drop', t: now, msg, from: this.names[from], sent: now, copy: 0, dg: dgKind, to: this.names[to], outcome: verdict.outcome, reason: verdict.reason });
        continue;
      }
      let shape: ShapeRule | undefined;
      for (let r = 0; r < shapes.length && shape === undefined; r++) if (shapes[r].active && shapes[r].links.has(from, to)) shape = shapes[r];
      this.copy(dg, msg, dgKind, from, to, 0, shape);
      const dup = shape?.duplicate ?? net.duplicate;
      if (dup > 0 && this.net.next() < dup) this.copy(dg, msg, dgKind, from, to, 1, shape);
    }
  }

  private copy(dg: Datagram, msg: number, dgKind: DatagramKind, from: number, to: number, copy: number, shape: ShapeRule | undefined): void {
    const now = this.now;
    const loss = this.quiet ? 0 : shape?.loss ?? this.scenario.network.loss;
    if (loss > 0 && this.net.next() < loss) {
      const reason = shape?.loss !== undefined ? shape.reason : 'loss';
      this.bus.emit({ type: 'drop', t: now, msg, from: this.names[from], sent: now, copy, dg: dgKind, to: this.names[to], outcome: 'dropped', reason });
      return;
    }
    const delay = (shape?.latency ?? this.latency)(this.net);
    this.queue.push({ time: now + delay, seq: 0, kind: DELIVER, node: to, copy, fault: -1, dg, msg, from, sent: now, dgKind, on: false, flags: 0 });
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
    if (c === null) throw new Error(`bug: ${e.type} without a delivery`);
    // Literal objects (key order as the trace has always had it: type, ev, t, node, the
    // delivery's msg, from, sent, copy, dg, then the event's own fields), not spreads.
    const from = this.names[c.from];
    switch (e.type) {
      case 'join_seen':
        bus.emit({ type: 'join_seen', ev: this.nextEv++, t: e.t, node: e.node, msg: c.msg, from, sent: c.sent, copy: c.copy, dg: c.dgKind, reply: msg, reset: e.reset, before: e.before, after: e.after });
        return;
      case 'reply_seen':
        bus.emit({ type: 'reply_seen', ev: this.nextEv++, t: e.t, node: e.node, msg: c.msg, from, sent: c.sent, copy: c.copy, dg: c.dgKind, before: e.before, after: e.after });
        return;
      case 'receive':
        bus.emit({ type: 'receive', ev: this.nextEv++, t: e.t, node: e.node, msg: c.msg, from, sent: c.sent, copy: c.copy, dg: c.dgKind, before: e.before, after: e.after });
        return;
      case 'receiver_died':
        bus.emit({ type: 'receiver_died', ev: this.nextEv++, t: e.t, node: e.node, msg: c.msg, from, sent: c.sent, copy: c.copy, dg: c.dgKind, cause: e.cause, detail: e.detail, before: e.before, after: e.after });
        return;
      case 'ignored':
        bus.emit({ type: 'ignored', t: e.t, node: e.node, msg: c.msg, from, sent: c.sent, copy: c.copy, dg: c.dgKind, reason: e.reason, detail: e.detail });
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

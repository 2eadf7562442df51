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

import { NameTable } from '../core/clock.js';
import { Node, type NodeEvent, type Outbox } from '../core/node.js';
import type { ClockRuleName } from '../core/rules.js';
import { Datagram } from '../core/wire.js';
import type { Scenario } from '../scenario/resolve.js';
import type { TraceBus } from '../trace/bus.js';
import type { DatagramKind, FaultRecord } from '../trace/events.js';
import { sampler } from './dist.js';
import { PartitionRule, type FaultRule } from './faults.js';
import { concreteGroups } from './partitions.js';
import { EventQueue } from './queue.js';
import { stream, type Rng } from './rng.js';

const JOIN = 0;
const SEND = 1;
const DELIVER = 2;
const FAULT = 3;

interface Work {
  time: number;
  seq: number;
  kind: number;
  node: number;
  /** SEND: the sender's message count so far. FAULT: rule index. DELIVER: copy number. */
  n: number;
  dg: Datagram | null;
  msg: number;
  from: number;
  sent: number;
  dgKind: DatagramKind;
  /** FAULT: true to start, false to end. */
  on: boolean;
}

export interface SimOptions {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly clock: ClockRuleName;
  /** Events per batch between backpressure checks. */
  readonly batch?: number;
}

/** The fault schedule a seed draws for a scenario, as recorded in the trace header. */
export function drawFaults(scenario: Scenario, seed: number): { records: FaultRecord[]; groups: number[][][] } {
  const rng = stream(seed, 'faults');
  const groups = scenario.partitions.map((p) => concreteGroups(p.groups, scenario.names, rng));
  const records = scenario.partitions.map((p, i): FaultRecord => ({
    id: `p${i + 1}`,
    kind: 'partition',
    start: p.start,
    end: p.end ?? null,
    groups: groups[i].map((g) => g.map((j) => scenario.names[j])),
  }));
  return { records, groups };
}

export async function simulate(opts: SimOptions, bus: TraceBus): Promise<void> {
  const sim = new Simulation(opts, bus);
  await sim.run(opts.batch ?? 4096);
}

class Simulation implements Outbox {
  private readonly sc: Scenario;
  private readonly names: readonly string[];
  private readonly nodes: (Node | null)[];
  private readonly queue = new EventQueue<Work>();
  private readonly net: Rng;
  private readonly workload: Rng[];
  private readonly latency: (rng: Rng) => number;
  private readonly rules: FaultRule[] = [];
  private readonly partitions: PartitionRule[] = [];
  private readonly faultRecords: FaultRecord[];
  private readonly sentCount: Int32Array;
  /** One name table for all nodes of the run, so attached clocks resolve once per datagram. */
  private readonly table = new NameTable();
  private now = 0;
  private nextEv = 0;
  private nextMsg = 1;
  /** The node whose input is being handled, and the delivery that caused it (if any). */
  private current = -1;
  private cause: Work | null = null;
  private readonly pendingTx: string[] = [];
  private readonly pendingEv: NodeEvent[] = [];

  constructor(private readonly opts: SimOptions, private readonly bus: TraceBus) {
    const sc = opts.scenario;
    this.sc = sc;
    this.names = sc.names;
    this.nodes = sc.names.map(() => null);
    this.net = stream(opts.seed, 'network');
    this.workload = sc.names.map((name) => stream(opts.seed, `workload/${name}`));
    this.latency = sampler(sc.network.latency);
    this.sentCount = new Int32Array(sc.nodes);
    const { records, groups } = drawFaults(sc, opts.seed);
    this.faultRecords = records;
    records.forEach((r, i) => {
      const rule = new PartitionRule(r.id, groups[i], sc.nodes);
      this.partitions.push(rule);
      this.rules.push(rule);
    });
  }

  async run(batch: number): Promise<void> {
    const sc = this.sc;
    sc.joinAt.forEach((t, i) => this.schedule(t, JOIN, i));
    sc.partitions.forEach((p, i) => {
      this.schedule(p.start, FAULT, -1, i, true);
      if (p.end !== undefined) this.schedule(p.end, FAULT, -1, i, false);
    });
    const q = this.queue;
    for (;;) {
      for (let k = 0; k < batch; k++) {
        const w = q.pop();
        if (w === undefined) {
          this.bus.emit({ type: 'end', t: this.now, events: this.nextEv, messages: this.nextMsg - 1 });
          return;
        }
        this.now = w.time;
        this.step(w);
      }
      if (this.bus.backlogged()) await this.bus.drain();
    }
  }

  private schedule(time: number, kind: number, node: number, n = 0, on = false): void {
    this.queue.push({ time, seq: 0, kind, node, n, dg: null, msg: 0, from: -1, sent: 0, dgKind: 'chat', on });
  }

  private step(w: Work): void {
    switch (w.kind) {
      case JOIN: return this.join(w.node);
      case SEND: return this.send(w);
      case DELIVER: return this.deliver(w);
      case FAULT: return this.fault(w);
    }
  }

  private join(i: number): void {
    const node = new Node(this.names[i], this.opts.clock, { names: this.table, recordClocks: this.bus.wantsClocks });
    this.nodes[i] = node;
    this.run1(i, null, () => node.start(this.now, this));
    if (this.sc.workload.senders.includes(i)) this.scheduleSend(i);
  }

  private scheduleSend(i: number): void {
    const wl = this.sc.workload;
    if (wl.count !== undefined && this.sentCount[i] >= wl.count) return;
    const gap = wl.process === 'fixed' ? wl.interval : Math.round(-wl.interval * Math.log(1 - this.workload[i].next()));
    const t = Math.max(this.now, wl.start) + gap;
    if (t >= this.sc.duration) return;
    this.schedule(t, SEND, i, this.sentCount[i]);
  }

  private send(w: Work): void {
    const i = w.node;
    const node = this.nodes[i]!;
    const seq = ++this.sentCount[i];
    const text = this.sc.workload.text.replaceAll('{seq}', String(seq)).replaceAll('{node}', this.names[i]);
    this.run1(i, null, () => node.send(this.now, text, this));
    this.scheduleSend(i);
  }

  private deliver(w: Work): void {
    const i = w.node;
    const node = this.nodes[i]!;
    if (!node.receiving) {
      this.bus.emit({ type: 'drop', t: this.now, msg: w.msg, from: this.names[w.from], sent: w.sent, copy: w.n, dg: w.dgKind, to: this.names[i], outcome: 'receiver_dead', reason: 'receiver thread died' });
      return;
    }
    this.run1(i, w, () => node.receive(this.now, w.dg!, this));
  }

  private fault(w: Work): void {
    const rule = this.partitions[w.n];
    rule.active = w.on;
    const rec = this.faultRecords[w.n];
    this.bus.emit({ type: 'fault', t: this.now, id: rec.id, kind: 'partition', phase: w.on ? 'start' : 'end', groups: rec.groups });
  }

  /**
   * Runs one core input for node i, `cause` the delivery that triggered it. The core's
   * outputs are collected, then traced (events first, so a send precedes its drops), then
   * the datagrams are broadcast, each under the next message id.
   */
  private run1(i: number, cause: Work | null, f: () => void): void {
    this.current = i;
    this.cause = cause;
    f();
    const txs = this.pendingTx;
    const evs = this.pendingEv;
    const firstMsg = this.nextMsg;
    this.nextMsg += txs.length;
    const dgs = txs.map((p) => new Datagram(p));
    for (let k = 0; k < evs.length; k++) this.trace(evs[k], firstMsg, dgs[0]);
    for (let k = 0; k < dgs.length; k++) this.fanOut(dgs[k], firstMsg + k, i);
    txs.length = 0;
    evs.length = 0;
    this.current = -1;
    this.cause = null;
  }

  // --- Outbox: the core's outputs, collected by run1 -------------------------------------

  transmit(payload: string): void {
    this.pendingTx.push(payload);
  }

  event(e: NodeEvent): void {
    this.pendingEv.push(e);
  }

  /** One delivery attempt per joined node: fault rules, then loss, latency, duplication. */
  private fanOut(dg: Datagram, msg: number, from: number): void {
    const p = dg.parsed;
    const dgKind: DatagramKind = p.kind === 'join' ? 'join' : p.kind === 'reply' ? 'reply' : 'chat';
    const now = this.now;
    const net = this.sc.network;
    const nodes = this.nodes;
    const rules = this.rules;
    for (let to = 0; to < nodes.length; to++) {
      if (nodes[to] === null) continue; // not yet bound to the port: no copy for it
      if (to === from && !net.deliverToSelf) continue;
      let verdict = undefined;
      for (let r = 0; r < rules.length && verdict === undefined; r++) verdict = rules[r].judge(from, to, now);
      if (verdict !== undefined) {
        this.bus.emit({ type: 'drop', t: now, msg, from: this.names[from], sent: now, copy: 0, dg: dgKind, to: this.names[to], outcome: verdict.outcome, reason: verdict.reason });
        continue;
      }
      this.copy(dg, msg, dgKind, from, to, 0);
      if (net.duplicate > 0 && this.net.next() < net.duplicate) this.copy(dg, msg, dgKind, from, to, 1);
    }
  }

  private copy(dg: Datagram, msg: number, dgKind: DatagramKind, from: number, to: number, copy: number): void {
    const now = this.now;
    if (this.sc.network.loss > 0 && this.net.next() < this.sc.network.loss) {
      this.bus.emit({ type: 'drop', t: now, msg, from: this.names[from], sent: now, copy, dg: dgKind, to: this.names[to], outcome: 'dropped', reason: 'loss' });
      return;
    }
    const delay = this.latency(this.net);
    this.queue.push({ time: now + delay, seq: 0, kind: DELIVER, node: to, n: copy, dg, msg, from, sent: now, dgKind, on: false });
  }

  private trace(e: NodeEvent, msg: number, dg: Datagram | undefined): void {
    const c = this.cause;
    const bus = this.bus;
    switch (e.type) {
      case 'join':
        bus.emit({ type: 'join', ev: this.nextEv++, t: e.t, node: e.node, msg, after: e.after });
        return;
      case 'send':
        bus.emit({ type: 'send', ev: this.nextEv++, t: e.t, node: e.node, msg, text: e.text, bytes: dg!.byteLength, before: e.before, after: e.after });
        return;
    }
    if (c === null) throw new Error(`bug: ${e.type} without a delivery`);
    const d = { msg: c.msg, from: this.names[c.from], sent: c.sent, copy: c.n, dg: c.dgKind };
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

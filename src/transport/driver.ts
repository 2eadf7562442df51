// The UDP driver: runs a scenario's nodes, each the unchanged core Node, on live node:dgram
// sockets in real time. It owns sockets, timers and the wall clock, and nothing of the
// protocol: every protocol decision is the core's, every network fault the injected policy's.
//
// Theory of operation. Every node binds the shared port on the broadcast address before the
// run starts (so a port problem is found before anything is sent); a node joins at its
// scenario join time, scaled by `timeScale`. One broadcast reaches every socket, so faults
// are applied by the receiver: each arrival is matched to the broadcast that sent it (by its
// exact bytes, first sent first matched), then the policy decides its fate per copy, and a
// delivered copy reaches the core after the policy's latency. A broadcast is expected at
// every node that had joined when it was sent; what never arrives is traced as a drop with
// reason `lost in transit` when the run ends. A datagram matching no broadcast of this run
// came from another program on the port: it is still handed to the node, with msg 0.

import type { Socket } from 'node:dgram';
import { Node, type NodeOptions } from '../core/node.js';
import type { ClockRuleName } from '../core/rules.js';
import { Datagram } from '../core/wire.js';
import type { TraceBus } from '../trace/bus.js';
import type { FaultSwitches, ReceiptPolicy, SendTimes } from './policy.js';
import { closeSocket, openSocket, type Endpoint } from './socket.js';
import { claimedSender, datagramKind, LiveTracer, WallClock, type Arrival } from './tracer.js';
import { StepOutbox } from './step.js';

export interface LiveScenario {
  readonly names: readonly string[];
  /** Scenario time (µs) at which each node joins. */
  readonly joinAt: readonly number[];
  /** The workload's horizon (µs): no send at or after it. */
  readonly duration: number;
  readonly senders: readonly number[];
  /** Chat text, `{seq}` and `{node}` filled in. */
  readonly text: string;
  readonly deliverToSelf: boolean;
}

export interface LiveOptions {
  readonly scenario: LiveScenario;
  readonly clock: ClockRuleName;
  readonly endpoint: Endpoint;
  /** Wall seconds per scenario second: 2 runs twice as slow, 0.5 twice as fast. */
  readonly timeScale: number;
  readonly policy: ReceiptPolicy;
  readonly faults: FaultSwitches;
  readonly sendTimes: SendTimes;
  /** Wall ms to wait, after the last send, for datagrams still in flight. Default 500. */
  readonly graceMs?: number;
  readonly nodeOptions?: NodeOptions;
  /** Aborts the run early (Ctrl-C): no more joins or sends; in-flight datagrams get the grace. */
  readonly signal?: AbortSignal;
}

interface Expect {
  readonly msg: number;
  readonly from: number;
  readonly sent: number;
}

/** Runs a scenario live. Rejects with a LiveError if a socket cannot be bound. */
export async function runLive(opts: LiveOptions, bus: TraceBus): Promise<void> {
  const sockets: Socket[] = [];
  try {
    for (let i = 0; i < opts.scenario.names.length; i++) sockets.push(await openSocket(opts.endpoint));
  } catch (e) {
    await Promise.all(sockets.map(closeSocket));
    throw e;
  }
  const run = new LiveRun(opts, bus, sockets);
  try {
    await run.run();
  } finally {
    await Promise.all(sockets.map(closeSocket));
  }
}

class LiveRun {
  private readonly names: readonly string[];
  private readonly n: number;
  private readonly nodes: (Node | null)[];
  /** Scenario time at which each node joined (Infinity: not yet). */
  private readonly joinedAt: number[];
  /** Per receiver: broadcasts expected, by their exact bytes, first sent first. */
  private readonly expected: Map<string, Expect[]>[];
  private readonly clock = new WallClock();
  private readonly tracer: LiveTracer;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sentCount: number[];
  private nextMsg = 1;
  private inFlight = 0;
  private sendsDone = false;
  /** Aborted: no more joins or sends; datagrams in flight still land during the grace. */
  private stopping = false;
  private finished = false;
  private wake: (() => void) | null = null;
  /** Collects each core input's outputs (the core's Outbox). */
  private readonly out = new StepOutbox();

  constructor(private readonly opts: LiveOptions, private readonly bus: TraceBus, private readonly sockets: Socket[]) {
    this.names = opts.scenario.names;
    this.n = this.names.length;
    this.nodes = this.names.map(() => null);
    this.joinedAt = this.names.map(() => Infinity);
    this.expected = this.names.map(() => new Map());
    this.sentCount = this.names.map(() => 0);
    this.tracer = new LiveTracer(bus);
  }

  /** Wall µs since the start (trace time). */
  private now(): number {
    return this.clock.now();
  }

  /** Scenario µs since the start (what the policy and the schedule speak). */
  private scenarioNow(): number {
    return Math.round(this.clock.now() / this.opts.timeScale);
  }

  private at(scenarioT: number, f: () => void): void {
    const ms = Math.max(0, (scenarioT * this.opts.timeScale) / 1000 - this.clock.now() / 1000);
    this.after(ms, f);
  }

  private after(ms: number, f: () => void): void {
    const h = setTimeout(() => {
      this.timers.delete(h);
      if (!this.finished) f();
    }, ms);
    this.timers.add(h);
  }

  async run(): Promise<void> {
    const sc = this.opts.scenario;
    this.sockets.forEach((s, i) => s.on('message', (buf: Buffer) => this.arrive(i, buf)));
    this.clock.start();
    sc.joinAt.forEach((t, i) => this.at(t, () => this.join(i)));
    for (const c of this.opts.faults.changes) this.at(c.t, () => this.fault(c.index, c.on));
    this.at(sc.duration, () => { this.sendsDone = true; this.poke(); });
    const stop = (): void => { this.sendsDone = true; this.stopping = true; this.poke(); };
    this.opts.signal?.addEventListener('abort', stop, { once: true });
    if (this.opts.signal?.aborted) stop();
    await this.settle();
    this.finished = true;
    for (const h of this.timers) clearTimeout(h);
    this.timers.clear();
    this.opts.signal?.removeEventListener('abort', stop);
    this.traceLost();
    this.bus.emit({ type: 'end', t: this.now(), events: this.tracer.events, messages: this.nextMsg - 1 });
  }

  /** Resolves when sends are over and nothing is in flight, or the grace period ran out. */
  private async settle(): Promise<void> {
    while (!this.sendsDone || this.joinsPending()) await this.sleep();
    const grace = this.opts.graceMs ?? 500;
    const deadline = performance.now() + grace;
    while (!this.finished && (this.inFlight > 0 || this.outstanding() > 0) && performance.now() < deadline) {
      await this.sleep(Math.min(25, deadline - performance.now()));
    }
  }

  private joinsPending(): boolean {
    return !this.stopping && this.nodes.some((n) => n === null) && this.opts.scenario.joinAt.some((t, i) => this.nodes[i] === null && t <= this.opts.scenario.duration);
  }

  private sleep(ms?: number): Promise<void> {
    return new Promise((resolve) => {
      const h = ms === undefined ? undefined : setTimeout(() => { this.wake = null; resolve(); }, ms);
      this.wake = () => { if (h) clearTimeout(h); this.wake = null; resolve(); };
    });
  }

  private poke(): void {
    this.wake?.();
  }

  private outstanding(): number {
    let k = 0;
    this.expected.forEach((m, to) => m.forEach((list) => { for (const e of list) if (this.joinedAt[to] <= e.sent) k++; }));
    return k;
  }

  private join(i: number): void {
    if (this.stopping) return;
    const node = new Node(this.names[i], this.opts.clock, this.opts.nodeOptions);
    this.nodes[i] = node;
    this.joinedAt[i] = this.now();
    this.runInput(i, null, () => node.start(this.now(), this.out));
    if (this.opts.scenario.senders.includes(i)) this.scheduleSend(i, this.opts.scenario.joinAt[i]);
    this.poke();
  }

  private scheduleSend(i: number, prev: number): void {
    const t = this.opts.sendTimes.next(i, this.sentCount[i], prev);
    if (t === null || t >= this.opts.scenario.duration) return;
    this.at(t, () => this.send(i, t));
  }

  private send(i: number, scheduled: number): void {
    if (this.stopping) return;
    const node = this.nodes[i]!;
    const seq = ++this.sentCount[i];
    const text = this.opts.scenario.text.replaceAll('{seq}', String(seq)).replaceAll('{node}', this.names[i]);
    this.runInput(i, null, () => node.send(this.now(), text, this.out));
    this.scheduleSend(i, scheduled);
  }

  private fault(index: number, on: boolean): void {
    this.opts.faults.set(index, on);
    const rec = this.opts.faults.records[index];
    this.bus.emit({ type: 'fault', t: this.now(), id: rec.id, kind: rec.kind, phase: on ? 'start' : 'end', groups: rec.groups });
  }

  /** A datagram reached node `to`'s socket. */
  private arrive(to: number, buf: Buffer): void {
    if (this.finished) return;
    const key = buf.toString('latin1');
    const list = this.expected[to].get(key);
    const exp = list?.shift();
    if (list !== undefined && list.length === 0) this.expected[to].delete(key);
    if (this.nodes[to] === null) return; // not yet joined: no copy for it, as in the simulator
    if (exp !== undefined && this.joinedAt[to] > exp.sent) return; // sent before it joined
    if (exp !== undefined && exp.from === to && !this.opts.scenario.deliverToSelf) return;
    const dg = Datagram.fromBytes(buf);
    const now = this.now();
    const from = exp?.from ?? -1;
    const base = { msg: exp?.msg ?? 0, from: exp !== undefined ? this.names[exp.from] : claimedSender(dg), sent: exp?.sent ?? now, dg: datagramKind(dg) };
    for (const fate of this.opts.policy.decide(from, to, this.scenarioNow())) {
      const a: Arrival = { ...base, copy: fate.copy };
      if ('drop' in fate) {
        this.bus.emit({ type: 'drop', t: now, ...a, to: this.names[to], outcome: fate.drop, reason: fate.reason });
        continue;
      }
      const ms = (fate.delay * this.opts.timeScale) / 1000;
      if (ms <= 0) { this.deliver(to, dg, a); continue; }
      this.inFlight++;
      this.after(ms, () => { this.inFlight--; this.deliver(to, dg, a); this.poke(); });
    }
    this.poke();
  }

  private deliver(to: number, dg: Datagram, a: Arrival): void {
    const node = this.nodes[to]!;
    if (!node.receiving) {
      this.bus.emit({ type: 'drop', t: this.now(), ...a, to: this.names[to], outcome: 'receiver_dead', reason: 'receiver thread died' });
      return;
    }
    this.runInput(to, a, () => node.receive(this.now(), dg, this.out));
  }

  /** Runs one core input for node i; traces its events, then broadcasts its datagrams. */
  private runInput(i: number, cause: Arrival | null, input: () => void): void {
    input();
    const { events: evs, datagrams: bufs } = this.out.take();
    const firstMsg = this.nextMsg;
    this.nextMsg += bufs.length;
    for (const e of evs) this.tracer.node(e, firstMsg, bufs[0]?.length ?? 0, cause);
    const sent = this.now();
    bufs.forEach((b, k) => {
      const key = b.toString('latin1');
      for (let to = 0; to < this.n; to++) {
        const m = this.expected[to];
        const list = m.get(key);
        const e = { msg: firstMsg + k, from: i, sent };
        if (list === undefined) m.set(key, [e]);
        else list.push(e);
      }
      this.sockets[i].send(b, this.opts.endpoint.port, this.opts.endpoint.address);
    });
  }

  /** Every broadcast a joined node never received: lost by the live network. */
  private traceLost(): void {
    const now = this.now();
    const lost: { e: Expect; to: number; dgKind: Arrival['dg'] }[] = [];
    this.expected.forEach((m, to) => m.forEach((list, key) => {
      const dg = datagramKind(Datagram.fromBytes(Buffer.from(key, 'latin1')));
      for (const e of list) if (this.joinedAt[to] <= e.sent) lost.push({ e, to, dgKind: dg });
    }));
    lost.sort((a, b) => a.e.msg - b.e.msg || a.to - b.to);
    for (const { e, to, dgKind } of lost) {
      this.bus.emit({ type: 'drop', t: now, msg: e.msg, from: this.names[e.from], sent: e.sent, copy: 0, dg: dgKind, to: this.names[to], outcome: 'dropped', reason: 'lost in transit' });
    }
  }

}

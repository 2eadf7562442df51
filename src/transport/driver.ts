// The UDP driver: runs a scenario's nodes, each the unchanged core Node, on live node:dgram
// sockets in real time, under the scenario's faults. It owns sockets, timers and the wall
// clock, and nothing of the protocol (every decision is the core's) nor of the faults (every
// rule is src/world's, the same code the simulator runs: docs/faults.md, "The chain").
//
// Theory of operation. Every node binds the shared port on the broadcast address before the
// run starts (so a port problem is found before anything is sent); a node joins at its
// scenario join time, and faults switch at their scenario times, both scaled by `timeScale`.
// One broadcast reaches every socket, so the chain is applied by the receiver:
//   at a broadcast   a receiver not joined or gone is owed nothing; a crashed one (its socket
//                    closed) gets a `receiver_down` drop at once; every other is owed it;
//   at its socket    the arrival is matched to the broadcast (src/transport/expect.ts), then
//                    the link model's attempt() (cuts, shape, loss, latency, duplicate);
//   after latency    (the drawn latency × the time scale, a real timer) the link model's
//                    arrive() (clogs hold it until they end; capacities queue it on a real
//                    timer), then the receiver's state (down: `receiver_down`; paused: held
//                    and handled at resume, in order), then the core.
// A crash or leave closes the node's socket and drops its core Node; what it was still owed
// is dropped `receiver_down` then. A restart binds a new socket, then a new Node announces
// itself. Broadcasts owed and never seen within the grace period are traced as drops with
// reason `lost in transit`. A datagram that the run never sent came from another program on
// the port: it is still handed to the node, with msg 0.

import type { Socket } from 'node:dgram';
import { Node, type NodeOptions } from '../core/node.js';
import type { ClockRuleName } from '../core/rules.js';
import { Datagram } from '../core/wire.js';
import type { Scenario } from '../scenario/resolve.js';
import type { TraceBus } from '../trace/bus.js';
import type { TraceEvent } from '../trace/events.js';
import { dropEvent, FaultSwitch, type FaultHost } from '../world/faults.js';
import { HELD, LinkModel } from '../world/links.js';
import { CRASHED, LEFT, NodeStates, NOT_JOINED, UP } from '../world/nodes.js';
import { stream } from '../world/rng.js';
import { drawSchedule, lateJoiners, type ConcreteFault } from '../world/schedule.js';
import { Workload } from '../world/workload.js';
import { Expectations, NOT_OWED } from './expect.js';
import { closeSocket, openSocket, type Endpoint } from './socket.js';
import { StepOutbox } from './step.js';
import { claimedSender, datagramKind, LiveTracer, WallClock, type Arrival } from './tracer.js';

/** Told how late each of the driver's timers fired (wall µs): the machine's load, as the run saw it. */
export interface TimerLog {
  late(us: number): void;
}

export interface LiveOptions {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly clock: ClockRuleName;
  readonly endpoint: Endpoint;
  /** Wall seconds per scenario second: 2 runs twice as slow, 0.5 twice as fast. */
  readonly timeScale: number;
  /** Wall ms to wait, after the last send, for datagrams still in flight. Default 500. */
  readonly graceMs?: number;
  readonly nodeOptions?: NodeOptions;
  /** Aborts the run early (Ctrl-C): no more joins or sends; in-flight datagrams get the grace. */
  readonly signal?: AbortSignal;
  /** Told how late each timer fired (`vcsim validate` scales its latency slack with it). */
  readonly timerLog?: TimerLog;
}

/** One copy of an arrived datagram on its way to the receiver's core (the link model's item). */
interface Copy {
  readonly from: number;
  readonly to: number;
  readonly dg: Datagram;
  readonly a: Arrival;
  /** It already waited for its link's capacity. */
  queued: boolean;
}

/** Runs a scenario live. Rejects with a LiveError if a socket cannot be bound. */
export async function runLive(opts: LiveOptions, bus: TraceBus): Promise<void> {
  const sockets: Socket[] = [];
  try {
    for (let i = 0; i < opts.scenario.nodes; i++) sockets.push(await openSocket(opts.endpoint));
  } catch (e) {
    await Promise.all(sockets.map(closeSocket));
    throw e;
  }
  const run = new LiveRun(opts, bus, sockets);
  try {
    await run.run();
  } finally {
    await run.close();
  }
}

class LiveRun implements FaultHost<Copy, Copy> {
  private readonly names: readonly string[];
  private readonly n: number;
  private readonly nodes: (Node | null)[];
  private readonly sockets: (Socket | null)[];
  private readonly closing: Promise<void>[] = [];
  /** 1 while a node's new socket is being bound (a restart). */
  private readonly opening: Uint8Array;
  /** 1 if the node starts once its socket is bound. */
  private readonly wantStart: Uint8Array;
  /** Scenario time at which each node's start was asked (its first send counts from it). */
  private readonly startAt: Float64Array;
  private readonly workload: Workload;
  private readonly faults: ConcreteFault[];
  private readonly links: LinkModel<Copy>;
  private readonly states: NodeStates<Copy>;
  private readonly switch: FaultSwitch<Copy, Copy>;
  private readonly sentCount: Int32Array;
  /** 1 while a node's chain of workload sends is scheduled. */
  private readonly chain: Uint8Array;
  private readonly expect: Expectations;
  private readonly clock = new WallClock();
  private readonly tracer: LiveTracer;
  private readonly timers = new Set<NodeJS.Timeout>();
  private nextMsg = 1;
  /** Copies the driver itself holds: in latency or capacity timers, in clogs; sockets being bound. */
  private pending = 0;
  /** Join and fault timers not yet fired. */
  private scheduled = 0;
  /** The scenario time of the scheduled action being run (a join, a send, a fault switch). */
  private tScenario = 0;
  private sendsDone = false;
  /** Aborted: no more joins or sends; datagrams in flight still land during the grace. */
  private stopping = false;
  private finished = false;
  private failure: unknown = undefined;
  private wake: (() => void) | null = null;
  /** Collects each core input's outputs (the core's Outbox). */
  private readonly out = new StepOutbox();

  constructor(private readonly opts: LiveOptions, private readonly bus: TraceBus, sockets: Socket[]) {
    const sc = opts.scenario;
    this.names = sc.names;
    this.n = sc.nodes;
    this.nodes = this.names.map(() => null);
    this.sockets = sockets;
    this.opening = new Uint8Array(this.n);
    this.wantStart = new Uint8Array(this.n);
    this.startAt = new Float64Array(this.n);
    this.sentCount = new Int32Array(this.n);
    this.chain = new Uint8Array(this.n);
    this.expect = new Expectations(this.n);
    this.tracer = new LiveTracer(bus);
    this.workload = new Workload(sc, opts.seed);
    this.faults = drawSchedule(sc, opts.seed).faults;
    this.links = new LinkModel<Copy>(this.faults, this.n, sc.network, stream(opts.seed, 'network'));
    this.states = new NodeStates<Copy>(this.n, this.faults, sc.joinAt);
    this.switch = new FaultSwitch(this.faults, this.links, this.states);
  }

  /** Wall µs since the start (trace time). */
  private now(): number {
    return this.clock.now();
  }

  /** Scenario µs since the start (what the link model and the schedule speak). */
  private scenarioNow(): number {
    return Math.round(this.clock.now() / this.opts.timeScale);
  }

  /** Runs `f` at scenario time `t` (a join, send or fault: `tScenario` is `t` meanwhile). */
  private at(t: number, f: () => void): void {
    const ms = Math.max(0, (t * this.opts.timeScale) / 1000 - this.clock.now() / 1000);
    this.after(ms, () => {
      this.tScenario = t;
      f();
    });
  }

  /** Runs `f` after `us` scenario microseconds (a latency or a capacity wait). */
  private later(us: number, f: () => void): void {
    this.pending++;
    this.after((us * this.opts.timeScale) / 1000, () => {
      this.pending--;
      f();
      this.poke();
    });
  }

  private after(ms: number, f: () => void): void {
    const due = performance.now() + ms;
    const log = this.opts.timerLog;
    const h = setTimeout(() => {
      this.timers.delete(h);
      log?.late(Math.max(0, Math.round((performance.now() - due) * 1000)));
      if (!this.finished) f();
    }, ms);
    this.timers.add(h);
  }

  /** A join or fault timer: counted until it fires, so the run waits for it. */
  private fixed(t: number, f: () => void): void {
    this.scheduled++;
    this.at(t, () => {
      this.scheduled--;
      f();
      this.poke();
    });
  }

  async run(): Promise<void> {
    const sc = this.opts.scenario;
    this.sockets.forEach((s, i) => this.listen(i, s!));
    this.clock.start();
    const late = lateJoiners(this.faults, sc.joinAt);
    sc.joinAt.forEach((t, i) => { if (!late.has(i)) this.fixed(t, () => this.join(i)); });
    this.faults.forEach((f, k) => {
      this.fixed(f.start, () => this.switch.toggle(k, true, this.now(), this));
      if (f.end !== undefined) this.fixed(f.end, () => this.switch.toggle(k, false, this.now(), this));
    });
    this.at(sc.duration, () => { this.sendsDone = true; this.poke(); });
    const stop = (): void => { this.sendsDone = true; this.stopping = true; this.poke(); };
    this.opts.signal?.addEventListener('abort', stop, { once: true });
    if (this.opts.signal?.aborted) stop();
    await this.settle();
    this.finished = true;
    for (const h of this.timers) clearTimeout(h);
    this.timers.clear();
    this.opts.signal?.removeEventListener('abort', stop);
    if (this.failure !== undefined) throw this.failure;
    this.dropNeverResumed();
    this.traceLost();
    this.bus.emit({ type: 'end', t: this.now(), events: this.tracer.events, messages: this.nextMsg - 1 });
  }

  /** Closes every socket still open (and waits for those already closing). */
  async close(): Promise<void> {
    this.finished = true;
    await Promise.all([...this.closing, ...this.sockets.map((s) => (s === null ? undefined : closeSocket(s)))]);
  }

  /**
   * Resolves when sends, joins and faults are over, the driver holds no copy any more, and
   * nothing owed is in flight (or the grace period after the last of these ran out).
   */
  private async settle(): Promise<void> {
    while (this.failure === undefined && (!this.sendsDone || (!this.stopping && this.scheduled > 0))) await this.sleep();
    const grace = this.opts.graceMs ?? 500;
    let deadline = performance.now() + grace;
    while (this.failure === undefined && performance.now() < deadline) {
      if (this.pending > 0 && !this.stopping) deadline = performance.now() + grace;
      else if (this.pending === 0 && this.expect.count() === 0) return;
      await this.sleep(Math.max(1, Math.min(25, deadline - performance.now())));
    }
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

  // --- Sockets ------------------------------------------------------------------------------

  private listen(i: number, s: Socket): void {
    s.on('message', (buf: Buffer) => this.arrive(i, buf));
  }

  /** A restart: bind node i a new socket, then start it (unless it went down meanwhile). */
  private open(i: number): void {
    this.opening[i] = 1;
    this.pending++;
    openSocket(this.opts.endpoint).then((s) => {
      this.opening[i] = 0;
      this.pending--;
      if (this.finished || this.wantStart[i] === 0) {
        this.closing.push(closeSocket(s));
      } else {
        this.sockets[i] = s;
        this.listen(i, s);
        this.boot(i);
      }
      this.poke();
    }, (e: unknown) => {
      this.opening[i] = 0;
      this.pending--;
      this.failure = e;
      this.poke();
    });
  }

  private shut(i: number): void {
    const s = this.sockets[i];
    if (s === null) return;
    this.sockets[i] = null;
    s.removeAllListeners('message');
    this.closing.push(closeSocket(s));
  }

  // --- FaultHost: what the node faults and clogs ask of the driver -------------------------

  join(i: number): void {
    if (this.stopping || this.states.status[i] !== NOT_JOINED) return; // crashed or left before it joined
    if (this.states.isPaused(i)) return this.states.hold(i, { kind: 'join' });
    this.start(i);
  }

  /** A node starts (or restarts afresh under its name), once it has a socket. */
  start(i: number): void {
    this.startAt[i] = this.tScenario;
    this.wantStart[i] = 1;
    if (this.sockets[i] !== null) this.boot(i);
    else if (this.opening[i] === 0) this.open(i);
  }

  /** A new core Node on node i's socket announces itself. */
  private boot(i: number): void {
    this.wantStart[i] = 0;
    const node = new Node(this.names[i], this.opts.clock, this.opts.nodeOptions);
    this.nodes[i] = node;
    this.states.up(i);
    this.runInput(i, null, () => node.start(this.now(), this.out));
    if (this.chain[i] === 0 && this.workload.isSender[i] === 1) this.scheduleSend(i, this.startAt[i]);
  }

  /** A node crashed or left: its socket closes, its state is gone, and what it held or was owed with it. */
  lost(i: number, _f: number, held: readonly Copy[]): void {
    this.nodes[i] = null;
    this.wantStart[i] = 0;
    this.shut(i);
    for (const c of held) this.dropDown(c);
    const now = this.now();
    for (const e of this.expect.take(i)) this.bus.emit(dropEvent(now, e.msg, this.names[e.from], e.sent, 0, e.dg, this.names[i], 'receiver_down', this.states.downReason(i)));
  }

  /** A delivery a paused node held reaches it now (at its resume). */
  deliverNow(c: Copy): void {
    this.handle(c);
  }

  emit(e: TraceEvent): void {
    this.bus.emit(e);
  }

  /** A clog ended: what it held arrives now, in order. */
  release(items: readonly Copy[]): void {
    this.pending -= items.length;
    for (const c of items) this.landed(c);
  }

  // --- The workload -------------------------------------------------------------------------

  private scheduleSend(i: number, prev: number): void {
    this.chain[i] = 0;
    const t = this.workload.next(i, this.sentCount[i], prev);
    if (t === null) return;
    this.chain[i] = 1;
    this.at(t, () => this.send(i, t));
  }

  private send(i: number, t: number): void {
    if (this.stopping) return;
    const states = this.states;
    if (states.status[i] !== UP) {
      // A crashed node types nothing, but its user comes back; a node that left is gone.
      if (states.status[i] === LEFT) this.chain[i] = 0;
      else this.scheduleSend(i, t);
      return;
    }
    const seq = ++this.sentCount[i];
    if (states.isPaused(i)) states.hold(i, { kind: 'send', seq });
    else this.sendNow(i, seq);
    this.scheduleSend(i, t);
  }

  /** Node i's user types chat line number `seq` now. */
  sendNow(i: number, seq: number): void {
    const node = this.nodes[i]!;
    this.runInput(i, null, () => node.send(this.now(), this.workload.text(i, seq), this.out));
  }

  // --- Arrivals -----------------------------------------------------------------------------

  /** A datagram reached node `to`'s socket: the chain's first steps (link model attempt()). */
  private arrive(to: number, buf: Buffer): void {
    if (this.finished) return;
    const exp = this.expect.match(to, buf.toString('latin1'));
    if (exp === NOT_OWED || this.states.status[to] !== UP) return;
    const dg = Datagram.fromBytes(buf);
    const now = this.now();
    const from = exp?.from ?? -1;
    const fromName = exp !== undefined ? this.names[exp.from] : claimedSender(dg);
    const msg = exp?.msg ?? 0;
    const sent = exp?.sent ?? now;
    const kind = exp?.dg ?? datagramKind(dg);
    const links = this.links;
    const copies = links.attempt(from, to);
    if (copies === 0) {
      this.bus.emit(dropEvent(now, msg, fromName, sent, 0, kind, this.names[to], links.refusal!.outcome, links.refusal!.reason));
      return;
    }
    for (let k = 0; k < copies; k++) {
      const reason = links.dropReason[k];
      if (reason !== null) {
        this.bus.emit(dropEvent(now, msg, fromName, sent, k, kind, this.names[to], 'dropped', reason));
        continue;
      }
      const c: Copy = { from, to, dg, a: { msg, from: fromName, sent, copy: k, dg: kind }, queued: false };
      const delay = links.delay[k];
      if (delay <= 0) this.landed(c);
      else this.later(delay, () => this.landed(c));
    }
    this.poke();
  }

  /** A copy's latency has passed: clogs and capacities (link model arrive()), then the receiver's state. */
  private landed(c: Copy): void {
    const now = this.scenarioNow();
    const at = this.links.arrive(c.from, c.to, now, c, c.queued);
    if (at === HELD) {
      this.pending++;
      return;
    }
    if (at > now) {
      c.queued = true;
      this.later(at - now, () => this.landed(c));
      return;
    }
    const states = this.states;
    if (states.isDown(c.to)) return this.dropDown(c);
    if (states.isPaused(c.to)) return states.hold(c.to, { kind: 'deliver', d: c });
    this.handle(c);
  }

  /** A copy reaches node `to`'s core (or its dead receiver). */
  private handle(c: Copy): void {
    const node = this.nodes[c.to]!;
    if (!node.receiving) {
      this.bus.emit(dropEvent(this.now(), c.a.msg, c.a.from, c.a.sent, c.a.copy, c.a.dg, this.names[c.to], 'receiver_dead', 'receiver thread died'));
      return;
    }
    this.runInput(c.to, c.a, () => node.receive(this.now(), c.dg, this.out));
  }

  private dropDown(c: Copy): void {
    this.bus.emit(dropEvent(this.now(), c.a.msg, c.a.from, c.a.sent, c.a.copy, c.a.dg, this.names[c.to], 'receiver_down', this.states.downReason(c.to)));
  }

  // --- Core inputs and broadcasts -----------------------------------------------------------

  /** Runs one core input for node i; traces its events, then broadcasts its datagrams. */
  private runInput(i: number, cause: Arrival | null, input: () => void): void {
    input();
    const { events: evs, datagrams: bufs } = this.out.take();
    const firstMsg = this.nextMsg;
    this.nextMsg += bufs.length;
    for (const e of evs) this.tracer.node(e, firstMsg, bufs[0]?.length ?? 0, cause);
    bufs.forEach((b, k) => this.broadcast(i, b, firstMsg + k));
  }

  /** Node i broadcasts `b` as message `msg`: who is owed it, who is down; then the socket sends it. */
  private broadcast(i: number, b: Buffer, msg: number): void {
    const key = b.toString('latin1');
    const sent = this.now();
    const dg = datagramKind(Datagram.fromBytes(b));
    const status = this.states.status;
    const self = this.opts.scenario.network.deliverToSelf;
    this.expect.sent(key);
    for (let to = 0; to < this.n; to++) {
      const s = status[to];
      if (s === NOT_JOINED || s === LEFT || (to === i && !self)) continue; // not bound to the port: no copy for it
      if (s === CRASHED) this.bus.emit(dropEvent(sent, msg, this.names[i], sent, 0, dg, this.names[to], 'receiver_down', this.states.downReason(to)));
      else this.expect.owe(to, key, { msg, from: i, sent, dg });
    }
    this.sockets[i]!.send(b, this.opts.endpoint.port, this.opts.endpoint.address);
  }

  /** At the end of the run, deliveries held by nodes still paused are lost with them. */
  private dropNeverResumed(): void {
    for (const { held } of this.states.stillPaused()) for (const c of held) this.dropDown(c);
  }

  /** Every broadcast a receiver was owed and never saw: lost by the live network. */
  private traceLost(): void {
    const now = this.now();
    const lost: { to: number; e: ReturnType<Expectations['take']>[number] }[] = [];
    for (let to = 0; to < this.n; to++) for (const e of this.expect.take(to)) lost.push({ to, e });
    lost.sort((a, b) => a.e.msg - b.e.msg || a.to - b.to);
    for (const { to, e } of lost) this.bus.emit(dropEvent(now, e.msg, this.names[e.from], e.sent, 0, e.dg, this.names[to], 'dropped', 'lost in transit'));
  }
}

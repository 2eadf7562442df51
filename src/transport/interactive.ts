// One interactive live node, as the original program is: it reads lines, broadcasts each as a
// chat message, and prints the clock before and after every send and receive. It speaks the
// seed's wire format byte for byte (src/core/wire.ts), so it chats with the original's nodes.
//
// Hostile input never crashes it: the core classifies every datagram, and by default the
// node is built with `badDatagram: 'ignore'`, so a datagram the seed would die on is
// reported on one line and the node carries on; `faithful` keeps the rule's own column
// (the seed's receiving thread dies, as in the original). A datagram bearing this node's
// own name that it did not send itself is reported as a duplicate name.

import type { Socket } from 'node:dgram';
import { snapshotGet, type ClockSnapshot } from '../core/clock.js';
import { Node, type NodeEvent } from '../core/node.js';
import type { ClockRuleName } from '../core/rules.js';
import { Datagram, pyDumpsClock } from '../core/wire.js';
import type { TraceBus } from '../trace/bus.js';
import { nameProblem } from './defaults.js';
import { closeSocket, LiveError, openSocket, type Endpoint } from './socket.js';
import { claimedSender, datagramKind, LiveTracer, WallClock, type Arrival } from './tracer.js';
import { StepOutbox } from './step.js';

export interface InteractiveOptions {
  readonly name: string;
  readonly clock: ClockRuleName;
  readonly endpoint: Endpoint;
  /** Keep the rule's reaction to bad datagrams (the seed dies) instead of reporting them. */
  readonly faithful: boolean;
  /** What a person reads: clocks and messages. */
  readonly print: (line: string) => void;
  /** Reports: bad datagrams, deaths, duplicate names. */
  readonly report: (line: string) => void;
  /** The trace, if one is recorded (`--log`). */
  readonly bus: TraceBus | null;
}

/** Python-style text of a clock, as the original prints it. */
export function pythonClockText(c: ClockSnapshot): string {
  if (typeof c === 'number') return String(c);
  return pyDumpsClock(c.names, c.values, c.values.length);
}

export class InteractiveNode {
  private readonly node: Node;
  private socket: Socket | null = null;
  private readonly wall = new WallClock();
  private readonly tracer: LiveTracer | null;
  private nextMsg = 1;
  /** Payloads sent and not yet heard back, with their msg ids and send times. */
  private readonly echoes = new Map<string, { msg: number; sent: number }[]>();
  /** Collects each core input's outputs (the core's Outbox). */
  private readonly out = new StepOutbox();
  /** The datagram being received, so a receive can show its text. */
  private current: Datagram | null = null;
  private closed = false;
  /** Counts, for tests and the closing line. */
  readonly counts = { sent: 0, received: 0, reported: 0 };

  constructor(private readonly opts: InteractiveOptions) {
    const problem = nameProblem(opts.name);
    if (problem !== null) throw new LiveError('--name', problem);
    this.node = new Node(opts.name, opts.clock, opts.faithful ? {} : { badDatagram: 'ignore' });
    this.tracer = opts.bus === null ? null : new LiveTracer(opts.bus);
  }

  get core(): Node {
    return this.node;
  }

  /** Binds the socket and announces the node. Rejects with a LiveError on a bind problem. */
  async start(): Promise<void> {
    this.socket = await openSocket(this.opts.endpoint);
    this.wall.start();
    this.socket.on('message', (buf: Buffer) => this.arrive(buf));
    this.socket.on('error', (e) => this.opts.report(`socket error: ${e.message}`));
    this.run(null, () => this.node.start(this.wall.now(), this.out));
  }

  /** A person typed a line: broadcast it (empty lines are not sent, as in the original). */
  send(line: string): void {
    if (this.closed || line === '') return;
    this.run(null, () => this.node.send(this.wall.now(), line, this.out));
  }

  /** Closes the socket and ends the trace. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.socket !== null) await closeSocket(this.socket);
    if (this.opts.bus !== null) {
      this.opts.bus.emit({ type: 'end', t: this.wall.now(), events: this.tracer!.events, messages: this.nextMsg - 1 });
      await this.opts.bus.end();
    }
  }

  private arrive(buf: Buffer): void {
    if (this.closed) return;
    const now = this.wall.now();
    const dg = Datagram.fromBytes(buf);
    const key = buf.toString('latin1');
    const list = this.echoes.get(key);
    const echo = list?.shift();
    if (list !== undefined && list.length === 0) this.echoes.delete(key);
    const from = claimedSender(dg);
    if (echo === undefined && from === this.opts.name) {
      this.counts.reported++;
      this.opts.report(`another node uses the name ${JSON.stringify(from)}: its datagram is taken for this node's own and ignored`);
    }
    const a: Arrival = { msg: echo?.msg ?? 0, from, sent: echo?.sent ?? now, copy: 0, dg: datagramKind(dg) };
    if (!this.node.receiving) {
      this.opts.bus?.emit({ type: 'drop', t: now, ...a, to: this.opts.name, outcome: 'receiver_dead', reason: 'receiver thread died' });
      return;
    }
    this.current = dg;
    this.run(a, () => this.node.receive(now, dg, this.out));
    this.current = null;
  }

  private run(cause: Arrival | null, f: () => void): void {
    f();
    const { events: evs, datagrams: bufs } = this.out.take();
    const firstMsg = this.nextMsg;
    this.nextMsg += bufs.length;
    for (const e of evs) {
      this.tracer?.node(e, firstMsg, bufs[0]?.length ?? 0, cause);
      this.show(e);
    }
    const sent = this.wall.now();
    bufs.forEach((b, k) => {
      const key = b.toString('latin1');
      const l = this.echoes.get(key);
      const e = { msg: firstMsg + k, sent };
      if (l === undefined) this.echoes.set(key, [e]);
      else l.push(e);
      this.socket!.send(b, this.opts.endpoint.port, this.opts.endpoint.address);
    });
  }

  private chatText(): string {
    const p = this.current?.parsed;
    return p?.kind === 'chat' ? p.text : '';
  }

  /** What a person sees of one core event. */
  private show(e: NodeEvent): void {
    const p = this.opts.print;
    switch (e.type) {
      case 'join':
        p(`${e.node} joined with clock ${pythonClockText(e.after)}`);
        return;
      case 'send':
        this.counts.sent++;
        p(`before send: ${pythonClockText(e.before)}`);
        p(`sent: ${e.text}`);
        p(`after send: ${pythonClockText(e.after)}`);
        return;
      case 'receive':
        this.counts.received++;
        p(`before receive: ${pythonClockText(e.before)}`);
        p(`${e.peer}: ${this.chatText()}`);
        p(`after receive: ${pythonClockText(e.after)}`);
        return;
      case 'join_seen':
        p(`${e.peer} joined${e.reset ? ` (its entry reset from ${snapshotGet(e.before, e.peer)} to 0)` : ''}: ${pythonClockText(e.after)}`);
        return;
      case 'reply_seen':
        p(`${e.peer} is here: ${pythonClockText(e.after)}`);
        return;
      case 'receiver_died':
        this.counts.reported++;
        this.opts.report(`bad datagram from ${JSON.stringify(e.peer)}: ${e.cause}: ${e.detail}; the receiving thread died (--faithful), this node can still send`);
        return;
      case 'ignored':
        if (e.reason === 'own') return;
        this.counts.reported++;
        this.opts.report(`bad datagram from ${JSON.stringify(e.peer)}: ${e.reason}: ${e.detail}; ignored`);
        return;
    }
  }

}

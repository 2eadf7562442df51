// The node state machine: everything that affects one node's protocol state lives here.
// It is sans-IO (in the style of h11 and quinn-proto): inputs are method calls carrying
// `now`, outputs are values handed to an `Outbox` the driver owns (datagrams to broadcast,
// trace events). It never reads a clock, draws a random number, or touches a socket, timer
// or file; the simulator and the UDP transport both drive this same class.
//
// Theory of operation (docs/protocol.md, "Node behaviour"):
//
//   input                         | state change                            | outputs
//   ------------------------------+-----------------------------------------+-------------------------
//   start(now)                    | clock = {name: 0}                       | join event, NEW_CONNECTION
//   send(now, text)               | own += 1                                | send event, chat datagram
//   receive: join from other      | other = 0 (seed: even if known)         | join_seen, EXISTING_CONNECTION
//   receive: reply from other     | add other = 0 if missing                | reply_seen
//   receive: chat from other      | merge by max (+1 own unless seed)       | receive
//   receive: own name             | -                                       | ignored (own)
//   receive: unknown key / garbage| seed: stop receiving for good           | receiver_died
//                                 | others: adopt key / ignore datagram     | receive / ignored
//
// Which column applies is decided by the rule table in src/core/rules.ts.

import { NameTable, VectorClock, type ClockSnapshot } from './clock.js';
import { RULES, type ClockRule, type ClockRuleName } from './rules.js';
import { Datagram, encodeChat, encodeJoin, encodeReply } from './wire.js';

export type DeathCause = 'unknown_key' | 'unparsable' | 'bad_value';

/** What a node reports. `t` is the `now` of the input that caused it. */
export type NodeEvent =
  | { readonly type: 'join'; readonly t: number; readonly node: string; readonly after: ClockSnapshot }
  | { readonly type: 'join_seen'; readonly t: number; readonly node: string; readonly peer: string; readonly before: ClockSnapshot; readonly after: ClockSnapshot; readonly reset: boolean }
  | { readonly type: 'reply_seen'; readonly t: number; readonly node: string; readonly peer: string; readonly before: ClockSnapshot; readonly after: ClockSnapshot }
  | { readonly type: 'send'; readonly t: number; readonly node: string; readonly text: string; readonly before: ClockSnapshot; readonly after: ClockSnapshot }
  | { readonly type: 'receive'; readonly t: number; readonly node: string; readonly peer: string; readonly before: ClockSnapshot; readonly after: ClockSnapshot }
  | { readonly type: 'receiver_died'; readonly t: number; readonly node: string; readonly peer: string; readonly cause: DeathCause; readonly detail: string; readonly before: ClockSnapshot; readonly after: ClockSnapshot }
  | { readonly type: 'ignored'; readonly t: number; readonly node: string; readonly peer: string; readonly reason: 'own' | DeathCause; readonly detail: string };

/** Where a node's outputs go. The driver implements it; the node only calls it. */
export interface Outbox {
  /** Broadcast this payload (UTF-8 text) to every node, the sender included. */
  transmit(payload: string): void;
  event(ev: NodeEvent): void;
}

/** Per-node options: driver plumbing, and overrides of the rule table. */
export interface NodeOptions {
  /** Share one name table among the nodes of a driver (faster merges). */
  readonly names?: NameTable;
  /** Record clock snapshots in events (default true); false gives a live view of the clock, for speed. */
  readonly recordClocks?: boolean;
  /**
   * What to do with a datagram the node cannot take, overriding the rule's column.
   * `ignore` (a live `vcsim node` by default): never die; every chat datagram is checked
   * whole before anything is merged, and one with an unknown key, a value that is not a
   * whole number from 0 to 2^53-1, or that does not parse is traced as `ignored` with
   * its cause. `die`: the receiver dies on it, as the seed program does.
   */
  readonly badDatagram?: 'die' | 'ignore';
}

export class Node {
  readonly rule: ClockRule;
  private readonly clock: VectorClock;
  private readonly recordClocks: boolean;
  /** The scalar clock of the `lamport` rule (unused by vector rules). */
  private lamport = 0;
  private receivingAlive = true;
  private readonly badDatagram: 'die' | 'ignore';
  /** Set by an explicit `badDatagram: 'ignore'`: check the whole datagram before merging. */
  private readonly strict: boolean;

  constructor(readonly name: string, rule: ClockRuleName, options: NodeOptions = {}) {
    this.rule = RULES[rule];
    this.clock = new VectorClock(name, options.names);
    this.recordClocks = options.recordClocks ?? true;
    this.badDatagram = options.badDatagram ?? this.rule.badDatagram;
    this.strict = options.badDatagram === 'ignore';
  }

  /** False once the receiving thread has died (seed rule): the node can still send. */
  get receiving(): boolean {
    return this.receivingAlive;
  }

  /** The names this node knows, in insertion order (its membership view). */
  get members(): readonly string[] {
    return this.clock.names;
  }

  knows(name: string): boolean {
    return this.clock.has(name);
  }

  /** The clock now, as events carry it. */
  snapshot(): ClockSnapshot {
    if (this.rule.scalar) return this.lamport;
    return this.recordClocks ? this.clock.snapshot() : this.clock.liveView;
  }

  /** The clock now, always recorded (for inspection, whatever recordClocks says). */
  clockNow(): ClockSnapshot {
    return this.rule.scalar ? this.lamport : this.clock.snapshot();
  }

  /**
   * Static membership (a driver's choice, not the seed protocol): adds an entry at 0 for each
   * name this node has none for, in the order given, before `start`. No event: `start`'s
   * join event then shows the whole membership.
   */
  preload(names: readonly string[]): void {
    this.clock.addMissing(names);
  }

  /** The node starts: a join event, then (unless `announce` is false) its announcement. */
  start(now: number, out: Outbox, announce = true): void {
    out.event({ type: 'join', t: now, node: this.name, after: this.snapshot() });
    if (announce) out.transmit(encodeJoin(this.name));
  }

  send(now: number, text: string, out: Outbox): void {
    const before = this.snapshot();
    let payload: string;
    if (this.rule.scalar) {
      this.lamport += 1;
      payload = encodeChat(this.name, text, [this.name], [this.lamport]);
    } else {
      this.clock.set(0, this.clock.get(0) + 1); // slot 0 is always the node's own entry
      payload = encodeChat(this.name, text, this.clock.names, this.clock.view);
    }
    out.event({ type: 'send', t: now, node: this.name, text, before, after: this.snapshot() });
    out.transmit(payload);
  }

  /** A datagram arrived. The caller must not deliver to a node whose receiver died. */
  receive(now: number, dg: Datagram, out: Outbox): void {
    if (!this.receivingAlive) throw new Error(`bug: delivery to ${this.name}, whose receiver has died`);
    const p = dg.parsed;
    switch (p.kind) {
      case 'join':
        if (p.name === this.name) return this.ignore(now, p.name, 'own', '', out);
        return this.onAnnounce(now, p.name, out);
      case 'reply':
        if (p.name === this.name) return this.ignore(now, p.name, 'own', '', out);
        return this.onReply(now, p.name, out);
      case 'unparsable':
        return this.bad(now, '', 'unparsable', p.reason, this.snapshot(), out);
      case 'chat':
        if (p.sender === this.name) return this.ignore(now, p.sender, 'own', '', out);
        return this.onChat(now, p.sender, dg, out);
    }
  }

  private onAnnounce(now: number, other: string, out: Outbox): void {
    const slot = this.clock.slot(other);
    const reset = slot >= 0 && this.rule.resetOnAnnounce && this.clock.get(slot) !== 0;
    // A reset is the one input that makes a clock go down: its before and after are always
    // recorded, so that a regression is seen even when clocks are otherwise not recorded.
    const before = reset ? this.clock.snapshot() : this.snapshot();
    if (slot < 0) this.clock.add(other, 0);
    else if (reset) this.clock.set(slot, 0);
    const after = reset ? this.clock.snapshot() : this.snapshot();
    out.event({ type: 'join_seen', t: now, node: this.name, peer: other, before, after, reset });
    out.transmit(encodeReply(this.name));
  }

  private onReply(now: number, other: string, out: Outbox): void {
    const before = this.snapshot();
    if (!this.clock.has(other)) this.clock.add(other, 0);
    out.event({ type: 'reply_seen', t: now, node: this.name, peer: other, before, after: this.snapshot() });
  }

  private onChat(now: number, sender: string, dg: Datagram, out: Outbox): void {
    const before = this.snapshot();
    const attached = dg.clock;
    if (!attached.ok) return this.bad(now, sender, 'unparsable', attached.reason, before, out);
    const { keys, values } = attached;
    const ids = dg.clockIds(this.clock.table);
    if (this.badDatagram === 'ignore') {
      const badAt = values.indexOf(null);
      if (badAt >= 0) return this.ignore(now, sender, 'bad_value', `value of ${JSON.stringify(keys[badAt])} is not a number`, out);
    }
    if (this.strict) {
      const why = this.refuse(keys, values);
      if (why !== null) return this.ignore(now, sender, why.cause, why.detail, out);
    }
    const clock = this.clock;
    let incoming = 0;
    // Python's loop: `for k in attached: clock[k] = max(clock[k], attached[k])`, which
    // raises part-way through, leaving the entries before the bad key merged.
    // Vector rules merge the known prefix in one tight loop; the loop below does the rest.
    const start = this.rule.scalar ? 0 : clock.mergeMax(ids, values);
    for (let i = start; i < keys.length; i++) {
      const v = values[i];
      let slot = clock.slotById(ids[i]);
      if (slot < 0) {
        if (this.rule.unknownKey === 'die') return this.bad(now, sender, 'unknown_key', `no entry for ${JSON.stringify(keys[i])}`, before, out);
        slot = clock.add(keys[i], 0);
      }
      if (v === null) return this.bad(now, sender, 'bad_value', `value of ${JSON.stringify(keys[i])} is not a number`, before, out);
      if (this.rule.scalar) {
        if (v > incoming) incoming = v;
      } else if (v > clock.get(slot)) {
        clock.set(slot, v);
      }
    }
    if (this.rule.scalar) this.lamport = Math.max(this.lamport, incoming) + 1;
    else if (this.rule.incrementOnReceive) clock.set(0, clock.get(0) + 1);
    out.event({ type: 'receive', t: now, node: this.name, peer: sender, before, after: this.snapshot() });
  }

  /** Strict mode: why a whole attached clock cannot be merged, or null if it can. */
  private refuse(keys: readonly string[], values: readonly (number | null)[]): { cause: DeathCause; detail: string } | null {
    for (let i = 0; i < keys.length; i++) {
      const v = values[i];
      if (v === null || !Number.isSafeInteger(v) || v < 0) {
        return { cause: 'bad_value', detail: `value of ${JSON.stringify(keys[i])} is ${String(v)}, not a whole number from 0 to 2^53-1` };
      }
      if (this.rule.unknownKey === 'die' && !this.clock.has(keys[i])) {
        return { cause: 'unknown_key', detail: `no entry for ${JSON.stringify(keys[i])}` };
      }
    }
    return null;
  }

  /** A datagram the rule cannot take: the seed's receiver dies, other rules ignore it. */
  private bad(now: number, peer: string, cause: DeathCause, detail: string, before: ClockSnapshot, out: Outbox): void {
    if (this.badDatagram === 'ignore' && (cause !== 'unknown_key' || this.strict)) return this.ignore(now, peer, cause, detail, out);
    this.receivingAlive = false;
    out.event({ type: 'receiver_died', t: now, node: this.name, peer, cause, detail, before, after: this.snapshot() });
  }

  private ignore(now: number, peer: string, reason: 'own' | DeathCause, detail: string, out: Outbox): void {
    out.event({ type: 'ignored', t: now, node: this.name, peer, reason, detail });
  }
}

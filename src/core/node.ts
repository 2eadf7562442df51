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
// Which column applies is decided by the rule table in src/core/rules.ts. A stamp rule
// (src/core/stamps.ts) keeps membership in the vector as fidge-mattern does, with every
// entry at 0, and its clock in a `StampClock`: a send ticks it and attaches its encoding, a
// chat receive decodes the attached text and merges it (docs/clocks.md, "The clock-rule interface").

import { NameTable, VectorClock, type ClockSnapshot } from './clock.js';
import { RULES, isVectorRule, stampTableRow, type ClockRule, type ClockRuleName } from './rules.js';
import type { Id } from './itc.js';
import { stampRule, type PhysicalClock, type StampClock, type StampRule } from './stamps.js';
import { Datagram, encodeChat, encodeJoin, encodeReply, pyDumpsString, RECV_BUFFER_BYTES } from './wire.js';
import { nameProblem } from './names.js';

/** A guarded node's membership cap (docs/live.md, "Hostile peers"). */
export const MAX_MEMBERS = 256;
/** Bytes a guarded node keeps free for the text of its chat messages. */
export const TEXT_RESERVE_BYTES = 256;

const utf8 = new TextEncoder();
/** Bytes one clock entry may take on the wire: `"name": 9007199254740991, `. */
const entryBytes = (name: string): number => utf8.encode(pyDumpsString(name)).length + 2 + 16 + 2;

export type DeathCause = 'unknown_key' | 'unparsable' | 'bad_value';

/** What a node reports. `t` is the `now` of the input that caused it. */
export type NodeEvent =
  | { readonly type: 'join'; readonly t: number; readonly node: string; readonly after: ClockSnapshot }
  | { readonly type: 'join_seen'; readonly t: number; readonly node: string; readonly peer: string; readonly before: ClockSnapshot; readonly after: ClockSnapshot; readonly reset: boolean }
  | { readonly type: 'reply_seen'; readonly t: number; readonly node: string; readonly peer: string; readonly before: ClockSnapshot; readonly after: ClockSnapshot }
  | { readonly type: 'send'; readonly t: number; readonly node: string; readonly text: string; readonly before: ClockSnapshot; readonly after: ClockSnapshot }
  | { readonly type: 'receive'; readonly t: number; readonly node: string; readonly peer: string; readonly before: ClockSnapshot; readonly after: ClockSnapshot }
  | { readonly type: 'receiver_died'; readonly t: number; readonly node: string; readonly peer: string; readonly cause: DeathCause; readonly detail: string; readonly before: ClockSnapshot; readonly after: ClockSnapshot }
  | { readonly type: 'ignored'; readonly t: number; readonly node: string; readonly peer: string; readonly reason: IgnoredReason; readonly detail: string };

/** Why a delivery was not acted on: its own copy, garbage, or a member a guarded node refused. */
export type IgnoredReason = 'own' | DeathCause | 'refused_member';

/** Where a node's outputs go. The driver implements it; the node only calls it. */
export interface Outbox {
  /** Broadcast this payload (UTF-8 text) to every node, the sender included. */
  transmit(payload: string): void;
  event(ev: NodeEvent): void;
  /**
   * A chat datagram was merged (NodeOptions.countReceives): given instead of a `receive`
   * event, with the clock after the merge (a live view, or the Lamport count).
   */
  received?(now: number, after: ClockSnapshot): void;
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
  /** The node's index in the run's node list (plausible clocks count in entry index mod R). */
  readonly index?: number;
  /** The node's physical clock (hybrid logical clocks); absent: it reads the driver's `now`. */
  readonly physical?: PhysicalClock;
  /** Interval tree clocks: the node's initial id (absent: a newcomer, which asks for one). */
  readonly itcId?: Id;
  /**
   * A live node's guard against hostile peers (not `--faithful`): a join name, reply name or
   * clock key it does not know yet is refused (traced as `ignored`, reason `refused_member`)
   * when it breaks the rule for node names (src/core/names.ts), when the node already knows
   * MAX_MEMBERS names, or when the node's clock with it could push a chat message past the
   * 2,048-byte receive buffer.
   */
  readonly guardMembers?: boolean;
  /**
   * Report a merged chat datagram through `Outbox.received` instead of a `receive` event
   * object (vector and Lamport rules, clocks not recorded): the driver's counting path.
   */
  readonly countReceives?: boolean;
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
  /** The stamp rule and this node's clock under it (null for the vector rules). */
  private readonly stampRule: StampRule<unknown> | null;
  private readonly stamp: StampClock<unknown> | null;
  /** Differential rule: the values of the clock's slots at the node's previous broadcast. */
  private lastSent: number[] = [];
  private readonly guard: boolean;
  /** NodeOptions.countReceives, where it applies (a vector or Lamport rule, clocks not recorded). */
  private readonly counts: boolean;

  constructor(readonly name: string, rule: ClockRuleName, options: NodeOptions = {}) {
    if (isVectorRule(rule)) {
      this.rule = RULES[rule];
      this.stampRule = null;
      this.stamp = null;
    } else {
      const sr = stampRule(rule);
      if (sr === null) throw new Error(`bug: no clock rule ${JSON.stringify(rule)}`);
      this.rule = stampTableRow(rule);
      this.stampRule = sr;
      this.stamp = sr.start({ name, index: options.index ?? 0, physical: options.physical, itcId: options.itcId });
    }
    this.clock = new VectorClock(name, options.names);
    this.recordClocks = options.recordClocks ?? true;
    this.badDatagram = options.badDatagram ?? this.rule.badDatagram;
    this.strict = options.badDatagram === 'ignore';
    this.guard = options.guardMembers === true;
    this.counts = options.countReceives === true && this.stamp === null && !this.recordClocks;
  }

  /** Why a guarded node refuses `name` as a new member, or null (known names always pass). */
  private refuseMember(name: string): string | null {
    if (!this.guard || this.clock.has(name)) return null;
    const bad = nameProblem(name);
    if (bad !== null) return `name refused: ${bad}`;
    const names = this.clock.names;
    if (names.length >= MAX_MEMBERS) return `membership full: this node already knows ${names.length} names (limit ${MAX_MEMBERS})`;
    let bytes = utf8.encode(this.name).length + 4 + 2 + entryBytes(name);
    for (const n of names) bytes += entryBytes(n);
    if (bytes > RECV_BUFFER_BYTES - TEXT_RESERVE_BYTES) {
      return `clock too large: with ${JSON.stringify(name)} a chat message could exceed the ${RECV_BUFFER_BYTES}-byte receive buffer (${bytes} bytes before its text)`;
    }
    return null;
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
    if (this.stamp !== null) return this.stampRule!.view(this.stamp.stamp);
    if (this.rule.scalar) return this.lamport;
    return this.recordClocks ? this.clock.snapshot() : this.clock.liveView;
  }

  /** The clock now, always recorded (for inspection, whatever recordClocks says). */
  clockNow(): ClockSnapshot {
    if (this.stamp !== null) return this.stampRule!.view(this.stamp.stamp);
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
    const extra = this.stamp?.announce?.() ?? null;
    if (announce) out.transmit(extra === null ? encodeJoin(this.name) : encodeJoin(this.name) + '==' + extra);
  }

  send(now: number, text: string, out: Outbox): void {
    const before = this.snapshot();
    let payload: string;
    if (this.stamp !== null) {
      this.stamp.send(now);
      payload = this.name + '##' + text + '@@' + this.stampRule!.encode(this.stamp.stamp);
    } else if (this.rule.scalar) {
      this.lamport += 1;
      payload = encodeChat(this.name, text, [this.name], [this.lamport]);
    } else {
      this.clock.set(0, this.clock.get(0) + 1); // slot 0 is always the node's own entry
      payload = this.rule.wire === 'changed' ? this.changedSinceLastBroadcast(text) : encodeChat(this.name, text, this.clock.names, this.clock.view);
    }
    out.event({ type: 'send', t: now, node: this.name, text, before, after: this.snapshot() });
    out.transmit(payload);
  }

  /**
   * Differential vector clocks (Singhal and Kshemkalyani 1992), for a broadcast: the chat
   * datagram carries only the entries whose value changed since this node's previous
   * broadcast (the own entry always has), in the clock's insertion order.
   */
  private changedSinceLastBroadcast(text: string): string {
    const names = this.clock.names;
    const values = this.clock.view;
    const keys: string[] = [];
    const vals: number[] = [];
    for (let i = 0; i < values.length; i++) {
      if (values[i] !== (this.lastSent[i] ?? 0)) {
        keys.push(names[i]);
        vals.push(values[i]);
      }
    }
    this.lastSent = values.slice();
    return encodeChat(this.name, text, keys, vals);
  }

  /** A datagram arrived. The caller must not deliver to a node whose receiver died. */
  receive(now: number, dg: Datagram, out: Outbox): void {
    if (!this.receivingAlive) throw new Error(`bug: delivery to ${this.name}, whose receiver has died`);
    const p = dg.parsed;
    switch (p.kind) {
      case 'join':
      case 'reply': {
        if (p.name === this.name) return this.ignore(now, p.name, 'own', '', out);
        const refused = this.refuseMember(p.name);
        if (refused !== null) return this.ignore(now, p.name, 'refused_member', refused, out);
        return p.kind === 'join' ? this.onAnnounce(now, p.name, dg, out) : this.onReply(now, p.name, dg, out);
      }
      case 'unparsable':
        // Own copy first, as the original: split on "##", compare names, only then "@@".
        if (p.sender === this.name) return this.ignore(now, p.sender, 'own', '', out);
        return this.bad(now, '', 'unparsable', p.reason, this.snapshot(), out);
      case 'chat':
        if (p.sender === this.name) return this.ignore(now, p.sender, 'own', '', out);
        return this.onChat(now, p.sender, dg, out);
    }
  }

  private onAnnounce(now: number, other: string, dg: Datagram, out: Outbox): void {
    const slot = this.clock.slot(other);
    const reset = slot >= 0 && this.rule.resetOnAnnounce && this.clock.get(slot) !== 0;
    // A reset is the one input that makes a clock go down: its before and after are always
    // recorded, so that a regression is seen even when clocks are otherwise not recorded.
    const before = reset ? this.clock.snapshot() : this.snapshot();
    if (slot < 0) this.clock.add(other, 0);
    else if (reset) this.clock.set(slot, 0);
    // Differential: a newcomer (or a restarted peer) has none of the entries sent so far, so
    // the next broadcast carries the whole clock (docs/clocks.md, "differential").
    if (this.rule.wire === 'changed') this.lastSent = [];
    const after = reset ? this.clock.snapshot() : this.snapshot();
    out.event({ type: 'join_seen', t: now, node: this.name, peer: other, before, after, reset });
    const extra = this.stamp?.answer?.(other, extraOf(dg)) ?? null;
    out.transmit(extra === null ? encodeReply(this.name) : encodeReply(this.name) + '==' + extra);
  }

  private onReply(now: number, other: string, dg: Datagram, out: Outbox): void {
    const before = this.snapshot();
    this.stamp?.replied?.(extraOf(dg));
    if (!this.clock.has(other)) {
      this.clock.add(other, 0);
      if (this.rule.wire === 'changed') this.lastSent = [];
    }
    out.event({ type: 'reply_seen', t: now, node: this.name, peer: other, before, after: this.snapshot() });
  }

  private onChat(now: number, sender: string, dg: Datagram, out: Outbox): void {
    const before = this.snapshot();
    if (this.stamp !== null) {
      const p = dg.parsed;
      const m = p.kind === 'chat' ? this.stampRule!.decode(p.clockText) : null;
      if (m === null) return this.ignore(now, sender, 'unparsable', `not a ${this.rule.name} stamp`, out);
      this.stamp.receive(m, now);
      out.event({ type: 'receive', t: now, node: this.name, peer: sender, before, after: this.snapshot() });
      return;
    }
    const attached = dg.clock;
    if (!attached.ok) return this.bad(now, sender, 'unparsable', attached.reason, before, out);
    const { keys, values } = attached;
    const ids = dg.clockIds(this.clock.table);
    if (this.badDatagram === 'ignore') {
      const badAt = dg.firstNull;
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
    if (this.counts && out.received !== undefined) return out.received(now, this.snapshot());
    out.event({ type: 'receive', t: now, node: this.name, peer: sender, before, after: this.snapshot() });
  }

  /** Strict mode: why a whole attached clock cannot be merged, or null if it can. */
  private refuse(keys: readonly string[], values: readonly (number | null)[]): { cause: DeathCause | 'refused_member'; detail: string } | null {
    if (this.guard && this.rule.unknownKey !== 'die') {
      // Keys this node would adopt are new members: they pass the same guard as join names.
      // Checked one at a time as if adopted in order, so the byte budget counts them all.
      const adopted: string[] = [];
      for (const k of keys) {
        if (this.clock.has(k) || adopted.includes(k)) continue;
        const why = this.refuseMember(k);
        if (why !== null) return { cause: 'refused_member', detail: `clock key ${JSON.stringify(k)}: ${why}` };
        adopted.push(k);
      }
      if (adopted.length > 0 && this.wouldOverflow(adopted)) return { cause: 'refused_member', detail: `clock keys ${adopted.length} new names: the clock would exceed the receive buffer or the membership cap` };
    }
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

  /** Whether adopting all of `names` at once breaks the cap or the byte budget. */
  private wouldOverflow(names: readonly string[]): boolean {
    const all = [...this.clock.names, ...names];
    if (all.length > MAX_MEMBERS) return true;
    let bytes = utf8.encode(this.name).length + 4 + 2;
    for (const n of all) bytes += entryBytes(n);
    return bytes > RECV_BUFFER_BYTES - TEXT_RESERVE_BYTES;
  }

  private ignore(now: number, peer: string, reason: IgnoredReason, detail: string, out: Outbox): void {
    out.event({ type: 'ignored', t: now, node: this.name, peer, reason, detail });
  }
}

/** A handshake datagram's text after its second `==` (a stamp rule's handshake extra), or null. */
function extraOf(dg: Datagram): string | null {
  const parts = dg.payload.split('==');
  return parts.length >= 3 ? parts.slice(2).join('==') : null;
}

// Anomalies: the things that went wrong in a run, each with its time, node and cause, found
// from the trace alone as it streams past (docs/checker.md, "Anomalies (anomalies.csv)").
//
//   receiver_died          a node's receiving thread died (unknown key, unparsable datagram,
//                          a clock value that is not a number); the node still sends
//   clock_regression       an entry of a node's clock went down (e.g. the seed's rejoin reset)
//   membership_divergence  at the end of the run, node A (up, receiver alive) does not know
//                          node B (joined, up), though no partition separates them: one row
//                          per (A, B); a node that left or is still crashed is not up
//   undelivered            a chat message never reached a node that was joined, alive and
//                          not partitioned from the sender: every copy was lost by the network
//
// Memory: per node its last clock and what it learned; per lost (message, receiver) one
// entry until a copy arrives. The end-of-run membership check is O(N^2) and is skipped,
// with a note, past MAX_MEMBERSHIP_NODES nodes.

import type { TraceConsumer } from '../trace/bus.js';
import type { TraceEvent, TraceHeader } from '../trace/events.js';
import { ClockDims, type AnyClock } from './clocks.js';
import { leqSerialized } from '../core/itc.js';

export const ANOMALY_KINDS = ['receiver_died', 'clock_regression', 'membership_divergence', 'undelivered'] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

export const MAX_MEMBERSHIP_NODES = 4096;

/** The lost-copy filter's size in bytes, less one (2^17 bytes: a million bits). */
const LOST_BITS_MASK = (1 << 17) - 1;

export interface Anomaly {
  readonly kind: AnomalyKind;
  /** Microseconds: when it happened (membership: the end of the run; undelivered: the send). */
  readonly t: number;
  readonly node: string;
  /** The other node involved ('' if none). */
  readonly peer: string;
  /** The event (events.csv) it happened at, or null. */
  readonly ev: number | null;
  /** The message (messages.csv) involved, or null. */
  readonly msg: number | null;
  readonly cause: string;
}

interface Lost {
  readonly t: number;
  readonly from: string;
  readonly to: string;
  readonly msg: number;
}

export class AnomalyDetector implements TraceConsumer {
  private readonly found: Anomaly[] = [];
  private nodes: readonly string[] = [];
  private readonly joined = new Set<string>();
  private readonly dead = new Set<string>();
  /** Each node's last clock: by header index, in a Map for other names. */
  private lastIdx: (AnyClock | undefined)[] = [];
  private readonly lastClock = new Map<string, AnyClock>();
  /** Peers learned of, per node: a byte per header node (by index), a Set for other names. */
  private learnedIdx: (Uint8Array | undefined)[] = [];
  private readonly learned = new Map<string, Set<string>>();
  /** Lost copies by key(msg, receiver): a number for header nodes, a string otherwise. */
  private readonly lost = new Map<number | string, Lost>();
  /**
   * A filter before `lost` (a cache-sized bit per numeric key, hashed by its low bits, never
   * cleared): a clear bit means no such key, so most copies that land skip the Map lookup.
   */
  private readonly lostBits = new Uint8Array(LOST_BITS_MASK + 1);
  /** Header node name -> index (keys without building strings per delivery). */
  private readonly index = new Map<string, number>();
  /** Active partitions: id -> group index per node name. */
  private readonly active = new Map<string, Map<string, number>>();
  /** Nodes down now: left for good, or crashed and not restarted (the fault's id). */
  private readonly down = new Map<string, string>();
  private result: Anomaly[] | null = null;
  private itc = false;
  private staticMembership = false;
  readonly notes: string[] = [];

  header(h: TraceHeader): void {
    this.itc = h.clock === 'itc';
    this.nodes = h.nodes;
    // Static membership: every node starts knowing every name (the scalar lamport clock
    // shows no names, so the start must be taken from the scenario, not from the clock).
    const join = (h.scenario as { join?: { membership?: unknown } } | null)?.join;
    this.staticMembership = join !== null && typeof join === 'object' && join.membership === 'static';
    this.index.clear();
    h.nodes.forEach((n, i) => { if (!this.index.has(n)) this.index.set(n, i); });
    this.learnedIdx = new Array<Uint8Array | undefined>(h.nodes.length);
    this.lastIdx = new Array<AnyClock | undefined>(h.nodes.length);
  }

  event(e: TraceEvent): void {
    switch (e.type) {
      case 'join':
        this.joined.add(e.node);
        this.setLast(e.node, e.after);
        return;
      case 'join_seen':
      case 'reply_seen':
      case 'receive':
        this.learn(e.node, e.from);
        this.regression(e.t, e.node, e.ev, e.msg, e.from, e.before, e.after, e);
        if (e.dg === 'chat') this.reached(e.msg, e.node);
        return;
      case 'send':
        this.regression(e.t, e.node, e.ev, e.msg, '', e.before, e.after, e);
        return;
      case 'receiver_died':
        this.dead.add(e.node);
        this.setLast(e.node, e.after);
        if (e.dg === 'chat') this.reached(e.msg, e.node);
        this.found.push({ kind: 'receiver_died', t: e.t, node: e.node, peer: e.from, ev: e.ev, msg: e.msg, cause: `${e.cause}: ${e.detail} (${e.dg} message ${e.msg} from ${e.from})` });
        return;
      case 'ignored':
        if (e.dg === 'chat') this.reached(e.msg, e.node);
        return;
      case 'drop':
        if (e.dg !== 'chat' || e.from === e.to) return;
        if (e.outcome === 'dropped') {
          const k = this.key(e.msg, e.to);
          if (!this.lost.has(k)) this.markLost(k, { t: e.sent, from: e.from, to: e.to, msg: e.msg });
        } else {
          // Partitioned or refused by a dead receiver: not a live, reachable node for it.
          this.markLost(this.key(e.msg, e.to), { t: -1, from: e.from, to: e.to, msg: e.msg });
        }
        return;
      case 'fault':
        this.nodeFault(e);
        if (e.phase === 'start') {
          const g = new Map<string, number>();
          e.groups.forEach((group, gi) => group.forEach((n) => g.set(n, gi)));
          this.active.set(e.id, g);
        } else {
          this.active.delete(e.id);
        }
        return;
      case 'end':
        this.finish(e.t);
        return;
    }
  }

  /** A crash takes its nodes down until its end (a restart); a leave for good. */
  private nodeFault(e: Extract<TraceEvent, { type: 'fault' }>): void {
    if (e.kind !== 'crash' && e.kind !== 'leave') return;
    for (const n of e.nodes ?? []) {
      if (e.phase === 'start') this.down.set(n, e.id);
      else if (this.down.get(n) === e.id) this.down.delete(n);
    }
  }

  /**
   * A chat receive by index (the counting path: see TraceConsumer.countReceive), as `event`
   * takes a `receive` event. No clock is recorded on this path, so its before and after are
   * the same live view (or, for lamport, a count that only goes up): no regression to look for.
   */
  countReceive(_t: number, node: number, from: number, msg: number, _copy: number, after: AnyClock): void {
    const nodes = this.nodes;
    if (nodes.length <= MAX_MEMBERSHIP_NODES) {
      let bits = this.learnedIdx[node];
      if (bits === undefined) this.learnedIdx[node] = bits = new Uint8Array(nodes.length);
      bits[from] = 1;
    }
    this.lastIdx[node] = after;
    if (this.lost.size === 0) return;
    const k = msg * (nodes.length + 1) + node;
    if ((this.lostBits[(k >>> 3) & LOST_BITS_MASK] & (1 << (k & 7))) === 0) return;
    const l = this.lost.get(k);
    if (l !== undefined && l.t >= 0) this.lost.delete(k);
  }

  /** Keeps a lost copy; a numeric key also sets its bit in the filter. */
  private markLost(k: number | string, l: Lost): void {
    this.lost.set(k, l);
    if (typeof k === 'number') this.lostBits[(k >>> 3) & LOST_BITS_MASK] |= 1 << (k & 7);
  }

  private setLast(node: string, c: AnyClock): void {
    const i = this.index.get(node);
    if (i === undefined) this.lastClock.set(node, c);
    else this.lastIdx[i] = c;
  }

  private learn(node: string, peer: string): void {
    // Only the end-of-run membership check reads what was learned, and it is skipped past
    // MAX_MEMBERSHIP_NODES header nodes (the count of joined nodes cannot be higher).
    if (this.nodes.length > MAX_MEMBERSHIP_NODES) return;
    const a = this.index.get(node);
    const b = this.index.get(peer);
    if (a !== undefined && b !== undefined) {
      let bits = this.learnedIdx[a];
      if (bits === undefined) this.learnedIdx[a] = bits = new Uint8Array(this.nodes.length);
      bits[b] = 1;
      return;
    }
    let s = this.learned.get(node);
    if (s === undefined) this.learned.set(node, (s = new Set()));
    s.add(peer);
  }

  private reached(msg: number, node: string): void {
    if (this.lost.size === 0) return;
    const k = this.key(msg, node);
    if (typeof k === 'number' && (this.lostBits[(k >>> 3) & LOST_BITS_MASK] & (1 << (k & 7))) === 0) return;
    const l = this.lost.get(k);
    if (l !== undefined && l.t >= 0) this.lost.delete(k);
  }

  /** `e` names what happened, in words only when an entry went down (not per delivery). */
  private regression(t: number, node: string, ev: number, msg: number, peer: string, before: AnyClock, after: AnyClock, e: Extract<TraceEvent, { type: 'join_seen' | 'reply_seen' | 'receive' | 'send' }>): void {
    this.setLast(node, after);
    if (before === after) return;
    // Interval tree clocks: the view is a serialized event tree, not entries by name.
    const went = this.itc ? itcWentDown(before, after) : wentDown(before, after);
    if (went.length === 0) return;
    const on = e.type === 'send' ? `send of message ${e.msg}` : e.type === 'join_seen' ? `join announcement from ${e.from}` : e.type === 'reply_seen' ? `join reply from ${e.from}` : `message ${e.msg} from ${e.from}`;
    this.found.push({ kind: 'clock_regression', t, node, peer, ev, msg, cause: `${went.join(', ')} on ${on}` });
  }

  private finish(end: number): void {
    for (const l of this.lost.values()) {
      if (l.t < 0) continue;
      this.found.push({ kind: 'undelivered', t: l.t, node: l.to, peer: l.from, ev: null, msg: l.msg, cause: `message ${l.msg} from ${l.from}: every copy lost by the network` });
    }
    this.lost.clear();
    const joined = this.nodes.filter((n) => this.joined.has(n) && !this.down.has(n));
    if (joined.length > MAX_MEMBERSHIP_NODES) {
      this.notes.push(`membership divergence not checked: ${joined.length} nodes (limit ${MAX_MEMBERSHIP_NODES})`);
    } else {
      const parts = [...this.active.values()];
      for (const a of joined) {
        if (this.dead.has(a)) continue;
        const knows = this.members(a);
        for (const b of joined) {
          if (b === a || knows.has(b)) continue;
          if (parts.some((g) => g.get(a) !== g.get(b))) continue;
          this.found.push({ kind: 'membership_divergence', t: end, node: a, peer: b, ev: null, msg: null, cause: `${a} never learned of ${b}, though both are up and reachable` });
        }
      }
    }
    const order = new Map<string, number>(ANOMALY_KINDS.map((k, i) => [k, i]));
    this.result = this.found.slice().sort((x, y) => x.t - y.t || order.get(x.kind)! - order.get(y.kind)! || (x.msg ?? -1) - (y.msg ?? -1) || cmp(x.node, y.node) || cmp(x.peer, y.peer));
  }

  private members(node: string): Set<string> {
    if (this.staticMembership) return new Set(this.nodes);
    const s = new Set<string>([node, ...(this.learned.get(node) ?? [])]);
    const a = this.index.get(node);
    const bits = a === undefined ? undefined : this.learnedIdx[a];
    if (bits !== undefined) for (let b = 0; b < bits.length; b++) if (bits[b] === 1) s.add(this.nodes[b]);
    const c = a === undefined ? this.lastClock.get(node) : this.lastIdx[a];
    if (c !== undefined && typeof c !== 'number') for (const [k] of entries(c)) s.add(k);
    return s;
  }

  /** The key of a (message, receiver) pair: numeric for header nodes (no string per call). */
  private key(msg: number, node: string): number | string {
    const i = this.index.get(node);
    return i === undefined ? `${msg}\u0000${node}` : msg * (this.nodes.length + 1) + i;
  }

  /** Every anomaly, sorted by time, kind, message, node, peer (after the end event). */
  get anomalies(): readonly Anomaly[] {
    if (this.result === null) throw new Error('bug: anomalies read before the end of the trace');
    return this.result;
  }

  /** Counts per kind, every kind present. */
  counts(): Record<AnomalyKind, number> {
    const c = Object.fromEntries(ANOMALY_KINDS.map((k) => [k, 0])) as Record<AnomalyKind, number>;
    for (const a of this.anomalies) c[a.kind]++;
    return c;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The entries of a clock as [name, value]; a Lamport clock is one entry named ''. */
export function entries(c: AnyClock): [string, number][] {
  if (typeof c === 'number') return [['', c]];
  const o = c as { names?: unknown; values?: unknown };
  if (Array.isArray(o.names) && Array.isArray(o.values)) {
    const names = o.names as string[];
    return (o.values as number[]).map((v, i) => [names[i], v]);
  }
  return Object.entries(c as Record<string, number>);
}

const NONE: string[] = [];

/** Descriptions of the entries that went down from `before` to `after`. */
function wentDown(before: AnyClock, after: AnyClock): string[] {
  if (typeof before === 'number' || typeof after === 'number') {
    const b = Number(before), a = Number(after);
    return a < b ? [`clock went down from ${b} to ${a}`] : [];
  }
  const b = before as { names?: unknown; values?: unknown };
  const a = after as { names?: unknown; values?: unknown };
  if (Array.isArray(b.names) && b.names === a.names && Array.isArray(b.values) && Array.isArray(a.values)) {
    // One node's snapshots share its append-only list of distinct names: compare by slot.
    const names = b.names as string[];
    const bv = b.values as number[];
    const av = a.values as number[];
    let out: string[] | null = null;
    for (let i = 0; i < bv.length; i++) {
      const v = bv[i];
      const w = i < av.length ? av[i] : 0;
      if (w < v) (out ??= []).push(`entry ${JSON.stringify(names[i])} went down from ${v} to ${w}`);
    }
    return out ?? NONE;
  }
  const now = new Map(entries(after));
  const out: string[] = [];
  for (const [k, v] of entries(before)) {
    const w = now.get(k) ?? 0;
    if (w < v) out.push(`entry ${JSON.stringify(k)} went down from ${v} to ${w}`);
  }
  return out;
}

function itcWentDown(before: AnyClock, after: AnyClock): string[] {
  const dims = new ClockDims();
  return leqSerialized(dims.dense(before), dims.dense(after)) ? [] : ['the event tree went down'];
}

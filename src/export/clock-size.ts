// Clock size on the wire: how many entries each chat message's attached clock carries,
// derived from the trace alone (no clock snapshots needed, so it costs nothing when the
// run does not record clocks). A node's clock holds itself from its (re)join, every peer
// whose announcement or reply it took, and, under rules that adopt unknown keys, every key
// of a chat clock it merged. A Lamport clock is one integer: one entry per message; a
// plausible or Bloom stamp carries its R or m counters, an HLC stamp 2 numbers. A
// differential clock is counted whole here (what the node holds, not the changed entries it
// carries: the bytes figures say what went on the wire).

import { parseClockRule } from '../core/rules.js';
import type { TraceConsumer } from '../trace/bus.js';
import type { TraceEvent, TraceHeader } from '../trace/events.js';

export interface ClockEntries {
  /** Entries summed over all chat messages sent. */
  total: number;
  /** Mean entries per chat message (0 when none was sent). */
  per_message: number;
  /** The largest clock any chat message carried. */
  max: number;
}

/** A node's known names, in insertion order, and as a set. */
interface Known {
  list: string[];
  set: Set<string>;
  /** How much of each sender list it merged is already in `set` (by list object). */
  done?: Map<readonly string[], number>;
}

export class ClockSizeConsumer implements TraceConsumer {
  readonly report: ClockEntries = { total: 0, per_message: 0, max: 0 };
  /** Hears each chat message's entries (the report bins them over time; src/export/overview.ts). */
  onSend: ((t: number, entries: number) => void) | null = null;
  private scalar = false;
  private adopts = false;
  private nodes = 0;
  private names: readonly string[] = [];
  private sends = 0;
  /** Each node's known names, in insertion order (a fresh list at every (re)join). */
  private readonly known = new Map<string, Known>();
  /** The same for the header's nodes, by index (the counting path); header name -> index. */
  private byIdx: (Known | undefined)[] = [];
  private readonly index = new Map<string, number>();
  /** The sender's list and its length at each chat message, for adopting rules. */
  private readonly attached = new Map<number, { list: string[]; len: number }>();

  /** Stamp rules: the fixed number of values every stamp carries (0: a vector rule). */
  private fixed = 0;

  header(h: TraceHeader): void {
    const p = parseClockRule(h.clock);
    this.fixed = p === null ? 0 : p.kind === 'plausible' ? p.entries : p.kind === 'bloom' ? p.cells : p.kind === 'hlc' ? 2 : 0;
    this.scalar = h.clock === 'lamport' || this.fixed > 0;
    this.adopts = h.clock !== 'seed';
    this.nodes = h.nodes.length;
    this.names = h.nodes;
    this.byIdx = new Array<Known | undefined>(h.nodes.length);
    this.index.clear();
    h.nodes.forEach((n, i) => { if (!this.index.has(n)) this.index.set(n, i); });
  }

  /** A chat receive by index (the counting path: see TraceConsumer.countReceive). */
  countReceive(node: number, msg: number): void {
    if (!this.adopts || this.scalar) return;
    const k = this.byIdx[node];
    if (k !== undefined && k.set.size >= this.nodes) return; // knows every name already
    this.merged(this.names[node], msg);
  }

  event(e: TraceEvent): void {
    switch (e.type) {
      case 'join':
        this.setKnown(e.node, { list: [e.node], set: new Set([e.node]) });
        return;
      case 'join_seen':
      case 'reply_seen':
        this.add(e.node, e.from);
        return;
      case 'send': {
        const k = this.view(e.node);
        const n = this.fixed > 0 ? this.fixed : this.scalar ? 1 : k.list.length;
        this.report.total += n;
        if (n > this.report.max) this.report.max = n;
        this.sends++;
        if (this.onSend !== null) this.onSend(e.t, n);
        if (this.adopts && !this.scalar) this.attached.set(e.msg, { list: k.list, len: n });
        return;
      }
      case 'receive': {
        if (!this.adopts || this.scalar || e.dg !== 'chat') return;
        this.merged(e.node, e.msg);
        return;
      }
      case 'end':
        this.report.per_message = this.sends === 0 ? 0 : Math.round((this.report.total / this.sends) * 1e6) / 1e6;
        this.attached.clear();
        return;
      default:
        return;
    }
  }

  /** Node `node` merged the clock of chat message `msg`: it now knows that clock's names. */
  private merged(node: string, msg: number): void {
    const k = this.view(node);
    const a = this.attached.get(msg);
    if (a === undefined || k.set.size >= this.nodes) return;
    // Lists only grow (a rejoin starts a new one), so the part of `a.list` this node merged
    // before is in its set already: start after it.
    const done = (k.done ??= new Map()).get(a.list) ?? 0;
    if (done >= a.len) return;
    const { list, set } = k;
    for (let i = done; i < a.len; i++) {
      const name = a.list[i];
      if (set.has(name)) continue;
      set.add(name);
      list.push(name);
    }
    k.done.set(a.list, a.len);
  }

  private setKnown(node: string, k: Known): void {
    this.known.set(node, k);
    const i = this.index.get(node);
    if (i !== undefined) this.byIdx[i] = k;
  }

  private view(node: string): Known {
    let k = this.known.get(node);
    if (k === undefined) {
      k = { list: [node], set: new Set([node]) };
      this.setKnown(node, k);
    }
    return k;
  }

  private add(node: string, name: string): void {
    const k = this.view(node);
    if (k.set.has(name)) return;
    k.set.add(name);
    k.list.push(name);
  }
}

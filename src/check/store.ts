// The checker's kept events, compact: per event a few numbers in growable typed arrays, and
// its clock under test and true timestamp appended to two pools of large chunks, instead of
// an object and two small typed arrays per event (each with its own backing store). At the
// headline's size (30,000 events, 50 nodes) that is 18 MB of numbers in a handful of
// buffers where it was 60,000 typed arrays and 32 MB of heap. The CausalEvent objects the
// verdicts read are made when asked (events()), as views into the pools, and dropped after.

import type { CausalEvent } from './verdicts.js';

/** Numbers per chunk of a pool (a chunk is never copied; an array that does not fit starts the next). */
const CHUNK = 1 << 18;
/** A place in a pool: chunk * SPAN + offset (a chunk larger than CHUNK holds one wide array). */
const SPAN = 2 ** 32;

/** Appends arrays of numbers to chunks of one typed array type; hands back views. */
class Pool<T extends Float64Array | Int32Array> {
  private readonly chunks: T[] = [];
  private used = 0;

  constructor(private readonly make: (n: number) => T) {}

  /** Appends `values`; returns where: chunk * SPAN + offset. */
  push(values: ArrayLike<number>): number {
    const n = values.length;
    if (this.chunks.length === 0 || this.used + n > this.chunks[this.chunks.length - 1].length) {
      this.chunks.push(this.make(Math.max(CHUNK, n)));
      this.used = 0;
    }
    const c = this.chunks.length - 1;
    this.chunks[c].set(values, this.used);
    const at = c * SPAN + this.used;
    this.used += n;
    return at;
  }

  view(at: number, n: number): T {
    const c = Math.floor(at / SPAN), o = at - c * SPAN;
    return this.chunks[c].subarray(o, o + n) as T;
  }
}

/** A growable column of numbers. */
class Column<T extends Float64Array | Int32Array> {
  data: T;
  constructor(private readonly make: (n: number) => T) {
    this.data = make(1024);
  }

  set(i: number, v: number): void {
    if (i >= this.data.length) {
      const d = this.make(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[i] = v;
  }
}

const f64 = (n: number): Float64Array => new Float64Array(n);
const i32 = (n: number): Int32Array => new Int32Array(n);

export class EventStore {
  private n = 0;
  private readonly ev = new Column(f64);
  private readonly t = new Column(f64);
  private readonly node = new Column(i32);
  /** 1: send, 0: receive. */
  private readonly send = new Column(i32);
  private readonly msg = new Column(f64);
  private readonly clockAt = new Column(f64);
  private readonly clockLen = new Column(i32);
  private readonly vtAt = new Column(f64);
  private readonly vtLen = new Column(i32);
  private readonly clocks = new Pool(f64);
  private readonly vts = new Pool(i32);

  get length(): number {
    return this.n;
  }

  /** Keeps an event; returns it as the verdicts read it (its clocks views into the pools). */
  push(ev: number, t: number, node: number, kind: 'send' | 'receive', msg: number, clock: ArrayLike<number>, vt: ArrayLike<number>): CausalEvent {
    const i = this.n++;
    this.ev.set(i, ev);
    this.t.set(i, t);
    this.node.set(i, node);
    this.send.set(i, kind === 'send' ? 1 : 0);
    this.msg.set(i, msg);
    this.clockAt.set(i, this.clocks.push(clock));
    this.clockLen.set(i, clock.length);
    this.vtAt.set(i, this.vts.push(vt));
    this.vtLen.set(i, vt.length);
    return this.event(i);
  }

  private event(i: number): CausalEvent {
    const send = this.send.data[i] === 1;
    return {
      ev: this.ev.data[i], t: this.t.data[i], node: this.node.data[i], kind: send ? 'send' : 'receive', msg: this.msg.data[i],
      clock: this.clocks.view(this.clockAt.data[i], this.clockLen.data[i]),
      vt: this.vts.view(this.vtAt.data[i], this.vtLen.data[i]),
    };
  }

  /** The events in order (`sendsOnly`: the sends), as objects whose clocks are views into the pools. */
  events(sendsOnly: boolean): CausalEvent[] {
    const out: CausalEvent[] = [];
    for (let i = 0; i < this.n; i++) if (!sendsOnly || this.send.data[i] === 1) out.push(this.event(i));
    return out;
  }

  /** Events in scope: all, or the sends only. */
  count(sendsOnly: boolean): number {
    if (!sendsOnly) return this.n;
    let c = 0;
    for (let i = 0; i < this.n; i++) c += this.send.data[i];
    return c;
  }
}

// The datagrams in flight, in a table by slot: each broadcast's Datagram, message id,
// sender, send time and kind, held once and shared by every copy of it in the event queue
// (which carries only the slot). A slot counts the copies that still refer to it and is
// reused once the last of them has landed or been dropped, so the table stays as small as
// the number of broadcasts in flight.

import type { Datagram } from '../core/wire.js';
import type { DatagramKind } from '../trace/events.js';
import { grownFloat64, grownInt32 } from './queue.js';

export class DatagramTable {
  private dgs: (Datagram | null)[] = [];
  private kinds: DatagramKind[] = [];
  /** Message ids (< 2^31: read back as small integers, cheap keys for the consumers' maps). */
  msg = new Int32Array(256);
  from = new Int32Array(256);
  sent = new Float64Array(256);
  private refs = new Int32Array(256);
  private readonly free: number[] = [];
  private used = 0;

  /** Keeps a broadcast; its slot has no references yet (see `ref`). */
  add(dg: Datagram, msg: number, from: number, sent: number, kind: DatagramKind): number {
    let s = this.free.pop();
    if (s === undefined) {
      s = this.used++;
      if (s === this.msg.length) this.grow();
    }
    this.dgs[s] = dg;
    this.kinds[s] = kind;
    this.msg[s] = msg;
    this.from[s] = from;
    this.sent[s] = sent;
    this.refs[s] = 0;
    return s;
  }

  dg(s: number): Datagram {
    return this.dgs[s]!;
  }

  kind(s: number): DatagramKind {
    return this.kinds[s];
  }

  /** One more copy refers to slot s. */
  ref(s: number): void {
    this.refs[s]++;
  }

  /** A copy of slot s is done with (landed or dropped); the last one frees it. */
  unref(s: number): void {
    if (--this.refs[s] <= 0) this.release(s);
  }

  /** Frees slot s if no copy refers to it (a broadcast all of whose copies were dropped at once). */
  releaseIfUnused(s: number): void {
    if (this.refs[s] <= 0) this.release(s);
  }

  private release(s: number): void {
    this.dgs[s] = null;
    this.free.push(s);
  }

  private grow(): void {
    const cap = this.msg.length * 2;
    this.msg = grownInt32(this.msg, cap);
    this.sent = grownFloat64(this.sent, cap);
    this.from = grownInt32(this.from, cap);
    this.refs = grownInt32(this.refs, cap);
  }
}

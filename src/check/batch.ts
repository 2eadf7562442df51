// The checker's events as a worker thread receives them: records of numbers appended to a
// Float64Array, handed over (transferred, not copied) a batch at a time. A record is
// [ev, t, node, kind (1 send, 0 receive), msg, group, clock length, vt length, clock..., vt...].
// Both sides live here so that the layout is written once.

import type { Dense } from './clocks.js';
import type { CausalEvent } from './verdicts.js';

/** Numbers per batch before it is sent (about 1 MB). */
export const BATCH_NUMBERS = 1 << 17;

export class BatchWriter {
  private buf = new Float64Array(BATCH_NUMBERS);
  private used = 0;

  get empty(): boolean {
    return this.used === 0;
  }

  /** Appends one event; false if the batch is full (take() it, then add again). */
  add(e: CausalEvent, group: number): boolean {
    const c: Dense = e.clock, v = e.vt;
    const n = 8 + c.length + v.length;
    if (this.used + n > this.buf.length) {
      if (this.used > 0) return false;
      this.buf = new Float64Array(n);
    }
    const b = this.buf;
    let i = this.used;
    b[i++] = e.ev; b[i++] = e.t; b[i++] = e.node; b[i++] = e.kind === 'send' ? 1 : 0; b[i++] = e.msg; b[i++] = group;
    b[i++] = c.length; b[i++] = v.length;
    b.set(c, i);
    i += c.length;
    for (let k = 0; k < v.length; k++) b[i + k] = v[k];
    this.used = i + v.length;
    return true;
  }

  /** The batch so far (its own buffer), and a fresh one started. */
  take(): Float64Array {
    const out = this.buf.subarray(0, this.used);
    this.buf = new Float64Array(BATCH_NUMBERS);
    this.used = 0;
    return out;
  }
}

export interface BatchRecord {
  readonly ev: number;
  readonly t: number;
  readonly node: number;
  readonly kind: 'send' | 'receive';
  readonly msg: number;
  readonly group: number;
  /** Views into the batch (copy them to keep them). */
  readonly clock: Float64Array;
  readonly vt: Float64Array;
}

/** Reads a batch's records back, in order. */
export function* readBatch(b: Float64Array): Generator<BatchRecord> {
  let i = 0;
  while (i < b.length) {
    const cl = b[i + 6], vl = b[i + 7];
    const clock = b.subarray(i + 8, i + 8 + cl);
    const vt = b.subarray(i + 8 + cl, i + 8 + cl + vl);
    yield { ev: b[i], t: b[i + 1], node: b[i + 2], kind: b[i + 3] === 1 ? 'send' : 'receive', msg: b[i + 4], group: b[i + 5], clock, vt };
    i += 8 + cl + vl;
  }
}

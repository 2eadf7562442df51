// The simulator's event queue: a binary min-heap ordered by (time, seq), where seq is the
// insertion order, so that events at equal times run in the order they were scheduled.
// This total order is what makes a run deterministic; nothing else may break ties.

/**
 * The queue holds no object per entry: a binary min-heap over parallel typed arrays (time,
 * seq, node, and two integers the driver gives meaning to), ordered by (time, seq), seq
 * being the insertion order. `pop` copies the earliest
 * entry into the `time`, `node`, `a` and `b` fields and removes it.
 */
export class TypedEventQueue {
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private nodes = new Int32Array(1024);
  private as = new Int32Array(1024);
  private bs = new Int32Array(1024);
  private n = 0;
  private nextSeq = 0;
  /** The last popped entry. */
  time = 0;
  node = 0;
  a = 0;
  b = 0;

  get size(): number {
    return this.n;
  }

  push(time: number, node: number, a: number, b: number): void {
    if (this.n === this.times.length) this.grow();
    const seq = this.nextSeq++;
    const times = this.times;
    const seqs = this.seqs;
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p];
      if (pt < time || (pt === time && seqs[p] < seq)) break;
      this.move(p, i);
      i = p;
    }
    times[i] = time;
    seqs[i] = seq;
    this.nodes[i] = node;
    this.as[i] = a;
    this.bs[i] = b;
  }

  /** Removes the earliest entry into time/node/a/b; false when the queue is empty. */
  pop(): boolean {
    if (this.n === 0) return false;
    const times = this.times;
    const seqs = this.seqs;
    this.time = times[0];
    this.node = this.nodes[0];
    this.a = this.as[0];
    this.b = this.bs[0];
    const last = --this.n;
    if (last === 0) return true;
    const lt = times[last];
    const ls = seqs[last];
    const n = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && (times[r] < times[l] || (times[r] === times[l] && seqs[r] < seqs[l]))) c = r;
      if (lt < times[c] || (lt === times[c] && ls < seqs[c])) break;
      this.move(c, i);
      i = c;
    }
    this.move(last, i);
    return true;
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from];
    this.seqs[to] = this.seqs[from];
    this.nodes[to] = this.nodes[from];
    this.as[to] = this.as[from];
    this.bs[to] = this.bs[from];
  }

  private grow(): void {
    const cap = this.times.length * 2;
    this.times = grownFloat64(this.times, cap);
    this.seqs = grownFloat64(this.seqs, cap);
    this.nodes = grownInt32(this.nodes, cap);
    this.as = grownInt32(this.as, cap);
    this.bs = grownInt32(this.bs, cap);
  }
}

/** A copy of `x` with room for `cap` entries. */
export function grownFloat64(x: Float64Array, cap: number): Float64Array<ArrayBuffer> {
  const y = new Float64Array(cap);
  y.set(x);
  return y;
}

export function grownInt32(x: Int32Array, cap: number): Int32Array<ArrayBuffer> {
  const y = new Int32Array(cap);
  y.set(x);
  return y;
}

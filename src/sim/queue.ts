// The simulator's event queue: a binary min-heap ordered by (time, seq), where seq is the
// insertion order, so that events at equal times run in the order they were scheduled.
// This total order is what makes a run deterministic; nothing else may break ties.

export interface Scheduled {
  time: number;
  seq: number;
}

export class EventQueue<T extends Scheduled> {
  private readonly heap: T[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Schedules `item` at `item.time`; assigns its seq. */
  push(item: T): void {
    item.seq = this.nextSeq++;
    const h = this.heap;
    let i = h.length;
    h.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = h[parent];
      if (p.time < item.time || (p.time === item.time && p.seq < item.seq)) break;
      h[i] = p;
      i = parent;
    }
    h[i] = item;
  }

  peekTime(): number {
    return this.heap.length > 0 ? this.heap[0].time : Infinity;
  }

  /** Removes and returns the earliest item (smallest time, then smallest seq). */
  pop(): T | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length === 0 || last === undefined) return top;
    const n = h.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && (h[r].time < h[l].time || (h[r].time === h[l].time && h[r].seq < h[l].seq))) c = r;
      const child = h[c];
      if (last.time < child.time || (last.time === child.time && last.seq < child.seq)) break;
      h[i] = child;
      i = c;
    }
    h[i] = last;
    return top;
  }
}

// The truth: Lamport's happened-before relation of a run, computed from the run itself and
// never from the clocks under test. It ranges over the causal events of the chat: sends,
// receives, and the fatal receive of a chat datagram that killed a seed receiver (the node
// did read that datagram, so it is causally after its send; the event itself is an anomaly
// and stays out of the verdicts' scope). Handshake datagrams carry no clock and stay outside.
//
// Theory of operation: true vector timestamps over node slots (the index of a node in the
// trace header's `nodes`). Every causal event increments its node's own slot; a receive
// first takes the elementwise max with the timestamp of the send with the same `msg`
// (duplicates link to the same send). Then for distinct events a and b:
//   a happened before b  <=>  VT(a)[node(a)] <= VT(b)[node(a)]
// one comparison. Memory: one vector per node (the running timestamp) plus one per send.

export type TrueRelation = 'before' | 'after' | 'concurrent';

export class Truth {
  private readonly index = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly current: Int32Array[] = [];
  private readonly sends = new Map<number, Int32Array>();

  /**
   * `foreign`: a receive of a message with no send in the trace is a datagram from outside
   * the run (a live run's socket hears anyone on the port): it has no causal past. In a
   * simulated run that cannot happen, and it is a bug.
   */
  constructor(nodes: readonly string[], private readonly foreign = false) {
    for (const n of nodes) this.slot(n);
  }

  /** Number of node slots (header nodes, plus any unknown node that shows up). */
  get size(): number {
    return this.names.length;
  }

  get cells(): number {
    return (this.names.length + this.sends.size) * this.names.length;
  }

  nameOf(slot: number): string {
    return this.names[slot];
  }

  slot(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.index.set(name, i);
      this.names.push(name);
      this.current.push(new Int32Array(0));
    }
    return i;
  }

  private advance(i: number, merge: Int32Array | null): Int32Array {
    const n = this.names.length;
    let v = this.current[i];
    if (v.length < n) {
      const w = new Int32Array(n);
      w.set(v);
      v = w;
    }
    if (merge !== null) for (let k = 0; k < merge.length; k++) if (merge[k] > v[k]) v[k] = merge[k];
    v[i]++;
    this.current[i] = v;
    return v.slice();
  }

  /** A chat send by `node` as message `msg`: its true timestamp (a fresh copy). */
  send(node: string, msg: number): Int32Array {
    const vt = this.advance(this.slot(node), null);
    this.sends.set(msg, vt);
    return vt;
  }

  /** A receive (or fatal receive) of chat message `msg` at `node`: its true timestamp. */
  receive(node: string, msg: number): Int32Array {
    const sent = this.sends.get(msg);
    if (sent === undefined) {
      if (this.foreign) return this.advance(this.slot(node), null);
      throw new Error(`bug: receive of message ${msg} at ${node} before its send`);
    }
    return this.advance(this.slot(node), sent);
  }

  /** Drops the per-send timestamps (when the checker gives up to save memory). */
  clear(): void {
    this.sends.clear();
    this.current.fill(new Int32Array(0));
  }
}

/** Did a happen before b, b before a, or neither? (a and b distinct events.) */
export function trueRelation(aNode: number, aVt: Int32Array, bNode: number, bVt: Int32Array): TrueRelation {
  if ((aVt[aNode] ?? 0) <= (bVt[aNode] ?? 0)) return 'before';
  if ((bVt[bNode] ?? 0) <= (aVt[bNode] ?? 0)) return 'after';
  return 'concurrent';
}

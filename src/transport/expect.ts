// Which broadcasts each live receiver is owed. One broadcast reaches every socket on the
// port, so the driver records, per receiver, the broadcasts it should see (by their exact
// bytes, first sent first matched) and matches each arrival to one. What a receiver is not
// owed (its own copy without deliver_to_self, a broadcast sent while it was down or not yet
// joined) is recognised as this run's and ignored; what matches nothing the run sent came
// from another program on the port.

import type { DatagramKind } from '../trace/events.js';

/** One broadcast a receiver is owed: its message id, sender, wall send time and kind. */
export interface Expect {
  readonly msg: number;
  readonly from: number;
  readonly sent: number;
  readonly dg: DatagramKind;
}

/** match(): an arrival that is this run's but not owed to the receiver. */
export const NOT_OWED = null;

export class Expectations {
  private readonly owed: Map<string, Expect[]>[];
  /** The bytes of every broadcast of the run (to tell its own datagrams from foreign ones). */
  private readonly sentKeys = new Set<string>();

  constructor(n: number) {
    this.owed = Array.from({ length: n }, () => new Map<string, Expect[]>());
  }

  /** A broadcast with these bytes left a socket of the run. */
  sent(key: string): void {
    this.sentKeys.add(key);
  }

  /** Receiver `to` is owed the broadcast `e` (bytes `key`). */
  owe(to: number, key: string, e: Expect): void {
    const m = this.owed[to];
    const list = m.get(key);
    if (list === undefined) m.set(key, [e]);
    else list.push(e);
  }

  /**
   * The broadcast an arrival at `to` is (the first owed one with these bytes), NOT_OWED if
   * the run sent it but `to` is not owed it, or undefined: foreign.
   */
  match(to: number, key: string): Expect | typeof NOT_OWED | undefined {
    const m = this.owed[to];
    const list = m.get(key);
    if (list === undefined) return this.sentKeys.has(key) ? NOT_OWED : undefined;
    const e = list.shift()!;
    if (list.length === 0) m.delete(key);
    return e;
  }

  /** Everything `to` is still owed, in message order, forgotten (its socket closed). */
  take(to: number): Expect[] {
    const out: Expect[] = [];
    for (const list of this.owed[to].values()) out.push(...list);
    this.owed[to].clear();
    return out.sort((a, b) => a.msg - b.msg);
  }

  /** How many arrivals are still owed, over all receivers. */
  count(): number {
    let k = 0;
    for (const m of this.owed) for (const list of m.values()) k += list.length;
    return k;
  }
}

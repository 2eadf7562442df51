// A node's clock in memory: an insertion-ordered map from node name to integer, and its
// snapshots. Owns nothing else: which entries change when is src/core/node.ts's business.

/**
 * An immutable view of a clock at one event. Vector clocks share the node's append-only
 * name list (only the first `values.length` names belong to the snapshot); a scalar
 * (Lamport) clock is a bare number.
 */
export type ClockSnapshot = VectorSnapshot | number;

export interface VectorSnapshot {
  readonly names: readonly string[];
  readonly values: readonly number[];
  /** Memoized JSON text (filled by snapshotJson). */
  json?: string;
  /**
   * A live view of a node's clock rather than a copy: given in events when no consumer
   * records clocks, so that one which only needs the final clock (convergence) still has it.
   */
  readonly live?: boolean;
}

/**
 * Names interned as small integers, shared by every node of one driver so that a datagram's
 * attached clock is resolved to ids once and merged by array lookups at each receiver.
 */
export class NameTable {
  private readonly ids = new Map<string, number>();
  readonly names: string[] = [];

  /** Interned ids of a whole list, memoized per list object (static membership's preload). */
  private readonly listIds = new WeakMap<readonly string[], Int32Array>();

  idsOf(names: readonly string[]): Int32Array {
    let ids = this.listIds.get(names);
    if (ids === undefined) {
      ids = new Int32Array(names.length);
      for (let i = 0; i < names.length; i++) ids[i] = this.id(names[i]);
      this.listIds.set(names, ids);
    }
    return ids;
  }

  /** Positions of a list's names by interned id (-1: not in it), memoized per list; null if a name repeats. */
  private readonly listPositions = new WeakMap<readonly string[], Int32Array | null>();

  positionsOf(names: readonly string[]): Int32Array | null {
    let pos = this.listPositions.get(names);
    if (pos === undefined) {
      const ids = this.idsOf(names);
      pos = new Int32Array(this.names.length).fill(-1);
      for (let i = 0; i < ids.length && pos !== null; i++) {
        if (pos[ids[i]] >= 0) pos = null;
        else pos[ids[i]] = i;
      }
      this.listPositions.set(names, pos);
    }
    return pos;
  }

  id(name: string): number {
    let i = this.ids.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.ids.set(name, i);
      this.names.push(name);
    }
    return i;
  }
}

export class VectorClock {
  /** Names in insertion order. Append-only: snapshots share it. */
  private readonly nameList: string[] = [];
  private readonly values: number[] = [];
  /**
   * Static membership, not yet written out: the clock is its own entry, then every other
   * name of `shared` in order, all at 0, held as the run's one shared list and the table's
   * positions in it (no per-node copy). Any change, or a read of the names or values as
   * arrays, writes the clock out (`materialize`); membership questions do not.
   */
  private shared: { readonly list: readonly string[]; readonly pos: Int32Array; readonly own: number; readonly ownId: number } | null = null;
  /**
   * slotOf[name id] = slot, or -1 for a name this clock has no entry for (ids past the end:
   * none either). Dense and typed: a plain array written at a high id first (a node's own
   * name) turns into a slow dictionary.
   */
  private slotOf = new Int32Array(0);
  /** The last snapshot taken, reused until the clock changes. */
  private last: VectorSnapshot | null = null;
  /** The clock itself as a snapshot-shaped view: it changes as the clock does. */
  private readonly live: VectorSnapshot = { names: this.nameList, values: this.values, live: true };

  constructor(own: string, readonly table: NameTable = new NameTable()) {
    this.add(own, 0);
  }

  /** The clock itself as a snapshot-shaped view: it changes as the clock does. */
  get liveView(): VectorSnapshot {
    if (this.shared !== null) this.materialize();
    return this.live;
  }

  /** Names in insertion order (append-only: snapshots share the list). */
  get names(): readonly string[] {
    if (this.shared !== null) this.materialize();
    return this.nameList;
  }

  get size(): number {
    return this.shared !== null ? this.shared.list.length : this.values.length;
  }

  /** The values in slot order (read-only view; change them with `set`). */
  get view(): readonly number[] {
    if (this.shared !== null) this.materialize();
    return this.values;
  }

  has(name: string): boolean {
    return this.slotById(this.table.id(name)) >= 0;
  }

  slot(name: string): number {
    return this.slotById(this.table.id(name));
  }

  /** The slot of an interned name id, or -1. */
  slotById(id: number): number {
    const sh = this.shared;
    if (sh !== null) {
      if (id === sh.ownId) return 0;
      const p = id < sh.pos.length ? sh.pos[id] : -1;
      return p < 0 ? -1 : p < sh.own ? p + 1 : p;
    }
    return id < this.slotOf.length ? this.slotOf[id] : -1;
  }

  /** Adds a missing entry at the end (Python dict insertion). Returns its slot. */
  add(name: string, value: number): number {
    if (this.shared !== null) this.materialize();
    const slot = this.values.length;
    const id = this.table.id(name);
    if (id >= this.slotOf.length) this.grow(id);
    this.slotOf[id] = slot;
    this.nameList.push(name);
    this.values.push(value);
    this.last = null;
    return slot;
  }

  /** Adds an entry at 0 for each name of `names` it has none for, in that order. */
  addMissing(names: readonly string[]): void {
    if (this.shared === null && this.values.length === 1 && this.values[0] === 0) {
      // Only its own entry so far: keep the run's list instead of a copy (see `shared`).
      const pos = this.table.positionsOf(names);
      const ownId = this.table.id(this.nameList[0]);
      const own = pos !== null && ownId < pos.length ? pos[ownId] : -1;
      if (pos !== null && own >= 0) {
        this.shared = { list: names, pos, own, ownId };
        this.last = null;
        return;
      }
    }
    if (this.shared !== null) this.materialize();
    const ids = this.table.idsOf(names);
    if (this.table.names.length > this.slotOf.length) this.grow(this.table.names.length - 1);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (this.slotOf[id] >= 0) continue;
      this.slotOf[id] = this.values.length;
      this.nameList.push(names[i]);
      this.values.push(0);
    }
    this.last = null;
  }

  /** Writes out a shared static membership as this clock's own lists (same order, all 0). */
  private materialize(): void {
    const sh = this.shared!;
    this.shared = null;
    const list = sh.list;
    const n = list.length;
    if (this.table.names.length > this.slotOf.length) this.grow(this.table.names.length - 1);
    const ids = this.table.idsOf(list);
    for (let i = 0; i < n; i++) {
      if (i === sh.own) continue;
      this.slotOf[ids[i]] = this.values.length;
      this.nameList.push(list[i]);
      this.values.push(0);
    }
    this.last = null;
  }

  private grow(id: number): void {
    const grown = new Int32Array(Math.max(id + 1, this.table.names.length, 2 * this.slotOf.length, 8)).fill(-1);
    grown.set(this.slotOf);
    this.slotOf = grown;
  }

  /** Sets an entry's value (the only way values change). */
  set(slot: number, value: number): void {
    if (this.shared !== null) {
      if (value === 0) return;
      this.materialize();
    }
    if (this.values[slot] !== value) {
      this.values[slot] = value;
      this.last = null;
    }
  }

  /**
   * Merges by max the entries `ids[i]` (interned names) to `values[i]`, in order, stopping
   * at the first name this clock has no entry for or the first value that is not a number;
   * returns the index where it stopped (`ids.length` when all merged). The caller handles
   * the rest one by one: this is the same loop, without the per-entry checks.
   */
  mergeMax(ids: Int32Array, values: readonly (number | null)[]): number {
    if (this.shared !== null) this.materialize();
    const slotOf = this.slotOf;
    const vals = this.values;
    let changed = false;
    let i = 0;
    const known = slotOf.length;
    for (; i < ids.length; i++) {
      const id = ids[i];
      if (id >= known) break;
      const s = slotOf[id];
      if (s < 0) break;
      const v = values[i];
      if (v === null) break;
      if (v > vals[s]) {
        vals[s] = v;
        changed = true;
      }
    }
    if (changed) this.last = null;
    return i;
  }

  get(slot: number): number {
    if (this.shared !== null) return 0; // every entry of a shared membership is 0
    return this.values[slot];
  }

  /** An immutable copy of the clock now; the same object while the clock is unchanged. */
  snapshot(): VectorSnapshot {
    if (this.shared !== null) this.materialize();
    this.last ??= { names: this.nameList, values: this.values.slice() };
    return this.last;
  }
}

/** The JSON object text of a snapshot, keys in insertion order (`{"n0":1,"n1":0}`). */
export function snapshotJson(c: ClockSnapshot): string {
  if (typeof c === 'number') return String(c);
  if (c.json !== undefined) return c.json;
  if (c.live === true) return jsonOf(c);
  c.json = jsonOf(c);
  return c.json;
}

function jsonOf(c: VectorSnapshot): string {
  let s = '{';
  const n = c.values.length;
  for (let i = 0; i < n; i++) {
    if (i > 0) s += ',';
    const v = c.values[i];
    // A hostile peer can make a faithful node hold a non-finite value; keep the JSON valid.
    s += JSON.stringify(c.names[i]) + ':' + (Number.isFinite(v) ? v : JSON.stringify(String(v)));
  }
  return s + '}';
}

/** The value a snapshot holds for `name` (missing counts as 0); scalars answer themselves. */
export function snapshotGet(c: ClockSnapshot, name: string): number {
  if (typeof c === 'number') return c;
  const n = c.values.length;
  for (let i = 0; i < n; i++) if (c.names[i] === name) return c.values[i];
  return 0;
}

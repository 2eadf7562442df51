// The clocks under test, made comparable: every clock a trace carries (a vector snapshot, a
// plain JSON object read back from trace.jsonl, or a Lamport number) becomes a dense vector
// over all names seen so far in the run (dimension = first appearance), a missing entry
// counting as 0. A Lamport clock is the 1-dimensional vector [value]. Also owns the four
// relations a pair of clocks can claim, and the componentwise comparisons behind them.

import type { ClockSnapshot } from '../core/clock.js';
import { leqSerialized } from '../core/itc.js';

export type ClockRelation = 'before' | 'after' | 'concurrent' | 'equal';

/** A clock as it may appear in a trace event: live snapshot, or JSON read back. */
export type AnyClock = ClockSnapshot | Readonly<Record<string, number>>;

export type Dense = Float64Array;

/** Maps clock entry names to dimensions, in order of first appearance. Deterministic. */
export class ClockDims {
  private readonly dim = new Map<string, number>();
  /** Per shared names array of a VectorSnapshot: the dimensions of its first k names. */
  private readonly cache = new WeakMap<readonly string[], number[]>();

  get size(): number {
    return this.dim.size;
  }

  /** The dimension of `name`, or -1 if no clock has named it. */
  dimOf(name: string): number {
    return this.dim.get(name) ?? -1;
  }

  private of(name: string): number {
    let d = this.dim.get(name);
    if (d === undefined) {
      d = this.dim.size;
      this.dim.set(name, d);
    }
    return d;
  }

  /** The dense form of a clock (length = the highest dimension it touches + 1). */
  dense(c: AnyClock): Dense {
    if (typeof c === 'number') return Float64Array.of(c);
    if (isSnapshot(c)) {
      const n = c.values.length;
      let dims = this.cache.get(c.names);
      if (dims === undefined) {
        dims = [];
        this.cache.set(c.names, dims);
      }
      while (dims.length < n) dims.push(this.of(c.names[dims.length]));
      let len = 0;
      for (let i = 0; i < n; i++) if (dims[i] + 1 > len) len = dims[i] + 1;
      const out = new Float64Array(len);
      for (let i = 0; i < n; i++) out[dims[i]] = c.values[i];
      return out;
    }
    const keys = Object.keys(c);
    const ds = keys.map((k) => this.of(k));
    let len = 0;
    for (const d of ds) if (d + 1 > len) len = d + 1;
    const out = new Float64Array(len);
    keys.forEach((k, i) => { out[ds[i]] = Number(c[k]); });
    return out;
  }
}

function isSnapshot(c: object): c is { names: readonly string[]; values: readonly number[] } {
  const o = c as { names?: unknown; values?: unknown };
  return Array.isArray(o.names) && Array.isArray(o.values);
}

/** x <= y componentwise, a missing entry counting as 0. */
export function leq(x: Dense, y: Dense): boolean {
  const nx = x.length;
  const ny = y.length;
  const n = nx < ny ? nx : ny;
  for (let i = 0; i < n; i++) if (x[i] > y[i]) return false;
  for (let i = n; i < nx; i++) if (x[i] > 0) return false;
  for (let i = n; i < ny; i++) if (y[i] < 0) return false;
  return true;
}

/** The relation the clocks claim between a and b (`order`: componentwise unless the rule has its own). */
export function clockRelation(a: Dense, b: Dense, order: (x: Dense, y: Dense) => boolean = leq): ClockRelation {
  const le = order(a, b);
  const ge = order(b, a);
  if (le) return ge ? 'equal' : 'before';
  return ge ? 'after' : 'concurrent';
}

/**
 * The order of a rule's views (docs/clocks.md, "How the checker reads a stamp"): componentwise
 * for every rule but interval tree clocks, whose view is a serialized event tree.
 */
export function orderOf(clock: string): (x: Dense, y: Dense) => boolean {
  return clock === 'itc' ? leqSerialized : leq;
}

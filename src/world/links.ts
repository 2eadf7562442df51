// The link model: every network fault of a run as a rule over directed links, judged by one
// chain in one order (docs/faults.md, "The chain"), shared by the simulator
// (src/sim/driver.ts) and the live driver (src/transport/driver.ts), so neither copies the
// other's logic. The receiver's own state (down, paused, left) is src/world/nodes.ts.
//
// The chain for one datagram over the link from -> to:
//   attempt()  when the datagram leaves (the simulator) or reaches the receiver's socket (live):
//     1. cut rules (partition, one-way), in schedule order: the first active one that blocks
//        the link drops it `partitioned`; nothing is drawn;
//     2. the first active shape rule (link, loss-burst) on the link replaces the network's
//        loss, latency and duplication;
//     3. the original copy: loss (drop `dropped`) or a latency; then the duplicate draw, and
//        a second copy the same way. The draws come from the one `network` stream, in this order.
//   arrive()   when a copy's latency has passed:
//     4. clog: the first active clog on the link holds it until the clog ends, then releases
//        what it held, in order, at that moment (each goes through 4 and 5 again);
//     5. capacity: the first active capacity on the link gives one datagram per 1/rate s;
//        a later one waits for its slot (once: after waiting it is not queued again).
// A rule never draws while judging, so asking it has no side effect but the capacity's slot.

import type { Latency } from '../scenario/schema.js';
import type { DropOutcome } from '../trace/events.js';
import { sampler, type Sampler } from './dist.js';
import { cutPredicate, groupIndex } from './partitions.js';
import type { Rng } from './rng.js';
import type { ConcreteFault } from './schedule.js';

/** A cut's opinion on a link: drop, and why (the checker's Verdict on a pair of events is another thing). */
export interface DropVerdict {
  readonly outcome: DropOutcome;
  /** The fault that refused the datagram, e.g. `partition p1`. */
  readonly reason: string;
}

/** Which directed links a link fault covers: sender and receiver masks (null: all). */
export class LinkSet {
  constructor(private readonly from: Uint8Array | null, private readonly to: Uint8Array | null) {}

  static of(from: readonly number[] | null, to: readonly number[] | null, n: number): LinkSet {
    const mask = (l: readonly number[] | null): Uint8Array | null => {
      if (l === null) return null;
      const m = new Uint8Array(n);
      for (const i of l) m[i] = 1;
      return m;
    };
    return new LinkSet(mask(from), mask(to));
  }

  has(from: number, to: number): boolean {
    return (this.from === null || this.from[from] === 1) && (this.to === null || this.to[to] === 1);
  }
}

/** A partition, bridge, ring or one-way cut: while active, the links it blocks drop. */
export class CutRule {
  active = false;
  readonly verdict: DropVerdict;

  constructor(kind: string, id: string, readonly blocks: (from: number, to: number) => boolean) {
    this.verdict = { outcome: 'partitioned', reason: `${kind} ${id}` };
  }

  /** Groups: a link between two groups is blocked (an array lookup, no closure over the cut). */
  static groups(id: string, groups: readonly (readonly number[])[], n: number): CutRule {
    const of = groupIndex(groups, n);
    return new CutRule('partition', id, (from, to) => of[from] !== of[to]);
  }
}

/** A link override (latency, loss, duplication) or a loss burst, while active. */
export class ShapeRule {
  active = false;
  /** The drop reason for its losses, e.g. `loss-burst f3`. */
  readonly reason: string;

  constructor(
    kind: string,
    id: string,
    readonly links: LinkSet,
    readonly latency: Sampler | undefined,
    readonly loss: number | undefined,
    readonly duplicate: number | undefined,
  ) {
    this.reason = `${kind} ${id}`;
  }
}

/** Holds arrivals on its links while active; released, in order, when it ends. */
export class ClogRule<T> {
  active = false;
  readonly held: T[] = [];
  constructor(readonly links: LinkSet) {}
}

/** A link capacity: each directed link delivers one datagram per `service` microseconds. */
export class CapacityRule {
  active = false;
  private readonly busyUntil = new Map<number, number>();
  readonly service: number;

  constructor(readonly links: LinkSet, rate: number, private readonly n: number) {
    this.service = Math.max(1, Math.round(1_000_000 / rate));
  }

  /** The time a datagram arriving now on from->to gets delivered (now, or later if queued). */
  slot(from: number, to: number, now: number): number {
    const key = from * this.n + to;
    const t = Math.max(now, this.busyUntil.get(key) ?? 0);
    this.busyUntil.set(key, t + this.service);
    return t;
  }

  reset(): void {
    this.busyUntil.clear();
  }
}

type Rule<T> = CutRule | ShapeRule | ClogRule<T> | CapacityRule;

/** The network's own loss, latency and duplication (scenario `network:`). */
export interface NetworkSpec {
  readonly loss: number;
  readonly duplicate: number;
  readonly latency: Latency;
}

/** arrive(): a clog holds the copy (the model keeps it until the clog ends). */
export const HELD = -1;

/**
 * The run's link faults and the network, as one chain. `T` is what a driver holds for an
 * arrived copy (the simulator's queued delivery, the live driver's arrival).
 */
export class LinkModel<T> {
  private readonly cuts: CutRule[] = [];
  private readonly shapes: ShapeRule[] = [];
  private readonly clogs: ClogRule<T>[] = [];
  private readonly capacities: CapacityRule[] = [];
  /** Per fault of the schedule: its rule, or null for node faults (src/world/nodes.ts). */
  private readonly byFault: (Rule<T> | null)[];
  private readonly latency: Sampler;
  /** The quiet phase: no loss any more (docs/faults.md, "The quiet phase"). */
  quiet = false;

  // The last attempt()'s fates, reused (no object per attempt): per copy, a drop reason or null and the latency.
  /** The cut that refused the last attempt (then it made no copy), or undefined. */
  refusal: DropVerdict | undefined;
  readonly dropReason: (string | null)[] = [null, null];
  readonly delay: number[] = [0, 0];

  constructor(faults: readonly ConcreteFault[], n: number, private readonly net: NetworkSpec, private readonly rng: Rng) {
    this.latency = sampler(net.latency);
    this.byFault = faults.map((f) => this.rule(f, n));
  }

  private rule(f: ConcreteFault, n: number): Rule<T> | null {
    const id = f.record.id;
    const links = (): LinkSet => LinkSet.of(f.from, f.to, n);
    switch (f.kind) {
      case 'partition': {
        const cut = f.cut!;
        const rule = cut.bridge === undefined && cut.ring === undefined ? CutRule.groups(id, cut.groups, n) : new CutRule('partition', id, cutPredicate(cut, n));
        this.cuts.push(rule);
        return rule;
      }
      case 'one-way': {
        const set = links();
        const rule = new CutRule('one-way', id, (from, to) => set.has(from, to));
        this.cuts.push(rule);
        return rule;
      }
      case 'link':
      case 'loss-burst': {
        const rule = new ShapeRule(f.kind, id, links(), f.latency !== undefined ? sampler(f.latency) : undefined, f.loss, f.duplicate);
        this.shapes.push(rule);
        return rule;
      }
      case 'clog': {
        const rule = new ClogRule<T>(links());
        this.clogs.push(rule);
        return rule;
      }
      case 'capacity': {
        const rule = new CapacityRule(links(), f.rate!, n);
        this.capacities.push(rule);
        return rule;
      }
      default:
        return null;
    }
  }

  /** False when the run has no clog and no capacity: `arrive` would always answer `now`. */
  get judgesArrivals(): boolean {
    return this.clogs.length > 0 || this.capacities.length > 0;
  }

  /** True if fault `f` is a link fault (this model's); false for node faults. */
  owns(f: number): boolean {
    return this.byFault[f] !== null;
  }

  /**
   * Turns link fault `f` on or off. Returns what a clog held, to be released now, in order
   * (empty otherwise); a capacity that ends forgets its queue.
   */
  set(f: number, on: boolean): T[] {
    const rule = this.byFault[f];
    if (rule === null) throw new Error(`bug: fault ${f} is not a link fault`);
    rule.active = on;
    if (on) return [];
    if (rule instanceof CapacityRule) rule.reset();
    if (!(rule instanceof ClogRule)) return [];
    return rule.held.splice(0);
  }

  /** How many copies link fault `f` holds now (a clog; 0 for the rest). */
  holding(f: number): number {
    const rule = this.byFault[f];
    return rule instanceof ClogRule ? rule.held.length : 0;
  }

  /**
   * Steps 1 to 3 for one datagram over from -> to (from -1: a datagram from outside the run): the number of copies (0 if a cut refused
   * it: see `refusal`), each with `dropReason[c]` (dropped by loss) or `delay[c]` (µs).
   */
  attempt(from: number, to: number): number {
    const cuts = this.cuts;
    // A datagram from outside the run (from -1, live only) is on no link a cut covers.
    for (let r = 0; r < cuts.length && from >= 0; r++) {
      const cut = cuts[r];
      if (cut.active && cut.blocks(from, to)) {
        this.refusal = cut.verdict;
        return 0;
      }
    }
    this.refusal = undefined;
    let shape: ShapeRule | undefined;
    const shapes = this.shapes;
    for (let r = 0; r < shapes.length && shape === undefined; r++) if (shapes[r].active && shapes[r].links.has(from, to)) shape = shapes[r];
    this.copy(0, shape);
    const dup = shape?.duplicate ?? this.net.duplicate;
    if (dup > 0 && this.rng.next() < dup) {
      this.copy(1, shape);
      return 2;
    }
    return 1;
  }

  private copy(c: number, shape: ShapeRule | undefined): void {
    const loss = this.quiet ? 0 : shape?.loss ?? this.net.loss;
    if (loss > 0 && this.rng.next() < loss) {
      this.dropReason[c] = shape?.loss !== undefined ? shape.reason : 'loss';
      return;
    }
    this.dropReason[c] = null;
    this.delay[c] = (shape?.latency ?? this.latency)(this.rng);
  }

  /**
   * Steps 4 and 5 for a copy arriving now over from -> to: HELD (a clog keeps `item` until
   * it ends), or the time to hand it to the receiver (now, or a later capacity slot; the
   * driver brings it back then with `queued` true).
   */
  arrive(from: number, to: number, now: number, item: T, queued: boolean): number {
    const clogs = this.clogs;
    for (let c = 0; c < clogs.length; c++) {
      const clog = clogs[c];
      if (clog.active && clog.links.has(from, to)) {
        clog.held.push(item);
        return HELD;
      }
    }
    if (queued) return now;
    const caps = this.capacities;
    for (let c = 0; c < caps.length; c++) {
      const cap = caps[c];
      if (cap.active && cap.links.has(from, to)) return cap.slot(from, to, now);
    }
    return now;
  }
}

// Verdicts: for every pair of distinct events in scope, the relation the clocks claim against
// the truth, counted exactly without enumerating pairs.
//
// Categories (per unordered pair {a, b}; see docs/checker.md, "Verdicts"):
//   agree        the clocks claim what is true: before/after matching the true order, or
//                concurrent for a truly concurrent pair. A truly concurrent pair with EQUAL
//                clocks also agrees: equal clocks claim no order, and "no order" is what
//                concurrency is (it is still tallied in equal_stamps).
//   missed       truly ordered, the clocks say concurrent or equal
//   false_order  truly concurrent, the clocks say ordered
//   reversed     truly ordered one way, the clocks say the other
//   equal_stamps distinct events with equal clocks (overlaps the categories above)
//
// Theory of operation. A lane is one node's events in scope in program order. A lane is cut
// into segments wherever a clock is not >= its predecessor's (a rejoin reset, say), so
// along a segment the clock under test is non-decreasing. Then for an event b, the a in a
// segment with C(a) <= C(b) form a prefix and those with C(a) >= C(b) a suffix. The truth
// is monotone along the whole lane: a -> b is a prefix (a's own counter <= VT(b) there) and
// b -> a a suffix (VT(a)[node(b)] grows along the lane). Intersecting the four clock
// intervals with the three truth intervals counts every (clock relation, true relation)
// combination for b against the segment at once. Ordered pairs are counted, then halved
// (every category is symmetric).
//
// The boundaries are found by pointers rather than binary search: b itself walks along a
// monotone segment of its own lane, and as C(b) and VT(b) grow every boundary can only move
// right, so each (segment of b, segment of a) pair costs O(|seg b| + |seg a|) steps.
// A step does not compare whole clocks: along a lane a clock differs from its predecessor in
// a few entries (a receive changes one or two), so each pointer keeps a count of the entries
// that stop it (P: entries where C(a_P) > C(b); G: entries where C(b) > C(a_G)) and updates
// the count from the entries that changed when b or a_P or a_G moves on (`changed`, computed
// once per lane). Cost: O(E * S * d), E events in scope, S segments (about one per node), d
// the entries changed per step (1 to 2; N, the clock's size, at worst), plus O(S^2 * N) to
// start each pair of segments.

import { leq, type Dense } from './clocks.js';

/** A causal event in scope, as the checker keeps it. */
export interface CausalEvent {
  readonly ev: number;
  readonly t: number;
  /** Node slot (index in the trace header's nodes). */
  readonly node: number;
  readonly kind: 'send' | 'receive';
  readonly msg: number;
  readonly clock: Dense;
  readonly vt: Int32Array;
}

export interface VerdictCounts {
  /** Events in scope, and unordered pairs of distinct events among them. */
  events: number;
  pairs: number;
  agree: number;
  missed: number;
  false_order: number;
  reversed: number;
  equal_stamps: number;
  /** missed + false_order + reversed. */
  disagree: number;
  truly_ordered: number;
  truly_concurrent: number;
  /** Clock-claimed relations over the pairs: ordered (either way), concurrent, equal. */
  clock_ordered: number;
  clock_concurrent: number;
  clock_equal: number;
  /**
   * Of the pairs the clocks call ordered, the share ordered so in truth (1 when none is called
   * ordered); of the truly ordered pairs, the share the clocks call ordered the true way (1
   * when none is truly ordered). Rounded to 6 decimals. docs/checker.md, "Verdicts".
   */
  precision: number;
  recall: number;
}

/** Precision and recall of "happened before" claims from the counts. */
export function precisionRecall(c: Omit<VerdictCounts, 'precision' | 'recall'>): { precision: number; recall: number } {
  // Truly ordered pairs the clocks order the true way: every truly ordered pair the clocks
  // neither missed nor reversed.
  const right = c.truly_ordered - c.missed - c.reversed;
  const r6 = (x: number): number => Math.round(x * 1e6) / 1e6;
  return { precision: c.clock_ordered === 0 ? 1 : r6(right / c.clock_ordered), recall: c.truly_ordered === 0 ? 1 : r6(right / c.truly_ordered) };
}

// Matrix cells: clock relation (0 before, 1 after, 2 concurrent, 3 equal) x truth (0 before, 1 after, 2 concurrent).
const CB = 0, CA = 1, CC = 2, CE = 3;
const TB = 0, TA = 1, TC = 2;

/** Counts from the ordered-pair matrix m[clock * 3 + truth]. */
export function countsFromMatrix(events: number, m: ArrayLike<number>): VerdictCounts {
  const g = (c: number, t: number): number => m[c * 3 + t];
  const half = (x: number): number => x / 2;
  const agree = half(g(CB, TB) + g(CA, TA) + g(CC, TC) + g(CE, TC));
  const missed = half(g(CC, TB) + g(CC, TA) + g(CE, TB) + g(CE, TA));
  const falseOrder = half(g(CB, TC) + g(CA, TC));
  const reversed = half(g(CB, TA) + g(CA, TB));
  const equal = half(g(CE, TB) + g(CE, TA) + g(CE, TC));
  const trulyConcurrent = half(g(CB, TC) + g(CA, TC) + g(CC, TC) + g(CE, TC));
  const clockConcurrent = half(g(CC, TB) + g(CC, TA) + g(CC, TC));
  const pairs = (events * (events - 1)) / 2;
  const c = {
    events, pairs, agree, missed, false_order: falseOrder, reversed, equal_stamps: equal,
    disagree: missed + falseOrder + reversed,
    truly_ordered: pairs - trulyConcurrent, truly_concurrent: trulyConcurrent,
    clock_ordered: pairs - clockConcurrent - equal, clock_concurrent: clockConcurrent, clock_equal: equal,
  };
  return { ...c, ...precisionRecall(c) };
}

interface Segment {
  readonly lane: CausalEvent[];
  /** The dimensions where lane[k]'s clock differs from lane[k - 1]'s: dims[at[k]] to dims[at[k + 1] - 1] (one array per lane, not one per event). */
  readonly dims: Int32Array;
  readonly at: Int32Array;
  readonly node: number;
  readonly from: number;
  readonly to: number;
}

const at = (x: Dense, d: number): number => (d < x.length ? x[d] : 0);

/** The dimensions where each clock of a lane differs from the one before (a missing entry counting as 0), as Segment's dims and at. */
function changes(lane: readonly CausalEvent[]): { dims: Int32Array; at: Int32Array } {
  const starts = new Int32Array(lane.length + 1);
  let c = 0;
  for (let k = 1; k < lane.length; k++) {
    const x = lane[k - 1].clock, y = lane[k].clock;
    const n = x.length > y.length ? x.length : y.length;
    for (let d = 0; d < n; d++) if (at(x, d) !== at(y, d)) c++;
    starts[k + 1] = c;
  }
  const dims = new Int32Array(c);
  c = 0;
  for (let k = 1; k < lane.length; k++) {
    const x = lane[k - 1].clock, y = lane[k].clock;
    const n = x.length > y.length ? x.length : y.length;
    for (let d = 0; d < n; d++) if (at(x, d) !== at(y, d)) dims[c++] = d;
  }
  return { dims, at: starts };
}

/** Entries where x > y. */
function above(x: Dense, y: Dense): number {
  const n = x.length > y.length ? x.length : y.length;
  let c = 0;
  for (let d = 0; d < n; d++) if (at(x, d) > at(y, d)) c++;
  return c;
}

/** How the count of entries where x > y changes when x or y changes in dimensions ds[lo] to ds[hi - 1]. */
function recount(ds: Int32Array, lo: number, hi: number, x0: Dense, x1: Dense, y0: Dense, y1: Dense): number {
  let delta = 0;
  for (let i = lo; i < hi; i++) {
    const d = ds[i];
    delta += (at(x1, d) > at(y1, d) ? 1 : 0) - (at(x0, d) > at(y0, d) ? 1 : 0);
  }
  return delta;
}

/** Splits events (in trace order) into per-node lanes, and lanes into monotone segments. */
export function segments(events: readonly CausalEvent[], le: Leq = leq): Segment[] {
  const lanes = new Map<number, CausalEvent[]>();
  for (const e of events) {
    let lane = lanes.get(e.node);
    if (lane === undefined) lanes.set(e.node, (lane = []));
    lane.push(e);
  }
  const out: Segment[] = [];
  for (const node of [...lanes.keys()].sort((a, b) => a - b)) {
    const lane = lanes.get(node)!;
    const { dims, at: starts } = changes(lane);
    let from = 0;
    for (let k = 1; k < lane.length; k++) {
      if (!le(lane[k - 1].clock, lane[k].clock)) {
        out.push({ lane, dims, at: starts, node, from, to: k });
        from = k;
      }
    }
    out.push({ lane, dims, at: starts, node, from, to: lane.length });
  }
  return out;
}

const overlap = (a0: number, a1: number, b0: number, b1: number): number => {
  const lo = a0 > b0 ? a0 : b0;
  const hi = a1 < b1 ? a1 : b1;
  return hi > lo ? hi - lo : 0;
};

/**
/** The order of the clocks' views: componentwise, or the rule's own (interval tree clocks). */
export type Leq = (x: Dense, y: Dense) => boolean;

/**
 * Where the verdicts fall, for the report (docs/pictures.md, "report.html"): per pair of node
 * groups and per time bin. Asked for with a spec; filled by countVerdicts in the same pass.
 */
export interface VerdictDetailSpec {
  /** Group of a node slot, in [0, groups). */
  readonly groupOf: (slot: number) => number;
  readonly groups: number;
  /** Time bin of a time (microseconds), in [0, bins). */
  readonly binOf: (t: number) => number;
  readonly bins: number;
}

/** Categories in detail arrays, in this order. */
export const DETAIL_CATEGORIES = ['agree', 'missed', 'false_order', 'reversed'] as const;

export interface VerdictDetail {
  /**
   * Unordered pairs with one event in group x and the other in group y, per category:
   * `pairs[(x * groups + y) * 4 + c]`, symmetric; on the diagonal, pairs within the group.
   * The cells with x <= y sum to the totals.
   */
  readonly pairs: Float64Array;
  /** Unordered pairs per category, counted in the time bin of the later event (trace order): `bins[bin * 4 + c]`; they sum to the totals. */
  readonly bins: Float64Array;
}

/** Category (index in DETAIL_CATEGORIES) of each ordered-pair matrix cell clock * 3 + truth. */
const CELL_CATEGORY = [0, 3, 2, 3, 0, 2, 1, 1, 0, 1, 1, 0];

/**
 * Exact verdict counts over all pairs of `events` (in trace order, each in scope).
 * `_ownDim` is no longer used (the pointers follow changed entries; kept for callers). With
 * `detail`, it also fills where the verdicts fall. `le` is the order of the clocks:
 * componentwise by default, where the pointers move by the entries that changed; a rule's
 * own order (interval tree clocks) is asked pair by pair as the pointers move.
 */
export function countVerdicts(events: readonly CausalEvent[], _ownDim: (slot: number) => number = () => -1, detail?: { spec: VerdictDetailSpec; out: VerdictDetail }, le: Leq = leq): VerdictCounts {
  const segs = segments(events, le);
  const componentwise = le === leq;
  const m = new Float64Array(12);
  const before = new Float64Array(12);
  const byBin = detail?.out.bins;
  for (const sb of segs) {
    const nb = sb.node;
    const dimsB = sb.dims, atB = sb.at;
    for (const sa of segs) {
      if (detail !== undefined) before.set(m);
      const lane = sa.lane;
      const dimsA = sa.dims, atA = sa.at;
      const from = sa.from;
      const len = sa.to - from;
      const l = sa.node;
      // Pointers over sa, each non-decreasing as b advances along its own monotone segment:
      // P = |{a : C(a) <= C(b)}|, G = first a with C(a) >= C(b),
      // TL = |{a : a -> b or a = b}|, TG = first a with b -> a or a = b.
      let P = 0, G = 0, TL = 0, TG = 0, K = 0;
      // xP: entries where C(a_P) > C(b) (P stops while > 0); xG: entries where C(b) > C(a_G).
      let xP = 0, xG = 0;
      for (let k = sb.from; k < sb.to; k++) {
        const b = sb.lane[k];
        const cb = b.clock;
        const vb = b.vt;
        if (!componentwise) {
          while (P < len && le(lane[from + P].clock, cb)) P++;
          while (G < len && !le(cb, lane[from + G].clock)) G++;
        } else if (k === sb.from) {
          xP = above(lane[from].clock, cb);
          xG = above(cb, lane[from].clock);
        } else {
          const lo = atB[k], hi = atB[k + 1];
          const prev = sb.lane[k - 1].clock;
          if (P < len) { const ca = lane[from + P].clock; xP += recount(dimsB, lo, hi, ca, ca, prev, cb); }
          if (G < len) { const ca = lane[from + G].clock; xG += recount(dimsB, lo, hi, prev, cb, ca, ca); }
        }
        while (componentwise && P < len && xP === 0) {
          P++;
          if (P < len) xP += recount(dimsA, atA[from + P], atA[from + P + 1], lane[from + P - 1].clock, lane[from + P].clock, cb, cb);
        }
        while (componentwise && G < len && xG > 0) {
          G++;
          if (G < len) xG += recount(dimsA, atA[from + G], atA[from + G + 1], cb, cb, lane[from + G - 1].clock, lane[from + G].clock);
        }
        const bl = vb[l] ?? 0;
        while (TL < len && (lane[from + TL].vt[l] ?? 0) <= bl) TL++;
        const ownB = vb[nb] ?? 0;
        while (TG < len && (lane[from + TG].vt[nb] ?? 0) < ownB) TG++;
        // Intervals over [0, len); the truth's overlap [TG, TL) is b itself, never counted.
        // clock: before [0,cB1), after [cA0,len), concurrent [P,G), equal [G,P)
        // truth: before [0,tB1), after [tA0,len), concurrent [TL,TG)
        const cB1 = P < G ? P : G, cA0 = P > G ? P : G;
        const tB1 = TL < TG ? TL : TG, tA0 = TL > TG ? TL : TG;
        m[0] += overlap(0, cB1, 0, tB1);
        m[1] += overlap(0, cB1, tA0, len);
        m[2] += overlap(0, cB1, TL, TG);
        m[3] += overlap(cA0, len, 0, tB1);
        m[4] += overlap(cA0, len, tA0, len);
        m[5] += overlap(cA0, len, TL, TG);
        m[6] += overlap(P, G, 0, tB1);
        m[7] += overlap(P, G, tA0, len);
        m[8] += overlap(P, G, TL, TG);
        m[9] += overlap(G, P, 0, tB1);
        m[10] += overlap(G, P, tA0, len);
        m[11] += overlap(G, P, TL, TG);
        if (byBin !== undefined) {
          // The same cells over the a earlier than b in trace order ([0, K)): each unordered
          // pair counted once, in the bin of its later event.
          while (K < len && lane[from + K].ev < b.ev) K++;
          const o = detail!.spec.binOf(b.t) * 4;
          const kB = cB1 < K ? cB1 : K, kA = len < K ? len : K, kC = G < K ? G : K, kE = P < K ? P : K;
          byBin[o] += overlap(0, kB, 0, tB1) + overlap(cA0, kA, tA0, len) + overlap(P, kC, TL, TG) + overlap(G, kE, TL, TG);
          byBin[o + 1] += overlap(P, kC, 0, tB1) + overlap(P, kC, tA0, len) + overlap(G, kE, 0, tB1) + overlap(G, kE, tA0, len);
          byBin[o + 2] += overlap(0, kB, TL, TG) + overlap(cA0, kA, TL, TG);
          byBin[o + 3] += overlap(0, kB, tA0, len) + overlap(cA0, kA, 0, tB1);
        }
      }
      if (detail !== undefined) {
        const { spec, out } = detail;
        const gb = spec.groupOf(nb), ga = spec.groupOf(l);
        const o = (gb * spec.groups + ga) * 4;
        // Ordered pairs (b here, a there): off the diagonal each unordered pair once per cell.
        const k = gb === ga ? 0.5 : 1;
        for (let i = 0; i < 12; i++) out.pairs[o + CELL_CATEGORY[i]] += (m[i] - before[i]) * k;
      }
    }
  }
  return countsFromMatrix(events.length, m);
}

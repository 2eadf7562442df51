// Verdict counts taken online: the counter of ./verdicts.ts, fed one event at a time in trace
// order, so that the count is done when the run is (and can run beside it, on a worker
// thread: ./worker.ts). The same theory (see verdicts.ts): lanes cut into monotone segments,
// four pointers per (segment of b, segment of a), each moving forward only. Online, event b
// is counted against the events already seen (the a earlier than b): each unordered pair
// once, from its later event, and the ordered-pair matrix of countVerdicts is this half
// plus its mirror (a before b seen from a is b after a). A pointer cannot pass the events
// seen so far: it waits at the end of a's segment, and moves on when later events of b's
// lane find a's segment grown. Clamping every pointer to the events seen gives the same
// intervals as countVerdicts restricted to the earlier events (its per-bin detail), so the
// counts, the per-bin detail and the per-group detail are those of countVerdicts exactly.
//
// The detail's bins are known only at the end (the report's bins widen as the run grows), so
// each event keeps its four category counts (the pairs it ends) and they are binned then
// (binDetail); its group (of nodes, for the report's lanes) comes with the event.

import { leq, type Dense } from './clocks.js';
import { countsFromMatrix, type CausalEvent, type Leq, type VerdictCounts, type VerdictDetail, type VerdictDetailSpec } from './verdicts.js';

const CELL_CATEGORY = [0, 3, 2, 3, 0, 2, 1, 1, 0, 1, 1, 0];
/** Matrix cell of the mirrored relation: before <-> after, for the clock and the truth. */
const MIRROR = [4, 3, 5, 1, 0, 2, 7, 6, 8, 10, 9, 11];

interface Lane {
  readonly node: number;
  /** The detail's group of the lane's node. */
  readonly group: number;
  readonly events: CausalEvent[];
  /**
   * The dimensions where events[k]'s clock differs from events[k - 1]'s: dims[at[k] ..
   * at[k + 1]) (one array per lane, not one per event).
   */
  dims: Int32Array;
  readonly at: number[];
  /** The segment events are appended to. */
  seg: Segment;
  /** Pointer states of the current segment against every segment, by segment id. */
  states: (Pointers | undefined)[];
}

interface Segment {
  readonly id: number;
  readonly lane: Lane;
  readonly from: number;
  /** End (exclusive); for a lane's last segment, the lane's length. */
  to: number;
}

/** P, G, TL, TG as in countVerdicts; xP, xG their counts of stopping entries (-1: to be computed). */
interface Pointers { P: number; G: number; TL: number; TG: number; xP: number; xG: number }

const at = (x: Dense, d: number): number => (d < x.length ? x[d] : 0);

/** Appends to the lane's dims the dimensions where x and y differ; notes where they start. */
function diff(lane: Lane, x: Dense | null, y: Dense): void {
  let used = lane.at.length === 0 ? 0 : lane.at[lane.at.length - 1];
  const n = x === null ? 0 : x.length > y.length ? x.length : y.length;
  if (used + n > lane.dims.length) {
    const d = new Int32Array(Math.max(2 * lane.dims.length, used + n));
    d.set(lane.dims.subarray(0, used));
    lane.dims = d;
  }
  if (lane.at.length === 0) lane.at.push(0);
  for (let d = 0; d < n; d++) if (at(x!, d) !== at(y, d)) lane.dims[used++] = d;
  lane.at.push(used);
}

function above(x: Dense, y: Dense): number {
  const n = x.length > y.length ? x.length : y.length;
  let c = 0;
  for (let d = 0; d < n; d++) if (at(x, d) > at(y, d)) c++;
  return c;
}

/** How the count of entries where x > y changes when x or y changes in lane.dims of event k. */
function recount(lane: Lane, k: number, x0: Dense, x1: Dense, y0: Dense, y1: Dense): number {
  let delta = 0;
  const ds = lane.dims;
  for (let i = lane.at[k], end = lane.at[k + 1]; i < end; i++) {
    const d = ds[i];
    delta += (at(x1, d) > at(y1, d) ? 1 : 0) - (at(x0, d) > at(y0, d) ? 1 : 0);
  }
  return delta;
}

const overlap = (a0: number, a1: number, b0: number, b1: number): number => {
  const lo = a0 > b0 ? a0 : b0;
  const hi = a1 < b1 ? a1 : b1;
  return hi > lo ? hi - lo : 0;
};

export class OnlineVerdicts {
  private readonly lanes = new Map<number, Lane>();
  private readonly segs: Segment[] = [];
  private readonly componentwise: boolean;
  /** Ordered pairs (later b, earlier a) per matrix cell. */
  private readonly half = new Float64Array(12);
  private readonly step = new Float64Array(12);
  private n = 0;
  /** Per event: its time, and the pairs it ends per category (binned at the end). */
  private readonly times: number[] = [];
  private readonly ended: number[] = [];
  private pairs: Float64Array;

  /** `groups`: the detail's groups of nodes (0: no detail kept). */
  constructor(private readonly le: Leq = leq, private readonly groups = 0) {
    this.componentwise = le === leq;
    this.pairs = new Float64Array(groups * groups * 4);
  }

  get events(): number {
    return this.n;
  }

  /** Counts b against the events before it; `group`: its node's group in the detail. */
  add(b: CausalEvent, group = 0): void {
    this.n++;
    const lane = this.append(b, group);
    const k = lane.events.length - 1;
    const own = lane.seg;
    const cats = [0, 0, 0, 0];
    for (const sa of this.segs) {
      const K = (sa === own ? k : sa.to) - sa.from;
      if (K === 0) continue;
      let s = lane.states[sa.id];
      if (s === undefined) lane.states[sa.id] = s = { P: 0, G: 0, TL: 0, TG: 0, xP: -1, xG: -1 };
      this.move(s, sa, K, lane, k);
      this.count(s, K, sa.lane.group, lane.group, cats);
    }
    if (this.groups > 0) {
      this.times.push(b.t);
      this.ended.push(cats[0], cats[1], cats[2], cats[3]);
    }
  }

  /** Appends b to its lane, starting a new segment where its clock is not >= the last one. */
  private append(b: CausalEvent, group: number): Lane {
    let lane = this.lanes.get(b.node);
    if (lane === undefined) {
      const l: Lane = { node: b.node, group, events: [], dims: new Int32Array(64), at: [], seg: null as unknown as Segment, states: [] };
      l.seg = this.segment(l, 0);
      this.lanes.set(b.node, (lane = l));
    }
    const k = lane.events.length;
    if (k > 0) {
      const prev = lane.events[k - 1].clock;
      diff(lane, prev, b.clock);
      if (!this.le(prev, b.clock)) {
        lane.seg = this.segment(lane, k);
        lane.states = [];
      }
    } else diff(lane, null, b.clock);
    lane.events.push(b);
    lane.seg.to = k + 1;
    return lane;
  }

  private segment(lane: Lane, from: number): Segment {
    const s: Segment = { id: this.segs.length, lane, from, to: from };
    this.segs.push(s);
    return s;
  }

  /** Moves the pointers of b (lane.events[k]) over the first K events of segment sa. */
  private move(s: Pointers, sa: Segment, K: number, lane: Lane, k: number): void {
    const la = sa.lane, a = la.events, from = sa.from;
    const cb = lane.events[k].clock;
    if (!this.componentwise) {
      while (s.P < K && this.le(a[from + s.P].clock, cb)) s.P++;
      while (s.G < K && !this.le(cb, a[from + s.G].clock)) s.G++;
    } else {
      // The counts follow b's changed entries from the b they were taken at (b's predecessor).
      const prev = k > lane.seg.from ? lane.events[k - 1].clock : cb;
      if (s.P < K) {
        const ca = a[from + s.P].clock;
        s.xP = s.xP < 0 ? above(ca, cb) : s.xP + recount(lane, k, ca, ca, prev, cb);
      }
      if (s.G < K) {
        const ca = a[from + s.G].clock;
        s.xG = s.xG < 0 ? above(cb, ca) : s.xG + recount(lane, k, prev, cb, ca, ca);
      }
      while (s.P < K && s.xP === 0) {
        s.P++;
        s.xP = s.P < K ? s.xP + recount(la, from + s.P, a[from + s.P - 1].clock, a[from + s.P].clock, cb, cb) : -1;
      }
      while (s.G < K && s.xG > 0) {
        s.G++;
        s.xG = s.G < K ? s.xG + recount(la, from + s.G, cb, cb, a[from + s.G - 1].clock, a[from + s.G].clock) : -1;
      }
    }
    const b = lane.events[k];
    const l = sa.lane.node;
    const bl = b.vt[l] ?? 0;
    while (s.TL < K && (a[from + s.TL].vt[l] ?? 0) <= bl) s.TL++;
    const ownB = b.vt[lane.node] ?? 0;
    while (s.TG < K && (a[from + s.TG].vt[lane.node] ?? 0) < ownB) s.TG++;
  }

  /** Adds the pairs of b (in group gb) with the first K events of a segment (group ga) to the counts. */
  private count(s: Pointers, K: number, ga: number, gb: number, cats: number[]): void {
    const { P, G, TL, TG } = s;
    const cB1 = P < G ? P : G, cA0 = P > G ? P : G;
    const tB1 = TL < TG ? TL : TG, tA0 = TL > TG ? TL : TG;
    const m = this.step;
    m[0] = overlap(0, cB1, 0, tB1);
    m[1] = overlap(0, cB1, tA0, K);
    m[2] = overlap(0, cB1, TL, TG);
    m[3] = overlap(cA0, K, 0, tB1);
    m[4] = overlap(cA0, K, tA0, K);
    m[5] = overlap(cA0, K, TL, TG);
    m[6] = overlap(P, G, 0, tB1);
    m[7] = overlap(P, G, tA0, K);
    m[8] = overlap(P, G, TL, TG);
    m[9] = overlap(G, P, 0, tB1);
    m[10] = overlap(G, P, tA0, K);
    m[11] = overlap(G, P, TL, TG);
    for (let i = 0; i < 12; i++) {
      this.half[i] += m[i];
      cats[CELL_CATEGORY[i]] += m[i];
    }
    const ng = this.groups, pairs = this.pairs;
    if (ng === 0) return;
    for (let i = 0; i < 12; i++) {
      if (m[i] === 0) continue;
      pairs[(gb * ng + ga) * 4 + CELL_CATEGORY[i]] += m[i];
      if (ga !== gb) pairs[(ga * ng + gb) * 4 + CELL_CATEGORY[i]] += m[i];
    }
  }

  /** The counts over every pair of the events added (those of countVerdicts). */
  counts(): VerdictCounts {
    const m = new Float64Array(12);
    for (let i = 0; i < 12; i++) m[i] = this.half[i] + this.half[MIRROR[i]];
    return countsFromMatrix(this.n, m);
  }

  /** The detail before binning: pairs per group pair, and per event its time and the pairs it ends. */
  detailParts(): DetailParts {
    return { pairs: this.pairs, times: Float64Array.from(this.times), ended: Float64Array.from(this.ended) };
  }
}

/** The detail's parts, as a worker thread hands them back (typed arrays only). */
export interface DetailParts {
  readonly pairs: Float64Array;
  readonly times: Float64Array;
  readonly ended: Float64Array;
}

/** Where the verdicts fall, with the bins of `spec` (its groups those the events came with). */
export function binDetail(parts: DetailParts, spec: VerdictDetailSpec): VerdictDetail {
  const bins = new Float64Array(spec.bins * 4);
  for (let i = 0; i < parts.times.length; i++) {
    const o = spec.binOf(parts.times[i]) * 4;
    for (let c = 0; c < 4; c++) bins[o + c] += parts.ended[i * 4 + c];
  }
  const pairs = parts.pairs.length === spec.groups * spec.groups * 4 ? parts.pairs : new Float64Array(spec.groups * spec.groups * 4);
  return { pairs, bins };
}

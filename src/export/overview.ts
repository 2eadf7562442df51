// The overview of a run, for report.html (docs/pictures.md, "report.html"): counts in time
// bins and per lane, gathered as the trace streams past, in bounded memory whatever the
// run's size. Bins start 1 ms wide; when the run outgrows MAX_BINS of them, neighbouring bins
// are merged (the width doubles), so the bins are fixed by the run's length alone and the
// same run gives the same bins. Lanes are the nodes, or past MAX_LANES nodes, runs of
// neighbouring nodes (in the header's order) taken together.
//
// The hot path is a switch and a few array increments per event: no strings are built, no
// event is kept. Anomalies (the detector keeps them anyway) and the checker's verdicts are
// binned after the run, with the same bins (binAnomalies, verdictSpec).

import type { Anomaly } from '../check/anomalies.js';
import type { VerdictDetail, VerdictDetailSpec } from '../check/verdicts.js';
import type { TraceConsumer } from '../trace/bus.js';
import type { FaultRecord, TraceEvent, TraceHeader } from '../trace/events.js';
import type { ClockSizeConsumer } from './clock-size.js';

export const MAX_BINS = 256;
export const MAX_LANES = 64;
const FIRST_BIN_US = 1000;

/** The series counted per time bin, in this order. */
export const SERIES = [
  'events', 'sends', 'receives', 'duplicates', 'dropped', 'partitioned', 'receiver_dead', 'receiver_down',
  'receiver_deaths', 'chat_attempts', 'chat_delivered', 'chat_bytes', 'clock_entries',
] as const;
export type SeriesName = (typeof SERIES)[number];
const S = Object.fromEntries(SERIES.map((k, i) => [k, i])) as Record<SeriesName, number>;
const DROP_SERIES = { dropped: S.dropped, partitioned: S.partitioned, receiver_dead: S.receiver_dead, receiver_down: S.receiver_down } as const;

/** What the report embeds: plain numbers, a few hundred bins by at most MAX_LANES lanes. */
export interface OverviewData {
  readonly binUs: number;
  readonly bins: number;
  readonly end: number;
  readonly series: Record<SeriesName, number[]>;
  /** Anomalies per kind per bin (from the detector's list: the same counts as summary.json). */
  readonly anomalies: Record<string, number[]>;
  readonly lanes: {
    readonly names: string[];
    /** Nodes in each lane (1 unless grouped). */
    readonly size: number[];
    /** Node events per lane per bin: activity[lane][bin]. */
    readonly activity: number[][];
    /** Receiver deaths: [lane, time, node index], the first of each node. */
    readonly deaths: [number, number, number][];
  };
  readonly faults: readonly FaultRecord[];
  /** The checker's verdicts per pair of lanes and per bin (null: the checker did not run). */
  verdicts: { readonly pairs: number[][][]; readonly bins: number[][] } | null;
}

export class OverviewConsumer implements TraceConsumer {
  private binUs = FIRST_BIN_US;
  private readonly counts: Float64Array[] = SERIES.map(() => new Float64Array(MAX_BINS));
  private activity: Float64Array[] = [];
  private nodes: readonly string[] = [];
  private readonly index = new Map<string, number>();
  private laneOf = new Int32Array(0);
  private laneNames: string[] = [];
  private firstDeath = new Float64Array(0);
  private faults: readonly FaultRecord[] = [];
  private lastT = 0;

  /** `clockSize`: a counter already fed by another consumer (the summary's) to listen to; else one of its own. */
  constructor(private readonly clockSize: ClockSizeConsumer | null = null, private readonly ownClockSize: ClockSizeConsumer | null = null) {
    const cs = clockSize ?? ownClockSize;
    if (cs !== null) cs.onSend = (t, n) => { this.counts[S.clock_entries][this.bin(t)] += n; };
  }

  header(h: TraceHeader): void {
    this.nodes = h.nodes;
    this.faults = h.faults;
    const n = h.nodes.length;
    const lanes = Math.max(1, Math.min(n, MAX_LANES));
    this.laneOf = new Int32Array(n);
    this.laneNames = [];
    for (let i = 0; i < n; i++) {
      if (!this.index.has(h.nodes[i])) this.index.set(h.nodes[i], i);
      this.laneOf[i] = Math.floor((i * lanes) / n);
    }
    for (let l = 0; l < lanes; l++) {
      const first = Math.ceil((l * n) / lanes), last = Math.ceil(((l + 1) * n) / lanes) - 1;
      this.laneNames.push(first >= last ? String(h.nodes[first] ?? '') : `${h.nodes[first]}..${h.nodes[last]}`);
    }
    this.activity = this.laneNames.map(() => new Float64Array(MAX_BINS));
    this.firstDeath = new Float64Array(n).fill(-1);
    this.ownClockSize?.header(h);
  }

  /** The bin of time t, merging bins first if t lies past the last one. */
  private bin(t: number): number {
    while (t >= this.binUs * MAX_BINS) this.widen();
    return Math.floor(t / this.binUs);
  }

  private widen(): void {
    const merge = (a: Float64Array): void => {
      for (let i = 0; i < MAX_BINS / 2; i++) a[i] = a[2 * i] + a[2 * i + 1];
      a.fill(0, MAX_BINS / 2);
    };
    this.counts.forEach(merge);
    this.activity.forEach(merge);
    this.binUs *= 2;
  }

  event(e: TraceEvent): void {
    this.ownClockSize?.event(e);
    if (e.t > this.lastT) this.lastT = e.t;
    const b = this.bin(e.t);
    const c = this.counts;
    if ('ev' in e) {
      c[S.events][b]++;
      const i = this.index.get(e.node);
      if (i !== undefined) this.activity[this.laneOf[i]][b]++;
    }
    switch (e.type) {
      case 'send':
        c[S.sends][b]++;
        c[S.chat_bytes][b] += e.bytes;
        return;
      case 'receive':
        c[S.receives][b]++;
        if (e.copy > 0) c[S.duplicates][b]++;
        else if (e.from !== e.node) { c[S.chat_attempts][b]++; c[S.chat_delivered][b]++; }
        return;
      case 'receiver_died': {
        c[S.receiver_deaths][b]++;
        if (e.dg === 'chat' && e.copy === 0 && e.from !== e.node) { c[S.chat_attempts][b]++; c[S.chat_delivered][b]++; }
        const i = this.index.get(e.node);
        if (i !== undefined && this.firstDeath[i] < 0) this.firstDeath[i] = e.t;
        return;
      }
      case 'ignored':
        if (e.dg === 'chat' && e.copy === 0 && e.from !== e.node) c[S.chat_attempts][b]++;
        return;
      case 'drop':
        c[DROP_SERIES[e.outcome]][b]++;
        if (e.dg === 'chat' && e.copy === 0 && e.from !== e.to) c[S.chat_attempts][b]++;
        return;
      default:
        return;
    }
  }

  /** The bins in use: enough to reach the last event. */
  get bins(): number {
    return Math.min(MAX_BINS, Math.floor(this.lastT / this.binUs) + 1);
  }

  /** How the checker should bin its verdicts: the same bins, groups = lanes. */
  verdictSpec(): VerdictDetailSpec {
    const lanes = this.laneNames.length, bins = this.bins, w = this.binUs, laneOf = this.laneOf;
    return {
      groups: lanes, bins,
      groupOf: (slot) => (slot < laneOf.length ? laneOf[slot] : lanes - 1),
      binOf: (t) => Math.min(bins - 1, Math.max(0, Math.floor(t / w))),
    };
  }

  /** The overview as the report embeds it. */
  data(anomalies: readonly Anomaly[], verdicts: VerdictDetail | null): OverviewData {
    const bins = this.bins;
    const cut = (a: Float64Array): number[] => Array.from(a.subarray(0, bins));
    const series = Object.fromEntries(SERIES.map((k, i) => [k, cut(this.counts[i])])) as Record<SeriesName, number[]>;
    const deaths: [number, number, number][] = [];
    this.firstDeath.forEach((t, i) => { if (t >= 0) deaths.push([this.laneOf[i], t, i]); });
    const lanes = this.laneNames.length;
    return {
      binUs: this.binUs, bins, end: this.lastT, series,
      anomalies: binAnomalies(anomalies, (t) => Math.min(bins - 1, Math.floor(t / this.binUs)), bins),
      lanes: { names: this.laneNames, size: this.laneNames.map((_, l) => this.laneOf.filter((x) => x === l).length), activity: this.activity.map(cut), deaths },
      faults: this.faults.slice(0, 2000),
      verdicts: verdicts === null ? null : {
        pairs: Array.from({ length: lanes }, (_, x) => Array.from({ length: lanes }, (_, y) => Array.from(verdicts.pairs.subarray((x * lanes + y) * 4, (x * lanes + y) * 4 + 4)))),
        bins: Array.from({ length: bins }, (_, b) => Array.from(verdicts.bins.subarray(b * 4, b * 4 + 4))),
      },
    };
  }

  /** Node index of a name in the header (for choosing lanes). */
  nodeIndex(name: string): number | undefined {
    return this.index.get(name);
  }

  get nodeNames(): readonly string[] {
    return this.nodes;
  }
}

/** Anomalies per kind per bin. */
export function binAnomalies(anomalies: readonly Anomaly[], binOf: (t: number) => number, bins: number): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const a of anomalies) (out[a.kind] ??= new Array<number>(bins).fill(0))[binOf(a.t)]++;
  return out;
}

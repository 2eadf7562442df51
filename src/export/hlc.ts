// Hybrid logical clocks against physical time (docs/clocks.md, "hlc"), from the trace alone:
// at every chat send and receive, how far the HLC's logical part l is ahead of the node's
// physical clock (the header's physical_clocks, or true time without them), and the skew
// bound the HLC theorem gives at that moment (the fastest physical clock minus this node's).

import { HLC_C_LIMIT, physicalTime, type PhysicalClock } from '../core/stamps.js';
import type { TraceConsumer } from '../trace/bus.js';
import type { TraceEvent, TraceHeader } from '../trace/events.js';

export interface HlcReport {
  /** The largest l - pt over the run's sends and receives, microseconds (>= 0: l never trails pt). */
  max_distance_us: number;
  /** The largest skew among the physical clocks at those events (the bound on max_distance_us). */
  skew_bound_us: number;
  /** Events where l was behind the node's physical time or past the fastest clock (0 if HLC is right). */
  out_of_bound: number;
}

export class HlcConsumer implements TraceConsumer {
  readonly report: HlcReport = { max_distance_us: 0, skew_bound_us: 0, out_of_bound: 0 };
  private clocks = new Map<string, PhysicalClock>();
  private all: PhysicalClock[] = [];

  header(h: TraceHeader): void {
    const rec = h.physical_clocks ?? {};
    this.clocks = new Map(Object.keys(rec).map((n) => [n, { offset: rec[n].offset_us, driftPpm: rec[n].drift_ppm }]));
    this.all = [...this.clocks.values()];
  }

  event(e: TraceEvent): void {
    if (e.type !== 'send' && e.type !== 'receive') return;
    if (typeof e.after !== 'number') return;
    const l = Math.floor(e.after / HLC_C_LIMIT);
    const pt = physicalTime(this.clocks.get(e.node), e.t);
    let fastest = pt;
    for (const c of this.all) {
      const p = physicalTime(c, e.t);
      if (p > fastest) fastest = p;
    }
    const r = this.report;
    if (l - pt > r.max_distance_us) r.max_distance_us = l - pt;
    if (fastest - pt > r.skew_bound_us) r.skew_bound_us = fastest - pt;
    if (l < pt || l > fastest) r.out_of_bound++;
  }
}

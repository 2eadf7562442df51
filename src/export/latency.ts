// Chat latency from the trace: `t - sent` of every first copy of a chat message received by
// another node, and its quantiles (nearest rank). Keeps every sample in memory (one number
// per receive), so it is meant for validation-sized runs, not for million-node sweeps.

import type { TraceConsumer } from '../trace/bus.js';
import type { TraceEvent } from '../trace/events.js';

export interface LatencyQuantiles {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

export class LatencyConsumer implements TraceConsumer {
  private readonly samples: number[] = [];
  private dirty = false;

  event(e: TraceEvent): void {
    if (e.type === 'receive' && e.copy === 0 && e.from !== e.node) {
      this.samples.push(e.t - e.sent);
      this.dirty = true;
    }
  }

  /** The p-quantile (nearest rank, p clamped to 0..1) in trace microseconds divided by `scale`; 0 with no sample. */
  at(p: number, scale = 1): number {
    const s = this.sorted();
    if (s.length === 0) return 0;
    const rank = Math.min(s.length, Math.max(1, Math.ceil(Math.min(1, Math.max(0, p)) * s.length)));
    return Math.round(s[rank - 1] / scale);
  }

  private sorted(): number[] {
    if (this.dirty) {
      this.samples.sort((a, b) => a - b);
      this.dirty = false;
    }
    return this.samples;
  }

  /** Quantiles in trace microseconds, each divided by `scale` (a live run's time scale). */
  quantiles(scale = 1): LatencyQuantiles {
    const s = this.sorted();
    const q = (p: number): number => (s.length === 0 ? 0 : Math.round(s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] / scale));
    return { count: s.length, p50: q(0.5), p90: q(0.9), p99: q(0.99), max: s.length === 0 ? 0 : Math.round(s[s.length - 1] / scale) };
  }
}

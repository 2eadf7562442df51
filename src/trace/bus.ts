// The trace bus: hands each event to every consumer, in order, encoding its JSONL line at
// most once and only if some consumer wants lines. It also carries backpressure: a driver
// asks `backlogged` between batches and awaits `drain()` so that output buffers stay bounded
// however long the run.

import type { ClockSnapshot } from '../core/clock.js';
import { TraceEncoder } from './encode.js';
import type { TraceEvent, TraceHeader } from './events.js';

export interface TraceConsumer {
  /** True if `event` needs the encoded line (which includes clocks). */
  readonly wantsLines?: boolean;
  /** True if `event` reads the events' clocks (`before`, `after`). */
  readonly wantsClocks?: boolean;
  header?(h: TraceHeader, line: string): void;
  event(e: TraceEvent, line: string): void;
  /** True when output is buffered past its high-water mark. */
  backlogged?(): boolean;
  drain?(): Promise<void>;
  /** Called once after the last event. */
  end?(): void | Promise<void>;
  /**
   * The counting path: the same as `event` for a `receive` event (dg `chat`), given as
   * integers (node indexes of the header's list) instead of an event object. `after` is the
   * receiver's clock after the merge, a live view (clocks are not recorded on this path).
   */
  countReceive?(t: number, node: number, from: number, msg: number, copy: number, after: ClockSnapshot): void;
}

export class TraceBus {
  private readonly wantsLines: boolean;
  /** Format 2 is stateful (names seen, each node's last clock): one encoder per trace. */
  private readonly encoder = new TraceEncoder();
  /** Whether producers must record clock snapshots in events (else they may skip them). */
  readonly wantsClocks: boolean;
  /**
   * True when no consumer needs event objects for chat receives (none records clocks and
   * every one counts them): a producer may call `countReceive` instead of `emit` for them.
   */
  readonly counting: boolean;
  private readonly counters: readonly TraceConsumer[];

  constructor(private readonly consumers: readonly TraceConsumer[]) {
    this.wantsLines = consumers.some((c) => c.wantsLines === true);
    this.wantsClocks = this.wantsLines || consumers.some((c) => c.wantsClocks === true);
    this.counting = !this.wantsClocks && consumers.every((c) => c.countReceive !== undefined);
    this.counters = this.counting ? consumers : [];
  }

  /** A chat receive on the counting path (see TraceConsumer.countReceive); `counting` must be true. */
  countReceive(t: number, node: number, from: number, msg: number, copy: number, after: ClockSnapshot): void {
    const cs = this.counters;
    for (let i = 0; i < cs.length; i++) cs[i].countReceive!(t, node, from, msg, copy, after);
  }

  header(h: TraceHeader): void {
    const line = this.encoder.header(h);
    for (const c of this.consumers) c.header?.(h, line);
  }

  emit(e: TraceEvent): void {
    const line = this.wantsLines ? this.encoder.event(e) : '';
    const cs = this.consumers;
    for (let i = 0; i < cs.length; i++) cs[i].event(e, line);
  }

  backlogged(): boolean {
    return this.consumers.some((c) => c.backlogged?.() === true);
  }

  async drain(): Promise<void> {
    for (const c of this.consumers) if (c.backlogged?.() === true) await c.drain?.();
  }

  async end(): Promise<void> {
    for (const c of this.consumers) await c.end?.();
  }
}

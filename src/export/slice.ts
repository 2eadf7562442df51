// The part of a run that the pictures show: the events of the shown nodes inside a time
// window, with the true vector timestamps of its chat events (computed over the whole run, so
// causality through events outside the slice still counts). Built incrementally as events
// stream past, from a live run or from trace.jsonl, and bounded: past the drawing limits it
// stops keeping events and only counts them, so a huge run costs no memory here.

import type { TraceEvent, TraceHeader } from '../trace/events.js';
import { TruthTracker, type TrueClock } from './causal.js';
import type { PlainEvent } from './plain.js';

/** Past these, a slice is not drawn: the diagram says so and names the flags that cut it. */
export const DRAW_LIMITS = { events: 10_000, nodes: 60 } as const;

export interface SliceOptions {
  /** [from, to] in microseconds, inclusive; null for the whole run. */
  readonly window?: readonly [number, number] | null;
  /** Lanes to show, in this order; null for every node. */
  readonly nodes?: readonly string[] | null;
  /**
   * Track the truth (true vector timestamps; default true). Each chat receipt costs O(nodes),
   * so the part of a very large run drawn after it skips it (see TRUTH_NODES in visuals.ts).
   */
  readonly truth?: boolean;
}

export interface RunSlice {
  readonly header: TraceHeader;
  readonly nodes: readonly string[];
  readonly window: readonly [number, number];
  readonly windowed: boolean;
  /** The events drawn, in trace order (empty when tooLarge). */
  readonly events: readonly PlainEvent[];
  /** True vector timestamps of the chat events kept, by `ev`. */
  readonly truth: ReadonlyMap<number, TrueClock>;
  /** Events (node events, drops) of the slice, counted even when not kept. */
  readonly count: number;
  /** The last time in the run. */
  readonly end: number;
  /** The time of the slice's first chat send (null if none), to suggest a window. */
  readonly firstSend: number | null;
  readonly tooLarge: boolean;
}

/** Does the event belong to a slice showing `shown` nodes (null: all)? */
function inNodes(e: PlainEvent, shown: ReadonlySet<string> | null): boolean {
  if (shown === null) return true;
  switch (e.type) {
    case 'drop': return shown.has(e.to) && shown.has(e.from);
    case 'fault': case 'end': return true;
    default: {
      // A node event on a shown lane (its arrow is drawn only if the sender is shown too).
      const n = (e as { node?: unknown }).node;
      return typeof n === 'string' && shown.has(n);
    }
  }
}

export class SliceBuilder {
  private readonly truthTracker: TruthTracker | null;
  private readonly truth = new Map<number, TrueClock>();
  private events: PlainEvent[] = [];
  private count = 0;
  private end = 0;
  private firstSend: number | null = null;
  private readonly shown: ReadonlySet<string> | null;
  private readonly from: number;
  private readonly to: number;

  constructor(private readonly header: TraceHeader, private readonly opts: SliceOptions = {}) {
    this.shown = opts.nodes ? new Set(opts.nodes) : null;
    this.truthTracker = opts.truth === false ? null : new TruthTracker();
    this.from = opts.window?.[0] ?? 0;
    this.to = opts.window?.[1] ?? Number.MAX_SAFE_INTEGER;
  }

  get tooLarge(): boolean {
    return this.count > DRAW_LIMITS.events || (this.opts.nodes ?? this.header.nodes).length > DRAW_LIMITS.nodes;
  }

  add(e: PlainEvent): void {
    if (this.tooLarge) return this.countOnly(e);
    if (e.t > this.end) this.end = e.t;
    const vt = this.truthTracker === null ? null : this.truthTracker.step(e);
    if (e.type === 'end' || e.type === 'ignored') return;
    if (e.t < this.from || e.t > this.to) {
      // A partition that started before the window still shades it.
      if (e.type === 'fault') this.events.push(e);
      return;
    }
    if (!inNodes(e, this.shown)) return;
    if (e.type !== 'fault') this.count++;
    if (e.type === 'send') this.firstSend ??= e.t;
    if (this.tooLarge) {
      // Past the limits: drop what was kept; from now on events are only counted.
      this.events = [];
      this.truth.clear();
      return;
    }
    this.events.push(e);
    if (vt !== null) this.truth.set((e as { ev: number }).ev, this.truthTracker!.record(vt));
  }

  /** Notes that the run went on at least until `t` (when reading stops past the window). */
  seen(t: number): void {
    if (t > this.end) this.end = t;
  }

  /**
   * Counts an event of a slice that is already too large to draw (the clocks are not read,
   * so a live event can be passed as it is, unconverted).
   */
  countOnly(e: PlainEvent | TraceEvent): void {
    if (e.t > this.end) this.end = e.t;
    if (e.type === 'end' || e.type === 'ignored' || e.type === 'fault') return;
    if (e.t < this.from || e.t > this.to || !inNodes(e as PlainEvent, this.shown)) return;
    this.count++;
    if (e.type === 'send') this.firstSend ??= e.t;
  }

  finish(): RunSlice {
    const nodes = this.opts.nodes ?? this.header.nodes;
    const windowed = this.opts.window != null;
    const window: [number, number] = [this.from, windowed ? Math.min(this.to, Math.max(this.end, this.from)) : this.end];
    return {
      header: this.header, nodes, window, windowed, events: this.tooLarge ? [] : this.events,
      truth: this.truth, count: this.count, end: this.end, firstSend: this.firstSend, tooLarge: this.tooLarge,
    };
  }
}

// The causality checker: a trace consumer that keeps the causal events of the run with their
// clocks under test and their true vector timestamps, then judges the clocks against the
// truth (./verdicts.ts) and lists the pairs for orderings.csv. `checkTrace` runs it over an
// array or stream of events, for the benchmark and for other programs.
//
// Memory: it holds, per event in its widest scope, the clock as a dense vector and the true
// timestamp (about 12 bytes per node per event, in large chunks: ./store.ts), plus one true
// timestamp per send. When
// that passes `maxCells` (events x nodes) it drops everything and reports itself skipped,
// with a note; `enabled: false` switches it off outright.

import type { TraceConsumer } from '../trace/bus.js';
import type { TraceEvent, TraceHeader } from '../trace/events.js';
import { ClockDims, clockRelation, leq, orderOf, type AnyClock, type ClockRelation, type Dense } from './clocks.js';
import { Truth, trueRelation, type TrueRelation } from './truth.js';
import { EventStore } from './store.js';
import { binDetail } from './online.js';
import { VerdictCounting, type Counts } from './counting.js';
import { type CausalEvent, type VerdictCounts, type VerdictDetail, type VerdictDetailSpec } from './verdicts.js';

export type CheckScope = 'sends' | 'all';
export const CHECK_SCOPES = ['sends', 'all'] as const;

/** Default limit on kept cells (events x nodes): about 120 MB. */
export const DEFAULT_MAX_CELLS = 10_000_000;

export interface CheckerOptions {
  /** The scope of the headline figures. Default `all`. */
  readonly scope?: CheckScope;
  /** Keep receives even if `scope` is `sends` (for orderings.csv of scope all). */
  readonly keepReceives?: boolean;
  readonly enabled?: boolean;
  readonly maxCells?: number;
  /** Count on a worker thread once the run is large (./counting.ts); default false. */
  readonly worker?: boolean;
}

export type CheckerStatus = 'done' | 'off' | 'skipped';

/** The checker's figures in the summary (`checker.*`). */
export type CheckerFigures =
  | { status: 'off' | 'skipped'; note: string }
  | ({ status: 'done'; scope: CheckScope; clock: string } & VerdictCounts & { sends: VerdictCounts; all?: VerdictCounts });

export interface Verdict {
  readonly a: CausalEvent;
  readonly b: CausalEvent;
  readonly clock: ClockRelation;
  readonly truth: TrueRelation;
  readonly category: Category;
}

export type Category = 'agree' | 'missed' | 'false_order' | 'reversed';

export function categorize(clock: ClockRelation, truth: TrueRelation): Category {
  if (truth === 'concurrent') return clock === 'before' || clock === 'after' ? 'false_order' : 'agree';
  if (clock === truth) return 'agree';
  if (clock === 'concurrent' || clock === 'equal') return 'missed';
  return 'reversed';
}

export class CausalityChecker implements TraceConsumer {
  readonly scope: CheckScope;
  private readonly keepReceives: boolean;
  /** Receives are kept for listing (orderings.csv of scope all), not only counted. */
  private readonly listReceives: boolean;
  private readonly worker: boolean;
  private readonly maxCells: number;
  private status: CheckerStatus;
  private note = '';
  private truth: Truth | null = null;
  private readonly dims = new ClockDims();
  private events = new EventStore();
  private clockRule = '';
  /** The order of the clocks' views (componentwise, or the rule's own). */
  private order: (x: Dense, y: Dense) => boolean = leq;
  private figures: CheckerFigures | null = null;
  private detailSpec: (() => VerdictDetailSpec) | null = null;
  private detailOut: VerdictDetail | null = null;
  /** The verdicts, counted as the events come (./counting.ts). */
  private counting: VerdictCounting | null = null;
  /** False once the count went to a worker thread and the receives were no longer kept here. */
  private allKept = true;
  private released = false;
  /** The checker reads the clocks of sends and receives: producers must record them. */
  readonly wantsClocks: boolean;

  constructor(opts: CheckerOptions = {}) {
    this.scope = opts.scope ?? 'all';
    this.keepReceives = this.scope === 'all' || opts.keepReceives === true;
    this.listReceives = opts.keepReceives === true;
    this.worker = opts.worker === true;
    this.maxCells = opts.maxCells ?? DEFAULT_MAX_CELLS;
    this.status = opts.enabled === false ? 'off' : 'done';
    this.wantsClocks = this.status !== 'off';
    if (this.status === 'off') this.note = 'checker switched off (--checker off)';
  }

  /** The counting path: only taken when no consumer records clocks, so only while switched off. */
  countReceive(): void {
    if (this.status !== 'off') throw new Error('bug: the checker is on, but a receive was counted rather than traced');
  }

  header(h: TraceHeader): void {
    this.clockRule = h.clock;
    this.order = orderOf(h.clock);
    if (this.status !== 'done') return;
    const n = h.nodes.length;
    if (n * n > this.maxCells) return this.skip(`${n} nodes: ${n} x ${n} true timestamps exceed the checker's limit of ${this.maxCells} cells`);
    this.truth = new Truth(h.nodes, h.transport !== 'sim');
    // The headline scope's counter also notes where its verdicts fall, when the report asked.
    this.counting = new VerdictCounting({ clock: h.clock, order: this.order, all: this.keepReceives, detailScope: this.scope, detail: this.detailSpec, worker: this.worker });
  }

  event(e: TraceEvent): void {
    const truth = this.truth;
    if (truth === null) return;
    switch (e.type) {
      case 'send':
        this.keep(e.ev, e.t, e.node, 'send', e.msg, truth.send(e.node, e.msg), e.after);
        return;
      case 'receive':
        if (e.dg !== 'chat') return;
        this.keep(e.ev, e.t, e.node, 'receive', e.msg, truth.receive(e.node, e.msg), e.after);
        return;
      case 'receiver_died':
        // The node read the datagram: causally after its send, but out of scope (an anomaly).
        if (e.dg === 'chat') truth.receive(e.node, e.msg);
        return;
      default:
        return;
    }
  }

  private keep(ev: number, t: number, node: string, kind: 'send' | 'receive', msg: number, vt: Int32Array, clock: AnyClock): void {
    if (kind === 'receive' && !this.keepReceives) return;
    const truth = this.truth!;
    const counting = this.counting!;
    const slot = truth.slot(node), dense = this.dims.dense(clock);
    // Once a worker counts, this thread keeps only what orderings.csv may list.
    if (counting.onWorker && kind === 'receive' && !this.listReceives) {
      this.allKept = false;
      counting.add({ ev, t, node: slot, kind, msg, clock: dense, vt });
    } else counting.add(this.events.push(ev, t, slot, kind, msg, dense, vt));
    const cells = counting.events * Math.max(truth.size, this.dims.size) + truth.cells;
    if (cells > this.maxCells) {
      this.skip(`more than ${this.maxCells} cells (events x nodes) to keep after ${counting.events} events; rerun with fewer nodes or events, or --scope sends`);
    }
  }

  backlogged(): boolean {
    return this.counting?.backlogged() === true;
  }

  drain(): Promise<void> {
    return this.counting?.drain() ?? Promise.resolve();
  }

  private skip(note: string): void {
    this.status = 'skipped';
    this.note = note;
    this.truth?.clear();
    this.truth = null;
    this.events = new EventStore();
    this.counting?.close();
    this.counting = null;
  }

  /** After the last event: takes the counts (from the worker thread, when one counted). */
  async end(): Promise<void> {
    if (this.figures !== null || this.status !== 'done' || this.counting === null) return;
    this.figure(await this.counting.finish());
  }

  /** Stops a worker thread still counting (a run that failed). */
  close(): void {
    this.counting?.close();
  }

  /** The figures (computed once, after the last event). */
  result(): CheckerFigures {
    if (this.figures !== null) return this.figures;
    if (this.status !== 'done') return (this.figures = { status: this.status, note: this.note });
    const counting = this.counting ?? new VerdictCounting({ clock: this.clockRule, order: this.order, all: this.keepReceives, detailScope: this.scope, detail: null, worker: false });
    return this.figure(counting.local());
  }

  private figure(c: Counts): CheckerFigures {
    const { sends, all } = c;
    // Where the headline scope's verdicts fall, with the bins as they are at the end.
    const spec = this.detailSpec?.() ?? null;
    if (spec !== null && c.parts !== null) this.detailOut = binDetail(c.parts, spec);
    const head = this.scope === 'all' ? all! : sends;
    this.figures = { status: 'done', scope: this.scope, clock: this.clockRule, ...head, sends, ...(all ? { all } : {}) };
    return this.figures;
  }

  /**
   * Asks for where the headline verdicts fall (per pair of node groups, per time bin); `spec`
   * is read when the figures are computed, after the last event. See detail().
   */
  wantDetail(spec: () => VerdictDetailSpec): void {
    this.detailSpec = spec;
  }

  /** The verdicts' detail, if asked for with wantDetail and the checker ran; else null. */
  detail(): VerdictDetail | null {
    this.result();
    return this.detailOut;
  }

  /**
   * Drops the kept events and true timestamps once the figures, the detail and the pairs
   * are taken (a run's later work, the pictures, has the memory); canList is false after.
   */
  release(): void {
    this.result();
    this.truth?.clear();
    this.events = new EventStore();
    this.counting?.close();
    this.counting = null;
    this.released = true;
  }

  /** True if the pairs of `scope` can be listed (the checker kept its events). */
  canList(scope: CheckScope): boolean {
    return this.status === 'done' && !this.released && (scope === 'sends' || (this.keepReceives && this.allKept));
  }

  /** Why the checker has no figures, or ''. */
  get why(): string {
    return this.note;
  }

  /** Events in `scope`, in trace order. */
  inScope(scope: CheckScope): CausalEvent[] {
    if (scope === 'all' && !this.allKept) throw new Error('bug: the receives were counted on a worker thread, not kept (CheckerOptions.keepReceives keeps them)');
    return this.events.events(scope === 'sends');
  }

  nodeName(slot: number): string {
    return this.truth?.nameOf(slot) ?? '';
  }

  /** Number of pairs `pairs(scope)` yields. */
  pairCount(scope: CheckScope): number {
    const n = scope === 'sends' || this.allKept ? this.events.count(scope === 'sends') : this.counting?.events ?? 0;
    return (n * (n - 1)) / 2;
  }

  /** Every pair (a before b in trace order) with its verdict. */
  *pairs(scope: CheckScope): Generator<Verdict> {
    const evs = this.inScope(scope);
    for (let i = 0; i < evs.length; i++) {
      const a = evs[i];
      for (let j = i + 1; j < evs.length; j++) {
        const b = evs[j];
        const clock = clockRelation(a.clock, b.clock, this.order);
        const truth = trueRelation(a.node, a.vt, b.node, b.vt);
        yield { a, b, clock, truth, category: categorize(clock, truth) };
      }
    }
  }
}

/** Runs the checker over a header and its events (an array or any stream of them). */
export async function checkTrace(header: TraceHeader, events: Iterable<TraceEvent> | AsyncIterable<TraceEvent>, opts: CheckerOptions = {}): Promise<{ checker: CausalityChecker; figures: CheckerFigures }> {
  const checker = new CausalityChecker(opts);
  checker.header(header);
  if (Symbol.iterator in events) for (const e of events) checker.event(e);
  else for await (const e of events) checker.event(e);
  return { checker, figures: checker.result() };
}

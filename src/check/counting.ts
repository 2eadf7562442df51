// Where the checker's verdicts are counted: on the main thread, or, once a run has kept
// WORKER_AFTER events, on a worker thread beside the run (./remote.ts). A small run never
// starts a thread: its events wait here and are counted at the end (./online.ts). A large
// one hands the waiting events to the worker and streams the rest. Either way the counts
// and the detail are the same numbers (the worker counts the same events in the same order).

import type { Dense } from './clocks.js';
import { OnlineVerdicts, type DetailParts } from './online.js';
import { RemoteVerdicts } from './remote.js';
import type { CausalEvent, VerdictCounts, VerdictDetailSpec } from './verdicts.js';

/** Events kept before the count moves to a worker thread. */
export const WORKER_AFTER = 4096;

export interface CountingOptions {
  readonly clock: string;
  readonly order: (x: Dense, y: Dense) => boolean;
  /** Count scope all too (else the sends only). */
  readonly all: boolean;
  /** The scope whose counter notes where its verdicts fall (the headline scope). */
  readonly detailScope: 'sends' | 'all';
  /** Asked at the first event for the detail's groups; null: no detail. */
  readonly detail: (() => VerdictDetailSpec) | null;
  /** May use a worker thread. */
  readonly worker: boolean;
}

export interface Counts {
  readonly sends: VerdictCounts;
  readonly all: VerdictCounts | null;
  readonly parts: DetailParts | null;
}

export class VerdictCounting {
  private spec: VerdictDetailSpec | null = null;
  private groups = 0;
  private pending: { e: CausalEvent; group: number }[] = [];
  private remote: RemoteVerdicts | null = null;
  private n = 0;

  constructor(private readonly opts: CountingOptions) {}

  /** Events counted so far. */
  get events(): number {
    return this.n;
  }

  /** True once the count runs on a worker thread (the events need not be kept here). */
  get onWorker(): boolean {
    return this.remote !== null;
  }

  add(e: CausalEvent): void {
    if (this.n++ === 0 && this.opts.detail !== null) {
      this.spec = this.opts.detail();
      this.groups = this.spec.groups;
    }
    const group = this.spec === null ? 0 : this.spec.groupOf(e.node);
    if (this.remote !== null) return this.remote.add(e, group);
    this.pending.push({ e, group });
    if (this.opts.worker && this.pending.length >= WORKER_AFTER) {
      this.remote = new RemoteVerdicts({ clock: this.opts.clock, all: this.opts.all, detailScope: this.opts.detailScope, groups: this.groups });
      for (const p of this.pending) this.remote.add(p.e, p.group);
      this.pending = [];
    }
  }

  backlogged(): boolean {
    return this.remote?.backlogged() === true;
  }

  drain(): Promise<void> {
    return this.remote?.drain() ?? Promise.resolve();
  }

  /** The counts, on this thread (no worker was started). */
  local(): Counts {
    if (this.remote !== null) throw new Error('bug: the checker counts on a worker thread; await its end() first');
    const d = this.opts.detailScope;
    const sends = new OnlineVerdicts(this.opts.order, d === 'sends' ? this.groups : 0);
    const all = this.opts.all ? new OnlineVerdicts(this.opts.order, d === 'all' ? this.groups : 0) : null;
    for (const { e, group } of this.pending) {
      if (e.kind === 'send') sends.add(e, group);
      all?.add(e, group);
    }
    const head = d === 'all' ? all : sends;
    return { sends: sends.counts(), all: all?.counts() ?? null, parts: this.spec === null || head === null ? null : head.detailParts() };
  }

  /** The counts, from the worker when one was started. */
  async finish(): Promise<Counts> {
    if (this.remote === null) return this.local();
    const c = await this.remote.finish();
    return { ...c, parts: this.spec === null ? null : c.parts };
  }

  close(): void {
    this.remote?.close();
    this.pending = [];
  }
}

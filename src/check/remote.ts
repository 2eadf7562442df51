// The checker's verdicts counted on a worker thread (./worker.ts) while the run goes on:
// the main thread appends each event in scope to a batch (./batch.ts) and hands full batches
// over; the worker counts them in order, so the counts are the same whatever the threads'
// timing. Backpressure: past MAX_IN_FLIGHT unacknowledged batches the checker says it is
// backlogged and the driver waits (memory stays flat however long the run). A worker that
// fails makes the run fail with a clear error (the run's files are then removed, as for any
// failure).

import { Worker } from 'node:worker_threads';
import { compiledUrl } from '../util/pool.js';
import { BatchWriter } from './batch.js';
import type { DetailParts } from './online.js';
import type { CausalEvent, VerdictCounts } from './verdicts.js';

/** Batches (about 1 MB each) handed over and not yet counted, before the run waits. */
const MAX_IN_FLIGHT = 8;
const YOUNG_MB = 4;

export interface RemoteCounts {
  readonly sends: VerdictCounts;
  readonly all: VerdictCounts | null;
  readonly parts: DetailParts | null;
}

export interface RemoteOptions {
  readonly clock: string;
  readonly all: boolean;
  readonly detailScope: 'sends' | 'all';
  readonly groups: number;
}

export class RemoteVerdicts {
  private readonly worker: Worker;
  private readonly batch = new BatchWriter();
  private inFlight = 0;
  private error: Error | null = null;
  private waiting: { resolve: () => void; reject: (e: Error) => void } | null = null;
  private final: { resolve: (c: RemoteCounts) => void; reject: (e: Error) => void } | null = null;
  private done = false;

  constructor(opts: RemoteOptions) {
    // A small young generation: the worker's garbage is short-lived, and every MB counts in the run's peak.
    this.worker = new Worker(compiledUrl(import.meta.url, './worker.js'), { workerData: opts, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB } });
    // The run waits on the worker where it must (end, drain); an idle worker keeps nothing alive.
    this.worker.unref();
    this.worker.on('message', (m: { ack?: boolean; error?: string } & Partial<RemoteCounts>) => {
      if (m.error !== undefined) return this.fail(new Error(`vcsim: the checker's worker thread failed: ${m.error}`));
      if (m.ack === true) {
        this.inFlight--;
        if (this.waiting !== null && this.inFlight <= MAX_IN_FLIGHT / 2) { this.waiting.resolve(); this.waiting = null; }
        return;
      }
      this.done = true;
      this.final?.resolve({ sends: m.sends!, all: m.all ?? null, parts: m.parts ?? null });
    });
    this.worker.on('error', (e) => this.fail(new Error(`vcsim: the checker's worker thread failed: ${e.message}`)));
    this.worker.on('exit', (code) => {
      if (!this.done) this.fail(new Error(`vcsim: the checker's worker thread stopped before its counts (exit code ${code})`));
    });
  }

  private fail(e: Error): void {
    if (this.error !== null) return;
    this.error = e;
    this.waiting?.reject(e);
    this.final?.reject(e);
    this.waiting = this.final = null;
  }

  add(e: CausalEvent, group: number): void {
    if (this.error !== null) throw this.error;
    if (!this.batch.add(e, group)) {
      this.send();
      this.batch.add(e, group);
    }
  }

  private send(): void {
    const b = this.batch.take();
    this.inFlight++;
    this.worker.postMessage({ batch: b }, [b.buffer as ArrayBuffer]);
  }

  backlogged(): boolean {
    return this.error !== null || this.inFlight > MAX_IN_FLIGHT;
  }

  drain(): Promise<void> {
    if (this.error !== null) return Promise.reject(this.error);
    if (this.inFlight <= MAX_IN_FLIGHT) return Promise.resolve();
    return new Promise((resolve, reject) => { this.waiting = { resolve, reject }; });
  }

  /** Sends what is left and waits for the counts; the worker then ends. */
  finish(): Promise<RemoteCounts> {
    if (this.error !== null) return Promise.reject(this.error);
    if (!this.batch.empty) this.send();
    const p = new Promise<RemoteCounts>((resolve, reject) => { this.final = { resolve, reject }; });
    this.worker.ref();
    this.worker.postMessage({ end: true });
    return p.finally(() => this.worker.unref());
  }

  /** Stops the worker (a run that failed or was stopped). */
  close(): void {
    this.done = true;
    void this.worker.terminate();
  }
}

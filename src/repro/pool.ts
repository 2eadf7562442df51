// A pool of worker threads that run jobs of one scenario (src/repro/worker.ts). Jobs go to
// the first idle worker in submission order, or to a named worker. Workers run the compiled
// code in dist/ (built by `npm run build`), also when the caller runs from the sources.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Job, JobResult } from './jobs.js';

export function workerUrl(): URL {
  const here = import.meta.url;
  const url = here.endsWith('.ts') ? new URL('../../dist/repro/worker.js', here) : new URL('./worker.js', here);
  if (!existsSync(fileURLToPath(url))) throw new Error(`vcsim: ${fileURLToPath(url)} is missing; run npm run build`);
  return url;
}

interface Pending {
  readonly job: Job;
  readonly worker: number | undefined;
  resolve(v: JobResult): void;
  reject(e: Error): void;
}

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly busy: (Pending | null)[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 0;
  private closing = false;

  /** `input` null: a pool for jobs that carry their own scenario (type `scenario`). */
  constructor(size: number, input: Record<string, unknown> | null, origin: string) {
    const url = workerUrl();
    for (let i = 0; i < size; i++) {
      const w = new Worker(url, { workerData: { input, origin } });
      w.on('message', (m: { ok: boolean; value?: JobResult; error?: string }) => this.done(i, m));
      w.on('error', (e) => this.fail(i, e));
      w.on('exit', (code) => {
        if (!this.closing) this.fail(i, new Error(`vcsim: worker ${i} exited unexpectedly (code ${code})`));
      });
      this.workers.push(w);
      this.busy.push(null);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Runs a job on the next idle worker, or on worker `worker` if given. */
  run<R extends JobResult>(job: Job, worker?: number): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ job, worker, resolve: resolve as (v: JobResult) => void, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (let q = 0; q < this.queue.length; q++) {
      const p = this.queue[q];
      const i = p.worker ?? this.busy.indexOf(null);
      if (i < 0 || this.busy[i] !== null) continue;
      this.queue.splice(q--, 1);
      this.busy[i] = p;
      this.workers[i].postMessage({ id: this.nextId++, job: p.job });
    }
  }

  private done(i: number, m: { ok: boolean; value?: JobResult; error?: string }): void {
    const p = this.busy[i];
    this.busy[i] = null;
    if (p) {
      if (m.ok) p.resolve(m.value!);
      else p.reject(new Error(`in worker ${i}: ${m.error ?? 'unknown error'}`));
    }
    this.dispatch();
  }

  private fail(i: number, e: Error): void {
    const p = this.busy[i];
    this.busy[i] = null;
    p?.reject(e);
    for (const q of this.queue.splice(0)) q.reject(e);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

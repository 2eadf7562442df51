// A pool of worker threads, each running one entry module (the caller names it), that
// answer jobs posted as {id, job} with {id, ok, value} or {id, ok: false, error}. Jobs go to
// the first idle worker in submission order, or to a named worker. Knows nothing of what a
// job is: src/repro/jobs.ts defines vcsim's jobs and src/repro/worker.ts answers them.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * The compiled form of a worker entry module next to `here` (an `import.meta.url`). Workers
 * run the compiled code in dist/, also when the caller runs from the sources (vitest), so a
 * worker started from `src/x/y.ts` runs `dist/x/<file>`.
 */
export function compiledUrl(here: string, file: string): URL {
  const url = here.endsWith('.ts') ? new URL(file, here.replace('/src/', '/dist/')) : new URL(file, here);
  if (!existsSync(fileURLToPath(url))) throw new Error(`vcsim: ${fileURLToPath(url)} is missing; run npm run build`);
  return url;
}

interface Pending<J, R> {
  readonly job: J;
  readonly worker: number | undefined;
  resolve(v: R): void;
  reject(e: Error): void;
}

interface Reply<R> {
  readonly ok: boolean;
  readonly value?: R;
  readonly error?: string;
}

export class WorkerPool<J, R> {
  private readonly workers: Worker[] = [];
  private readonly busy: (Pending<J, R> | null)[] = [];
  private readonly queue: Pending<J, R>[] = [];
  private nextId = 0;
  private closing = false;

  /** `size` workers running `entry`, each given `workerData`. */
  constructor(entry: URL, size: number, workerData: unknown) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(entry, { workerData });
      w.on('message', (m: Reply<R>) => this.done(i, m));
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
  run<T extends R>(job: J, worker?: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ job, worker, resolve: resolve as (v: R) => void, reject });
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

  private done(i: number, m: Reply<R>): void {
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

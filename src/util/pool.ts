// A pool of worker threads, each running one entry module (the caller names it), that
// answer jobs posted as {id, job} with {id, ok, value} or {id, ok: false, error}. Jobs go to
// the least busy worker in submission order, or to a named worker; a worker may be given a
// few jobs at once (`depth`), so that it never waits for the next. Knows nothing of what a
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
  readonly id: number;
  readonly ok: boolean;
  readonly value?: R;
  readonly error?: string;
}

export class WorkerPool<J, R> {
  private readonly workers: Worker[] = [];
  /** Jobs posted to each worker and not yet answered, by message id. */
  private readonly posted: Map<number, Pending<J, R>>[] = [];
  private readonly queue: Pending<J, R>[] = [];
  private nextId = 0;
  private closing = false;

  /**
   * `size` workers running `entry`, each given `workerData`. A worker is given up to `depth`
   * jobs at once: with more than 1 its next job already waits in its message queue when it
   * finishes one (the entry must then answer its jobs one after another, as src/repro/worker.ts does).
   */
  constructor(entry: URL, size: number, workerData: unknown, readonly depth = 1) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(entry, { workerData });
      w.on('message', (m: Reply<R>) => this.done(i, m));
      w.on('error', (e) => this.fail(i, e));
      w.on('exit', (code) => {
        if (!this.closing) this.fail(i, new Error(`vcsim: worker ${i} exited unexpectedly (code ${code})`));
      });
      this.workers.push(w);
      this.posted.push(new Map());
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Runs a job on the least busy worker (the first of those), or on worker `worker` if given. */
  run<T extends R>(job: J, worker?: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ job, worker, resolve: resolve as (v: R) => void, reject });
      this.dispatch();
    });
  }

  private leastBusy(): number {
    let best = -1;
    for (let i = 0; i < this.workers.length; i++) if (this.posted[i].size < this.depth && (best < 0 || this.posted[i].size < this.posted[best].size)) best = i;
    return best;
  }

  private dispatch(): void {
    for (let q = 0; q < this.queue.length; q++) {
      const p = this.queue[q];
      const i = p.worker ?? this.leastBusy();
      if (i < 0 || this.posted[i].size >= this.depth) continue;
      this.queue.splice(q--, 1);
      const id = this.nextId++;
      this.posted[i].set(id, p);
      this.workers[i].postMessage({ id, job: p.job });
    }
  }

  private done(i: number, m: Reply<R>): void {
    const p = this.posted[i].get(m.id);
    this.posted[i].delete(m.id);
    if (p) {
      if (m.ok) p.resolve(m.value!);
      else p.reject(new Error(`in worker ${i}: ${m.error ?? 'unknown error'}`));
    }
    this.dispatch();
  }

  private fail(i: number, e: Error): void {
    for (const p of this.posted[i].values()) p.reject(e);
    this.posted[i].clear();
    for (const q of this.queue.splice(0)) q.reject(e);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

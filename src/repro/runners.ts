// Where explore's and sweep's jobs run: `--workers N` is N threads, this one and N-1 worker
// threads started once for the whole command. This thread runs jobs too (it has loaded and
// compiled the program already; a worker thread first spends a few hundred ms of CPU on
// that), and a worker is given two jobs at once, so that it never waits for this thread to
// hand it the next one. Results are pure functions of the jobs: which runner ran a job never
// shows in them.

import { breathe, doJob, jobPool, type Job, type JobPool, type JobResult } from './jobs.js';
import type { LoadedScenario } from '../scenario/load.js';

export interface Runner {
  /** Runs a job; the jobs given to one runner run one after another. */
  run<T extends JobResult>(job: Job): Promise<T>;
  /** How many jobs to give it at once. */
  readonly depth: number;
}

/** Jobs given to a worker thread at once: the next one waits in its queue while it runs one. */
export const WORKER_DEPTH = 2;

/** This thread as a runner: jobs one after another, the event loop let through before each. */
export function localRunner(loaded: LoadedScenario): Runner {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    depth: 1,
    run<T extends JobResult>(job: Job): Promise<T> {
      const p = tail.then(async () => {
        await breathe();
        return (await doJob(loaded, job)) as T;
      });
      tail = p.catch(() => undefined);
      return p;
    },
  };
}

export interface Runners {
  /** This thread first, then the worker threads. */
  readonly list: readonly Runner[];
  close(): Promise<void>;
}

/** `count` runners for the scenario `input` (loaded here as `loaded`): this thread and count-1 worker threads. */
export function runners(count: number, loaded: LoadedScenario, input: Record<string, unknown>, origin: string): Runners {
  const pool: JobPool | null = count > 1 ? jobPool(count - 1, input, origin, WORKER_DEPTH) : null;
  const list: Runner[] = [localRunner(loaded)];
  for (let i = 0; i < count - 1; i++) list.push({ depth: WORKER_DEPTH, run: <T extends JobResult>(job: Job) => pool!.run<T>(job, i) });
  return { list, close: async () => { await pool?.close(); } };
}

// A worker thread's entry point: loads the scenario it was given once, then answers jobs
// ({id, job}) with ({id, ok, value}) or ({id, ok: false, error}) until it is terminated.
// Jobs are answered one after another in the order they came: the pool may give a worker its
// next job before it has finished one (src/util/pool.ts, `depth`), and that job waits here.

import { parentPort, workerData } from 'node:worker_threads';
import { loadScenarioData } from '../scenario/load.js';
import { doJob, type Job } from './jobs.js';

interface Data {
  /** Null for a pool whose jobs carry their own scenario. */
  readonly input: Record<string, unknown> | null;
  readonly origin: string;
}

const data = workerData as Data;
const loaded = data.input === null ? null : loadScenarioData(data.input, data.origin);
const port = parentPort!;
let tail: Promise<void> = Promise.resolve();

port.on('message', (msg: { id: number; job: Job }) => {
  tail = tail.then(() => doJob(loaded, msg.job).then(
    (value) => port.postMessage({ id: msg.id, ok: true, value }),
    (e: unknown) => port.postMessage({ id: msg.id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
  ));
});

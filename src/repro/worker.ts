// A worker thread's entry point: loads the scenario it was given once, then answers jobs
// ({id, job}) with ({id, ok, value}) or ({id, ok: false, error}) until it is terminated.

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

port.on('message', (msg: { id: number; job: Job }) => {
  doJob(loaded, msg.job).then(
    (value) => port.postMessage({ id: msg.id, ok: true, value }),
    (e: unknown) => port.postMessage({ id: msg.id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
  );
});
